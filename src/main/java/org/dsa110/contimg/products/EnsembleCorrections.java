package org.dsa110.contimg.products;

import static org.dsa110.contimg.products.Rows.num;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dsa110.contimg.products.ReferenceCatalog.CatalogSource;
import org.dsa110.contimg.science.photometry.EnsembleNormalization;
import org.dsa110.contimg.science.photometry.EnsembleNormalization.Correction;
import org.dsa110.contimg.science.photometry.EnsembleNormalization.ReferenceCandidate;
import org.dsa110.contimg.science.sky.SkyCoords;
import org.dsa110.contimg.store.Db;

/**
 * The ensemble flux-scale correction of stored images (science.md "Normalization") on the photometry table.
 *
 * <p><b>Which references.</b> An image's references are the catalog sources meeting the reference criteria (catalog
 * SNR ≥ 50, unresolved, unconfused, within 1.5° of its centre) <em>that were measured on it</em>, the 20 of highest
 * catalog SNR. Taking the 20 brightest of the catalog first left, on any image smaller than the 3° reference circle,
 * references off the image, hence fewer than 3 usable ones and no normalisation at all (issue 15).
 *
 * <p><b>One scale per light curve.</b> A reference's baseline is the median of its first 10 epochs, so it changes
 * while the reference has fewer than 10 (or when one of those epochs is re-measured). Each time that happens, every
 * image carrying that reference is corrected again ({@link #affectedBy}), so all epochs of a light curve are divided
 * by corrections made against the same baselines; an image whose correction did not change is left alone.
 */
final class EnsembleCorrections {
    private final Db db;
    private final EnsembleNormalization normalization;
    private final EnsembleNormalization.Parameters params;
    /** Baselines read during one photometry transaction (they cannot change inside it once its rows are stored). */
    private final Map<String, Double> baselines = new HashMap<>();

    EnsembleCorrections(Db db, EnsembleNormalization.Parameters params) {
        this.db = db;
        this.params = params;
        this.normalization = new EnsembleNormalization(params);
    }

    EnsembleNormalization.Parameters params() {
        return params;
    }

    /**
     * Catalog sources around (ra, dec) that meet the reference criteria, highest catalog SNR first, not yet limited
     * to the 20 (the limit applies to those measured on the image).
     */
    List<CatalogSource> candidates(ReferenceCatalog catalog, double raDeg, double decDeg) {
        List<CatalogSource> near = catalog.cone(raDeg, decDeg, params.maxSeparationDeg(), catalog.catalogName(), null);
        Map<String, CatalogSource> byId = new HashMap<>();
        near.forEach(s -> byId.put(s.sourceId(), s));
        return selectAll(near.stream().map(s -> new ReferenceCandidate(s.sourceId(), s.snr() == null ? 0 : s.snr(),
                s.resolved(), s.confused(), s.separationDeg())).toList()).stream()
                .map(c -> byId.get(c.sourceId())).toList();
    }

    /** The reference criteria without the top-N limit, highest catalog SNR first. */
    private List<ReferenceCandidate> selectAll(List<ReferenceCandidate> candidates) {
        return new EnsembleNormalization(new EnsembleNormalization.Parameters(params.minCatalogSnr(),
                params.maxSeparationDeg(), Integer.MAX_VALUE, params.baselineEpochs(), params.minBaselineEpochs(),
                params.minReferences(), params.clipSigma())).selectReferences(candidates);
    }

    /** The references of a stored image: the reference-grade sources measured on it, top 20 by catalog SNR. */
    List<String> referencesOn(long imageId) {
        Map<String, Object> image = db.one("SELECT center_ra_deg, center_dec_deg FROM images WHERE id = ?", imageId)
                .orElse(Map.of());
        double ra = Rows.dblOr(image, "center_ra_deg", Double.NaN);
        double dec = Rows.dblOr(image, "center_dec_deg", Double.NaN);
        List<ReferenceCandidate> measured = new ArrayList<>();
        for (Map<String, Object> r : db.query("SELECT s.source_id, s.catalog_snr, s.resolved, s.confused, s.ra_deg, "
                + "s.dec_deg FROM photometry p JOIN sources s ON s.source_id = p.source_id "
                + "WHERE p.image_id = ? AND s.catalog_snr >= ?", imageId, params.minCatalogSnr())) {
            double sep = SkyCoords.separationDeg(ra, dec, Rows.dblOr(r, "ra_deg", Double.NaN),
                    Rows.dblOr(r, "dec_deg", Double.NaN));
            measured.add(new ReferenceCandidate(Rows.str(r, "source_id"), Rows.dblOr(r, "catalog_snr", 0),
                    Rows.bool(r, "resolved"), Rows.bool(r, "confused"), Double.isNaN(sep) ? 0 : sep));
        }
        return normalization.selectReferences(measured).stream().map(ReferenceCandidate::sourceId).toList();
    }

    /**
     * The images to correct (again) now that {@code imageId} was measured: itself, and every image of a reference of
     * it for which this image is among the first epochs that make the baseline (so that baseline may have changed).
     */
    Set<Long> affectedBy(long imageId, List<String> references) {
        Set<Long> out = new LinkedHashSet<>();
        out.add(imageId);
        for (String ref : references) {
            boolean inBaseline = db.query("SELECT image_id FROM photometry WHERE source_id = ? ORDER BY mjd, id "
                    + "FETCH FIRST " + params.baselineEpochs() + " ROWS ONLY", ref).stream()
                    .anyMatch(r -> Rows.lng(r, "image_id") == imageId);
            if (inBaseline) {
                db.query("SELECT DISTINCT image_id FROM photometry WHERE source_id = ?", ref)
                        .forEach(r -> out.add(Rows.lng(r, "image_id")));
            }
        }
        return out;
    }

    /** What {@link #normalize} did to an image. */
    record Outcome(Correction correction, boolean changed) {
    }

    /**
     * Computes an image's correction from its references and stores it (images.norm_*); when it succeeds every
     * measurement on the image gets its normalised flux and error, when it fails they are cleared (one light curve
     * never mixes scales). {@code changed} is false when the stored correction was already this one.
     */
    Outcome normalize(long imageId) {
        List<String> refs = referencesOn(imageId);
        double[] peaks = new double[refs.size()];
        double[] base = new double[refs.size()];
        for (int i = 0; i < refs.size(); i++) {
            peaks[i] = db.one("SELECT peak_jyb FROM photometry WHERE source_id = ? AND image_id = ?", refs.get(i),
                    imageId).map(r -> Rows.dblOr(r, "peak_jyb", Double.NaN)).orElse(Double.NaN);
            base[i] = baseline(refs.get(i));
        }
        Correction c = normalization.correction(peaks, base);
        Map<String, Object> stored = db.one("SELECT norm_correction, norm_correction_rms, norm_references, "
                + "norm_error FROM images WHERE id = ?", imageId).orElse(Map.of());
        boolean same = c.success()
                ? equal(Rows.dbl(stored, "norm_correction"), c.correction())
                        && equal(Rows.dbl(stored, "norm_correction_rms"), c.rmsCorrection())
                        && Integer.valueOf(c.nUsed()).equals(Rows.integer(stored, "norm_references"))
                : Rows.dbl(stored, "norm_correction") == null && c.error().equals(Rows.str(stored, "norm_error"));
        if (same && !hasUnnormalisedRows(imageId, c.success())) {
            return new Outcome(c, false);
        }
        db.update("UPDATE images SET norm_correction = ?, norm_correction_rms = ?, norm_references = ?, "
                + "norm_error = ? WHERE id = ?", c.success() ? num(c.correction()) : null,
                c.success() ? num(c.rmsCorrection()) : null, c.nUsed(), c.error(), imageId);
        if (!c.success()) {
            db.update("UPDATE photometry SET normalized_flux_jy = NULL, normalized_error_jy = NULL "
                    + "WHERE image_id = ?", imageId);
            return new Outcome(c, true);
        }
        for (Map<String, Object> r : db.query("SELECT id, peak_jyb, peak_err_jyb FROM photometry WHERE image_id = ?",
                imageId)) {
            EnsembleNormalization.NormalizedFlux nf = EnsembleNormalization.normalize(
                    Rows.dblOr(r, "peak_jyb", Double.NaN), Rows.dblOr(r, "peak_err_jyb", Double.NaN), c);
            db.update("UPDATE photometry SET normalized_flux_jy = ?, normalized_error_jy = ? WHERE id = ?",
                    num(nf.fluxJy()), num(nf.errorJy()), r.get("id"));
        }
        return new Outcome(c, true);
    }

    /** A successful correction leaves no row without a normalised flux; a failed one leaves none with one. */
    private boolean hasUnnormalisedRows(long imageId, boolean success) {
        return db.scalarLong("SELECT COUNT(*) FROM photometry WHERE image_id = ? AND normalized_flux_jy IS "
                + (success ? "NULL" : "NOT NULL"), imageId) > 0;
    }

    private static boolean equal(Double stored, double now) {
        return stored != null && stored == now;
    }

    /** Baseline flux of a reference: median of its first epochs (NaN until it has enough). */
    double baseline(String sourceId) {
        return baselines.computeIfAbsent(sourceId, id -> {
            double[] fluxes = db.query("SELECT peak_jyb FROM photometry WHERE source_id = ? ORDER BY mjd, id "
                    + "FETCH FIRST " + params.baselineEpochs() + " ROWS ONLY", id).stream()
                    .mapToDouble(r -> Rows.dblOr(r, "peak_jyb", Double.NaN)).toArray();
            EnsembleNormalization.Baseline b = normalization.baseline(fluxes);
            return b.valid() ? b.fluxJy() : Double.NaN;
        });
    }
}
