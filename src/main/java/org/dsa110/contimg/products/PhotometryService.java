package org.dsa110.contimg.products;

import static org.dsa110.contimg.products.Rows.num;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.ops.EventBroadcaster;
import org.dsa110.contimg.products.ReferenceCatalog.CatalogSource;
import org.dsa110.contimg.science.fits.FitsImage;
import org.dsa110.contimg.science.image.Beam;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.photometry.EnsembleNormalization;
import org.dsa110.contimg.science.photometry.EnsembleNormalization.Correction;
import org.dsa110.contimg.science.photometry.ForcedPhotometry;
import org.dsa110.contimg.science.photometry.PhotometryResult;
import org.dsa110.contimg.science.photometry.SkyOrientation;
import org.dsa110.contimg.science.wcs.CelestialWcs;
import org.dsa110.contimg.store.Db;

/**
 * The photometry stage's work on one registered image ({@link #measureImage}): forced photometry of the catalog
 * sources around the image centre, ensemble normalisation, and the variability/ESE update of every source touched,
 * all in one transaction; {@code ese_update} events are published after it commits.
 */
public final class PhotometryService {

    /**
     * @param targetRadiusDeg   forced-photometry targets within this distance of the centre (science.md 0.5°)
     * @param mosaicRadiusDeg   the same for mosaics (1.0°)
     * @param minFluxMjy        targets need catalog flux ≥ this (10 mJy)
     */
    public record Settings(double targetRadiusDeg, double mosaicRadiusDeg, double minFluxMjy) {
        public static final Settings DEFAULTS = new Settings(0.5, 1.0, 10.0);
    }

    /** What {@link #measureImage} did. */
    public record MeasureSummary(long imageId, double mjd, int nTargets, int nReferences, int nMeasured,
                                 int nFailed, boolean normalized, Double correction, Double correctionRms,
                                 String normalizationError, int nImagesRenormalized, int nSourcesUpdated,
                                 int nEseEvents) {
    }

    private final Db db;
    private final ImageRegistry images;
    private final ReferenceCatalog catalog;
    private final VariabilityUpdater variability;
    private final EventBroadcaster events;
    private final Settings settings;

    public PhotometryService(Db db, ImageRegistry images, ReferenceCatalog catalog, VariabilityUpdater variability,
                             EventBroadcaster events, Settings settings) {
        this.db = db;
        this.images = images;
        this.catalog = catalog;
        this.variability = variability;
        this.events = events;
        this.settings = settings;
    }

    /**
     * Forced photometry of every catalog source within the target radius of the image centre with flux ≥ the
     * minimum (plus the normalisation references: the 20 highest-SNR reference-grade sources within 1.5° that are
     * measurable on the image), stored with the image's observation MJD; then normalisation of this image and again
     * of every image whose references' baselines this one changed ({@link EnsembleCorrections}), then variability
     * statistics and ESE candidates of every touched source.
     *
     * @throws HubException 404 for an unknown image or missing file, 422 when the image has no observation time
     */
    public MeasureSummary measureImage(long imageId) {
        List<Map<String, Object>> eseEvents = new ArrayList<>();
        MeasureSummary summary = db.inTransaction(() -> measureInTransaction(imageId, eseEvents));
        for (Map<String, Object> e : eseEvents) {
            events.publish("ese_update", e);
        }
        return summary;
    }

    private MeasureSummary measureInTransaction(long imageId, List<Map<String, Object>> eseEvents) {
        Map<String, Object> image = images.row(imageId);
        Double mjd = Rows.dbl(image, "mjd_obs");
        if (mjd == null) {
            // Never fall back to the insert time (science.md): a light-curve point needs the observation epoch.
            throw HubException.unprocessable("image " + imageId + " has no observation time (DATE-OBS/MJD-OBS)",
                    Map.of("image_id", imageId));
        }
        double ra = Rows.dblOr(image, "center_ra_deg", Double.NaN);
        double dec = Rows.dblOr(image, "center_dec_deg", Double.NaN);
        double radius = "mosaic".equals(image.get("type")) ? settings.mosaicRadiusDeg() : settings.targetRadiusDeg();
        List<CatalogSource> targets = catalog.cone(ra, dec, radius, catalog.catalogName(), settings.minFluxMjy());
        EnsembleCorrections corrections = new EnsembleCorrections(db, EnsembleNormalization.Parameters.DEFAULTS);

        Set<String> measured = new LinkedHashSet<>();
        int failed = 0;
        int references = 0;
        try (FitsImage img = images.open(imageId)) {
            Measurer measurer = new Measurer(img, ForcedPhotometry.Parameters.DEFAULTS, true);
            String path = Rows.str(image, "path");
            Double freq = Rows.dbl(image, "frequency_hz");
            Set<String> targetIds = new LinkedHashSet<>();
            for (CatalogSource s : targets) {
                targetIds.add(s.sourceId());
                if (measureAndStore(measurer, s, imageId, path, mjd, freq)) {
                    measured.add(s.sourceId());
                } else {
                    failed++;
                }
            }
            // References: the brightest reference-grade catalog sources measurable on this image (the catalog's
            // brightest within 1.5° may lie off a small image), at most maxReferences of them.
            for (CatalogSource s : corrections.candidates(catalog, ra, dec)) {
                if (references == corrections.params().maxReferences()) {
                    break;
                }
                boolean ok = targetIds.contains(s.sourceId()) ? measured.contains(s.sourceId())
                        : measureAndStore(measurer, s, imageId, path, mjd, freq);
                if (ok) {
                    measured.add(s.sourceId());
                    references++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        // Normalisation of this image, and again of the images whose references' baselines this one changed.
        Set<String> touched = new LinkedHashSet<>(measured);
        Correction corr = null;
        int renormalised = 0;
        for (long id : corrections.affectedBy(imageId, corrections.referencesOn(imageId))) {
            EnsembleCorrections.Outcome o = corrections.normalize(id);
            if (id == imageId) {
                corr = o.correction();
            } else if (o.changed()) {
                renormalised++;
            }
            if (o.changed()) {
                db.query("SELECT source_id FROM photometry WHERE image_id = ?", id)
                        .forEach(row -> touched.add(Rows.str(row, "source_id")));
            }
        }
        for (String sourceId : touched) {
            Map<String, Object> e = variability.update(sourceId);
            if (e != null) {
                e.put("image_id", imageId);
                eseEvents.add(e);
            }
        }
        return new MeasureSummary(imageId, mjd, targets.size(), references, measured.size(), failed,
                corr.success(), corr.success() ? corr.correction() : null,
                corr.success() ? corr.rmsCorrection() : null, corr.error(), renormalised, touched.size(),
                eseEvents.size());
    }

    /** Forced photometry of one source, stored when it succeeds; false when it failed (off the image, blank). */
    private boolean measureAndStore(Measurer measurer, CatalogSource s, long imageId, String path, double mjd,
                                    Double freq) throws IOException {
        PhotometryResult r = measurer.measure(s.raDeg(), s.decDeg());
        if (r.success()) {
            store(s, imageId, path, mjd, freq, r);
        }
        return r.success();
    }

    private void store(CatalogSource s, long imageId, String path, double mjd, Double freq, PhotometryResult r) {
        // Re-measuring an image replaces its row (and clears a normalisation made from the old value).
        db.update("MERGE INTO photometry p USING (VALUES (CAST(? AS VARCHAR(64)), CAST(? AS BIGINT))) AS v (sid, iid) "
                + "ON p.source_id = v.sid AND p.image_id = v.iid "
                + "WHEN MATCHED THEN UPDATE SET image_path = ?, ra_deg = ?, dec_deg = ?, mjd = ?, peak_jyb = ?, "
                + "peak_err_jyb = ?, local_rms = ?, snr = ?, chisq = ?, dof = ?, method = ?, forced = TRUE, "
                + "frequency_hz = ?, normalized_flux_jy = NULL, normalized_error_jy = NULL, "
                + "measured_at = CURRENT_TIMESTAMP "
                + "WHEN NOT MATCHED THEN INSERT (source_id, image_id, image_path, ra_deg, dec_deg, mjd, peak_jyb, "
                + "peak_err_jyb, local_rms, snr, chisq, dof, method, forced, frequency_hz) "
                + "VALUES (v.sid, v.iid, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, TRUE, ?)",
                s.sourceId(), imageId,
                path, s.raDeg(), s.decDeg(), mjd, r.peakJyb(), num(r.peakErrJyb()), num(r.localRms()), num(r.snr()),
                num(r.chisq()), r.dof(), methodName(r.method()), freq,
                path, s.raDeg(), s.decDeg(), mjd, r.peakJyb(), num(r.peakErrJyb()), num(r.localRms()), num(r.snr()),
                num(r.chisq()), r.dof(), methodName(r.method()), freq);
    }

    static String methodName(PhotometryResult.Method m) {
        return m == PhotometryResult.Method.CONDON_WEIGHTED ? "weighted_convolution" : "peak";
    }

    // ------------------------------------------------------------------ ad-hoc measurements (API)

    /** Forced photometry on an open image at sky positions, with the image's own WCS and beam. */
    static final class Measurer {
        private final FitsImage img;
        private final CelestialWcs wcs;
        private final Beam beam;
        private final ForcedPhotometry photometry;
        private final int halfSize;

        Measurer(FitsImage img, ForcedPhotometry.Parameters params, boolean useBeam) {
            this.img = img;
            this.wcs = img.wcs();
            this.beam = useBeam ? img.beam() : null;
            this.photometry = new ForcedPhotometry(params.withOrientation(SkyOrientation.fromCdelt1(wcs.cd()[0])));
            int npix = beam == null ? params.fallbackBoxSize()
                    : (int) Math.round(params.nbeam() / 2 * beam.bmajDeg() / wcs.pixelScaleDeg());
            // The cutout covers both the source box and the noise annulus.
            this.halfSize = (int) Math.ceil(Math.max(npix, params.annulusOuterPx())) + 1;
        }

        PhotometryResult measure(double raDeg, double decDeg) throws IOException {
            double[] p = wcs.worldToPixel(raDeg, decDeg);
            // An empty cutout (position off the image) is reported by ForcedPhotometry as a failure.
            ImagePlane cut = img.readCutoutAround(p[0], p[1], halfSize);
            return photometry.measure(cut, p[0], p[1], wcs.pixelScaleDeg(), beam);
        }
    }

    /**
     * PhotometryResult (endpoints.md): forced peak photometry at (ra, dec); it measures no integrated flux, so
     * {@code integrated_flux_jy} and its error are always null.
     */
    public record ForcedResult(double raDeg, double decDeg, Double peakJyb, Double peakErrJyb, Double integratedFluxJy,
            Double errIntegratedFluxJy, Double localRmsJy, Double snr, boolean success, String errorMessage,
            String method) {
    }

    /** PhotometryNormalize: the raw flux scaled by the file's ensemble correction (null when none was found). */
    public record NormalizedResult(Double normalizedFluxJy, Double normalizedErrorJy, Double correctionFactor,
            Double correctionRms, int nReferences, boolean success, String errorMessage) {
    }

    /** PhotometryResult (endpoints.md) of a measurement at (ra, dec). */
    static ForcedResult resultJson(double ra, double dec, PhotometryResult r) {
        return new ForcedResult(ra, dec, num(r.peakJyb()), num(r.peakErrJyb()), null, null, num(r.localRms()),
                num(r.snr()), r.success(), r.error(), methodName(r.method()));
    }

    /** Measures positions on a FITS file under the data roots (not stored). */
    public List<ForcedResult> measureFile(String fitsPath, List<double[]> radec, ForcedPhotometry.Parameters params,
                                          boolean useBeam) {
        try (FitsImage img = openUnderRoots(fitsPath)) {
            Measurer m = new Measurer(img, params, useBeam);
            List<ForcedResult> out = new ArrayList<>();
            for (double[] p : radec) {
                out.add(resultJson(p[0], p[1], m.measure(p[0], p[1])));
            }
            return out;
        } catch (IOException e) {
            throw HubException.unprocessable("cannot read FITS image: " + e.getMessage(), Map.of());
        }
    }

    FitsImage openUnderRoots(String fitsPath) throws IOException {
        FitsImage img = FitsImage.open(images.roots().resolve(fitsPath)
                .orElseThrow(() -> HubException.notFound("fits file", fitsPath)));
        if (!img.hasWcs()) {
            img.close();
            throw HubException.unprocessable("image has no celestial SIN/TAN WCS", Map.of("fits_path", fitsPath));
        }
        return img;
    }

    /**
     * Normalises a raw flux measured on a FITS file with the ensemble correction of that file (PhotometryNormalize
     * of endpoints.md): references are catalog sources around the given (or image) centre, measured on the file
     * now, against baselines from their stored light curves.
     */
    public NormalizedResult normalizeFlux(String fitsPath, double rawFlux, double rawError, Double raCenter,
                                             Double decCenter, EnsembleNormalization.Parameters refParams,
                                             ForcedPhotometry.Parameters params) {
        try (FitsImage img = openUnderRoots(fitsPath)) {
            double[] centre = img.wcs().pixelToWorld((img.width() - 1) / 2.0, (img.height() - 1) / 2.0);
            double ra = raCenter != null ? raCenter : centre[0];
            double dec = decCenter != null ? decCenter : centre[1];
            EnsembleCorrections corrections = new EnsembleCorrections(db, refParams);
            Measurer m = new Measurer(img, params, true);
            // the brightest reference-grade sources measurable on the file, as the photometry stage chooses them
            List<Double> peakList = new ArrayList<>();
            List<Double> baselineList = new ArrayList<>();
            for (CatalogSource s : corrections.candidates(catalog, ra, dec)) {
                if (peakList.size() == refParams.maxReferences()) {
                    break;
                }
                PhotometryResult r = m.measure(s.raDeg(), s.decDeg());
                if (r.success()) {
                    peakList.add(r.peakJyb());
                    baselineList.add(corrections.baseline(s.sourceId()));
                }
            }
            double[] peaks = peakList.stream().mapToDouble(Double::doubleValue).toArray();
            double[] baselines = baselineList.stream().mapToDouble(Double::doubleValue).toArray();
            Correction c = new EnsembleNormalization(refParams).correction(peaks, baselines);
            EnsembleNormalization.NormalizedFlux nf = c.success()
                    ? EnsembleNormalization.normalize(rawFlux, rawError, c) : null;
            return new NormalizedResult(nf == null ? null : num(nf.fluxJy()), nf == null ? null : num(nf.errorJy()),
                    num(c.correction()), num(c.rmsCorrection()), c.nUsed(), c.success(), c.error());
        } catch (IOException e) {
            throw HubException.unprocessable("cannot read FITS image: " + e.getMessage(), Map.of());
        }
    }
}
