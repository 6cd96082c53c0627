package org.dsa110.contimg.validation;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.pipeline.StageResult;
import org.dsa110.contimg.pipeline.builtin.InProcessPipeline;
import org.dsa110.contimg.science.photometry.ErrorModelCriterion;
import org.dsa110.contimg.science.radio.SkyGeometry;
import org.dsa110.contimg.science.sim.EseInjection;
import org.dsa110.contimg.science.sim.GroupSimulator;
import org.dsa110.contimg.science.sim.SimConfig;
import org.dsa110.contimg.science.sim.SkySource;

/**
 * One field observed on E days (the same sidereal time, so the same sky), each epoch with fresh thermal noise and
 * unit gains, through conversion, calibration_apply (no calibrator: passed on), imaging, photometry and
 * ese_detection with the packaged settings, all into one store so the light curves grow epoch by epoch as in
 * operation. Every source is steady except one, which gets an injected ESE-like dip ({@link EseInjection}) late in
 * the series. Counted from the store afterwards: ESE candidates on steady sources (false candidates) and whether
 * (and at which epoch) the injected source became one.
 */
final class SteadyEpochs {
    /** Mean sidereal day [s]: the field is back on the meridian after this. */
    static final double SIDEREAL_DAY_SEC = 86164.0905;

    /** A candidate the pipeline created. */
    record Candidate(String sourceId, double raDeg, double decDeg, double maxSigma, int firstEpoch,
                     boolean injected) {
    }

    /** The section's outcome. */
    record Outcome(int epochs, int epochsPlanned, SimConfig config, EseInjection ese, SkySource eseSource, int sourcesMeasured,
                   List<Candidate> candidates, double medianChi2Nu, double medianEta, double within1Sigma,
                   double within1SigmaNormalized, int normalizedEpochs, ErrorModelCriterion raw, List<String> rawNames,
                   double wallSec) {

        long falseCandidates() {
            return candidates.stream().filter(c -> !c.injected()).count();
        }

        Candidate detected() {
            return candidates.stream().filter(Candidate::injected).findFirst().orElse(null);
        }
    }

    private SteadyEpochs() {
    }

    /** Receives the outcome so far (a report rewritten while the epochs run). */
    interface Partial {
        void accept(Outcome soFar) throws java.io.IOException;
    }

    /** Epochs between two partial outcomes. */
    static final int PARTIAL_EVERY = 5;

    static Outcome run(ValidationReport.Options o, Path work, Partial partial) throws Exception {
        long t0 = System.nanoTime();
        Path dir = work.resolve("epochs");
        Instant start = Instant.parse("2026-02-01T06:00:00Z");
        SimConfig base = SimConfig.defaults(dir.resolve("incoming").resolve("e00")).withAntennas(o.epochAntennas())
                .withChannelsPerSubband(o.epochChannels()).withIntegrations(o.epochIntegrations()).withGroups(1)
                .withGains(false).withStart(start).withSeed(o.seed() + 500);
        GroupSimulator first = new GroupSimulator(base);
        List<SkySource> sky = first.sky();
        InProcessPipeline pipe = new InProcessPipeline(dir);
        if (o.epochMaxSize() > 0) {
            pipe.imagingParam("max-size", o.epochMaxSize());
        }
        pipe.loadCatalog(first.writeCatalog());
        SkySource target = eseTarget(first);
        int eseStart = Math.max(3, o.epochs() - 10);
        EseInjection ese = new EseInjection(target.sourceId(), eseStart, 6, 0.5);

        for (int k = 0; k < o.epochs(); k++) {
            List<SkySource> epochSky = new ArrayList<>();
            for (SkySource s : sky) {
                epochSky.add(s.sourceId().equals(target.sourceId()) ? new SkySource(s.sourceId(), s.name(), s.raDeg(),
                        s.decDeg(), s.fluxJy() * ese.factor(k), s.spectralIndex(), s.calibrator(), s.confused()) : s);
            }
            SimConfig cfg = base.withOutputDir(dir.resolve("incoming").resolve(String.format("e%02d", k)))
                    .withStart(start.plusMillis(Math.round(k * SIDEREAL_DAY_SEC * 1000))).withSeed(o.seed() + 1000 + k)
                    .withFixedSky(epochSky);
            GroupSimulator sim = new GroupSimulator(cfg);
            String group = sim.groups().get(0).groupId();
            StageResult conv = pipe.convert(group, sim.writeGroup(0), cfg.subbands());
            String calibrated = pipe.run("calibration_apply", group, conv.outputs(), Map.of()).outputs().get(0);
            StageResult img = pipe.run("imaging", group, List.of(calibrated), Map.of());
            StageResult phot = pipe.photometryAndEse(group, img.outputs(), calibrated);
            ValidationReport.log("epoch %d/%d %s: %s measured, %s ESE events", k + 1, o.epochs(), group,
                    phot.metrics().get("measured"), phot.metrics().get("ese_events"));
            if ((k + 1) % PARTIAL_EVERY == 0 && k + 1 < o.epochs()) {
                partial.accept(collect(k + 1, o.epochs(), pipe, base, ese, target, sky,
                        (System.nanoTime() - t0) / 1e9));
            }
        }
        return collect(o.epochs(), o.epochs(), pipe, base, ese, target, sky, (System.nanoTime() - t0) / 1e9);
    }

    /** The brightest non-calibrator source within 0.3° of the field centre: the one that gets the dip. */
    static SkySource eseTarget(GroupSimulator sim) {
        double[] c = sim.phaseCentre(0);
        return sim.modelSources(0).stream().filter(s -> !s.calibrator())
                .filter(s -> SkyGeometry.separationRad(s.raRad(), s.decRad(), c[0], c[1]) < Math.toRadians(0.3))
                .max(Comparator.comparingDouble(SkySource::fluxJy))
                .orElseThrow(() -> new IllegalStateException("no source within 0.3 deg of the field centre"));
    }

    private static Outcome collect(int epochsDone, int epochsPlanned, InProcessPipeline pipe, SimConfig base,
                                   EseInjection ese, SkySource target, List<SkySource> sky, double wall) {
        var db = pipe.db();
        double firstMjd = db.query("SELECT MIN(mjd) AS m FROM photometry").stream().map(r -> d(r.get("m")))
                .findFirst().orElse(Double.NaN);
        List<Candidate> candidates = new ArrayList<>();
        for (Map<String, Object> r : db.query("SELECT source_id, ra_deg, dec_deg, max_sigma_dev, first_detection_at "
                + "FROM ese_candidates ORDER BY id")) {
            double ra = d(r.get("ra_deg"));
            double dec = d(r.get("dec_deg"));
            int epoch = -1;
            if (r.get("first_detection_at") instanceof Instant first) {
                double mjd = first.getEpochSecond() / 86400.0 + 40587.0;
                epoch = (int) Math.round((mjd - firstMjd) * 86400 / SIDEREAL_DAY_SEC);
            }
            candidates.add(new Candidate(String.valueOf(r.get("source_id")), ra, dec, d(r.get("max_sigma_dev")),
                    epoch, near(target, ra, dec)));
        }
        List<Double> chi2 = new ArrayList<>();
        List<Double> eta = new ArrayList<>();
        int measured = 0;
        for (Map<String, Object> r : db.query("SELECT s.ra_deg, s.dec_deg, v.chi2_nu, v.eta, v.n_epochs "
                + "FROM variability_stats v JOIN sources s ON s.source_id = v.source_id")) {
            if (near(target, d(r.get("ra_deg")), d(r.get("dec_deg")))) {
                continue;
            }
            measured++;
            if (d(r.get("n_epochs")) == epochsDone) {
                chi2.add(d(r.get("chi2_nu")));
                eta.add(d(r.get("eta")));
            }
        }
        // each steady measurement against its truth: within 1 sigma?
        int n = 0, within = 0, nNorm = 0, withinNorm = 0;
        Map<SkySource, List<double[]>> curves = new java.util.LinkedHashMap<>(); // raw (flux, error) per source
        for (Map<String, Object> r : db.query("SELECT ra_deg, dec_deg, peak_jyb, peak_err_jyb, frequency_hz, "
                + "normalized_flux_jy, normalized_error_jy FROM photometry ORDER BY mjd")) {
            double ra = d(r.get("ra_deg"));
            double dec = d(r.get("dec_deg"));
            SkySource s = near(target, ra, dec) ? null
                    : sky.stream().filter(x -> near(x, ra, dec)).findFirst().orElse(null);
            double err = d(r.get("peak_err_jyb"));
            double freq = d(r.get("frequency_hz"));
            if (s == null || !(err > 0) || !(freq > 0)) {
                continue;
            }
            double truth = s.fluxAt(freq);
            n++;
            within += Math.abs(d(r.get("peak_jyb")) - truth) <= err ? 1 : 0;
            curves.computeIfAbsent(s, k -> new ArrayList<>()).add(new double[] {d(r.get("peak_jyb")), err, truth});
            double nf = d(r.get("normalized_flux_jy"));
            double ne = d(r.get("normalized_error_jy"));
            if (Double.isFinite(nf) && ne > 0) {
                nNorm++;
                withinNorm += Math.abs(nf - truth) <= ne ? 1 : 0;
            }
        }
        // issue 15 point 4 on the raw photometry, as the tests compute it (ErrorModelCriterion)
        curves.values().removeIf(c -> c.size() < 2);
        double[][] flux = new double[curves.size()][];
        double[][] error = new double[curves.size()][];
        double[] truths = new double[curves.size()];
        int i = 0;
        for (List<double[]> c : curves.values()) {
            flux[i] = c.stream().mapToDouble(x -> x[0]).toArray();
            error[i] = c.stream().mapToDouble(x -> x[1]).toArray();
            truths[i++] = c.stream().mapToDouble(x -> x[2]).average().orElse(Double.NaN);
        }
        ErrorModelCriterion raw = curves.isEmpty() ? null : ErrorModelCriterion.of(flux, error, truths);
        List<String> rawNames = curves.keySet().stream().map(SkySource::name).toList();
        long normalizedImages = db.scalarLong("SELECT COUNT(DISTINCT image_id) FROM photometry "
                + "WHERE normalized_flux_jy IS NOT NULL");
        return new Outcome(epochsDone, epochsPlanned, base, ese, target, measured, candidates, median(chi2), median(eta),
                n == 0 ? Double.NaN : within / (double) n, nNorm == 0 ? Double.NaN : withinNorm / (double) nNorm,
                (int) normalizedImages, raw, rawNames, wall);
    }

    /** A stored number, NaN when null (the store writes NaN as null). */
    private static double d(Object v) {
        return v instanceof Number x ? x.doubleValue() : Double.NaN;
    }

    /** Within 1″ of the sky source (catalog ids are re-derived from positions by the hub). */
    static boolean near(SkySource s, double raDeg, double decDeg) {
        return SkyGeometry.separationRad(s.raRad(), s.decRad(), Math.toRadians(raDeg), Math.toRadians(decDeg))
                < Math.toRadians(1.0 / 3600);
    }

    private static double median(List<Double> v) {
        return TruthComparison.Summary.of(v.stream().mapToDouble(Double::doubleValue).toArray()).median();
    }
}
