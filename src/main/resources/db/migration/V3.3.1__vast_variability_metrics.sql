-- VAST-conformant variability metrics (issue 15 point 6; science.md "Variability metrics", revised 2026-12-07).
-- v is now the sample std (ddof 1) over the mean; the two-epoch metrics run over all N(N-1)/2 pairs of a light
-- curve: vs_max_abs / m_max_abs become the maxima over all pairs (they were over consecutive pairs), and the VAST
-- aggregates of the significant pairs are new. vs_mean / m_mean (consecutive pairs) and sigma_deviation stay as
-- the legacy fields the dashboard reads. std_mjy stays the population std (ddof 0) of sigma_deviation.
ALTER TABLE variability_stats ADD COLUMN n_pairs BIGINT;
ALTER TABLE variability_stats ADD COLUMN n_significant_pairs INTEGER;
ALTER TABLE variability_stats ADD COLUMN vs_abs_significant_max DOUBLE PRECISION;
ALTER TABLE variability_stats ADD COLUMN m_abs_significant_max DOUBLE PRECISION;
-- Observation MJDs of the most significant pair (largest |Vs| among the significant ones), NULL when none.
ALTER TABLE variability_stats ADD COLUMN significant_pair_mjd_a DOUBLE PRECISION;
ALTER TABLE variability_stats ADD COLUMN significant_pair_mjd_b DOUBLE PRECISION;
-- Whether the metrics were computed on the normalised light curve (else the raw peak fluxes).
ALTER TABLE variability_stats ADD COLUMN normalized BOOLEAN DEFAULT FALSE NOT NULL;
-- Which definition computed the row: 1 = the legacy one (every row existing before this migration), 2 = VAST.
-- Rows below the hub's current version are recomputed from their light curves at start (VariabilityUpdater).
ALTER TABLE variability_stats ADD COLUMN metrics_version INTEGER DEFAULT 1 NOT NULL;
CREATE INDEX ix_variability_version ON variability_stats (metrics_version);
CREATE INDEX ix_variability_vs_sig ON variability_stats (vs_abs_significant_max);
