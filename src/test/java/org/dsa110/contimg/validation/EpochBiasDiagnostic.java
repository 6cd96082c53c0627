package org.dsa110.contimg.validation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dsa110.contimg.pipeline.StageResult;
import org.dsa110.contimg.pipeline.builtin.InProcessPipeline;
import org.dsa110.contimg.science.fits.FitsImage;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.photometry.ForcedPhotometry;
import org.dsa110.contimg.science.photometry.PhotometryResult;
import org.dsa110.contimg.science.photometry.SkyOrientation;
import org.dsa110.contimg.science.radio.SkyGeometry;
import org.dsa110.contimg.science.sim.GroupSimulator;
import org.dsa110.contimg.science.sim.ObservingPlan;
import org.dsa110.contimg.science.sim.SimConfig;
import org.dsa110.contimg.science.sim.SkySource;
import org.dsa110.contimg.science.wcs.CelestialWcs;

/**
 * Diagnostic of the per-source bias of the validation report's steady field (docs/mosaics-photometry.md, "Error
 * model"): one epoch of {@link SteadyEpochs}'s field (same array, band, sky and seed; the SEFD can be set, 0 =
 * noiseless, which shows the part of each source's bias that repeats every epoch), converted and calibrated once,
 * then imaged by the imaging stage once per variant of its parameters, and measured by forced photometry at the true
 * positions on the pbcor and on the restored image. The truth: S(ν_image) for the pbcor image; for the restored
 * image the apparent flux computed from the simulator's own plan, the mean over integrations and channels of
 * S(ν)·B(θ_t, ν) (beam on each integration's meridian), independent of the pipeline's primary-beam code. Also
 * printed: ⟨S⟩ over the band / S(ν_image) and the time- and band-averaged beam / the time-averaged beam at the image
 * frequency. Each variant's restored image is kept as {@code <work>/variants/<name>.image.fits}. Findings and figures:
 * docs/mosaics-photometry.md, "Error model" (the remaining bias, diagnosed).
 *
 * <p>Usage (from the project directory, classpath as bench/validate.sh builds it):
 * {@code java -cp ... org.dsa110.contimg.validation.EpochBiasDiagnostic [--sefd JY] [--seed S] [--epoch K]
 * [--work DIR] [name:key=value,key=value ...]}; each variant is the packaged imaging parameters (max-size 2048)
 * plus its overrides; the default is one variant "packaged". Not a test: it prints tables.
 */
public final class EpochBiasDiagnostic {

    private EpochBiasDiagnostic() {
    }

    public static void main(String[] args) throws Exception {
        double sefd = SimConfig.DEFAULT_SEFD_JY;
        long seed = 11;
        int epoch = 0;
        Path work = null;
        Map<String, Map<String, Object>> variants = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sefd" -> sefd = Double.parseDouble(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--epoch" -> epoch = Integer.parseInt(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                default -> variants.put(args[i].split(":", 2)[0], overrides(args[i]));
            }
        }
        if (variants.isEmpty()) {
            variants.put("packaged", Map.of());
        }
        Path dir = work != null ? work : Files.createTempDirectory("epoch-bias");
        Instant start = Instant.parse("2026-02-01T06:00:00Z");
        SimConfig base = SimConfig.defaults(dir.resolve("incoming").resolve("e00")).withAntennas(24)
                .withChannelsPerSubband(4).withIntegrations(6).withGroups(1).withGains(false).withStart(start)
                .withSeed(seed + 500).withSefdJy(sefd);
        GroupSimulator first = new GroupSimulator(base);
        List<SkySource> sky = first.sky();
        InProcessPipeline pipe = new InProcessPipeline(dir);
        pipe.imagingParam("max-size", 2048);
        pipe.loadCatalog(first.writeCatalog());
        SimConfig cfg = base.withOutputDir(dir.resolve("incoming").resolve(String.format("e%02d", epoch)))
                .withStart(start.plusMillis(Math.round(epoch * SteadyEpochs.SIDEREAL_DAY_SEC * 1000)))
                .withSeed(seed + 1000 + epoch).withFixedSky(sky);
        GroupSimulator sim = new GroupSimulator(cfg);
        String group = sim.groups().get(0).groupId();
        StageResult conv = pipe.convert(group, sim.writeGroup(0), cfg.subbands());
        String calibrated = pipe.run("calibration_apply", group, conv.outputs(), Map.of()).outputs().get(0);
        double[] centre = sim.phaseCentre(0);
        List<SkySource> targets = sim.modelSources(0).stream().filter(s -> !s.calibrator())
                .filter(s -> sep(s, centre) < Math.toRadians(0.5) && s.fluxJy() >= 0.010).toList();
        System.out.printf(Locale.ROOT, "epoch %d, SEFD %.0f Jy, %d model sources, %d targets%n", epoch, sefd,
                sim.modelSources(0).size(), targets.size());
        for (Map.Entry<String, Map<String, Object>> v : variants.entrySet()) {
            long t0 = System.nanoTime();
            StageResult img = pipe.run("imaging", group, List.of(calibrated), v.getValue());
            System.out.printf(Locale.ROOT, "%n== %s %s (%.1f s): %d iterations, %s major cycles, threshold %.2f mJy, "
                    + "residual rms %.3f mJy, catalogue outliers %s%n", v.getKey(), v.getValue(),
                    (System.nanoTime() - t0) / 1e9, (Integer) img.metrics().get("clean_iterations"),
                    img.metrics().get("major_cycles"), 1e3 * (Double) img.metrics().get("clean_threshold_jy"),
                    1e3 * (Double) img.metrics().get("residual_rms_jy"),
                    img.metrics().get("catalog_outliers_subtracted"));
            report(sim, targets, Path.of(img.outputs().get(0)), Path.of(img.outputs().get(1)));
            // each variant's images kept under <work>/variants (the stage writes to the same place every run)
            Path keep = Files.createDirectories(dir.resolve("variants"));
            Files.copy(Path.of(img.outputs().get(1)), keep.resolve(v.getKey() + ".image.fits"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        System.exit(0); // H2 keeps non-daemon threads
    }

    private static void report(GroupSimulator sim, List<SkySource> targets, Path pbcor, Path restored)
            throws Exception {
        try (FitsImage pb = FitsImage.open(pbcor); FitsImage im = FitsImage.open(restored)) {
            CelestialWcs wcs = pb.wcs();
            ImagePlane pbPlane = pb.readPlane();
            ImagePlane imPlane = im.readPlane();
            double freq = pb.header().getDoubleValue("CRVAL3");
            ForcedPhotometry phot = new ForcedPhotometry(ForcedPhotometry.Parameters.DEFAULTS
                    .withOrientation(SkyOrientation.fromCdelt1(wcs.cd()[0])));
            System.out.printf(Locale.ROOT, "%-22s %6s %8s %8s %8s %7s %8s %8s %7s %8s %7s %8s %8s%n", "source",
                    "r(deg)", "S(nu)", "pbcor", "bias", "sigma", "<S.B>", "image", "bias", "<SB>/SB", "B_eff", "<S>/S",
                    "<B>/B");
            for (SkySource s : targets) {
                double[] px = wcs.worldToPixel(s.raDeg(), s.decDeg());
                PhotometryResult p = phot.measure(pbPlane, px[0], px[1], wcs.pixelScaleDeg(), pb.beam());
                PhotometryResult a = phot.measure(imPlane, px[0], px[1], wcs.pixelScaleDeg(), im.beam());
                double truth = s.fluxAt(freq);
                double[] app = apparent(sim, s, freq);
                System.out.printf(Locale.ROOT, "%-22s %6.3f %8.2f %8.2f %+8.2f %7.2f %8.2f %8.2f %+8.2f %8.5f %7.4f %8.5f %8.5f%n",
                        s.name(), Math.toDegrees(sep(s, sim.phaseCentre(0))), 1e3 * truth, 1e3 * p.peakJyb(),
                        1e3 * (p.peakJyb() - truth), 1e3 * p.peakErrJyb(), 1e3 * app[0], 1e3 * a.peakJyb(),
                        1e3 * (a.peakJyb() - app[0]), app[0] / (truth * app[1]), app[1], app[2] / truth, app[3] / app[1]);
            }
        }
    }

    /**
     * {mean over integrations and channels of S(ν)·B(θ_t, ν), mean over integrations of B(θ_t, ν_image), mean of
     * S(ν) over the channels, mean of B(θ_t, ν) over integrations and channels}: the apparent flux of the source in a
     * uniformly weighted multi-frequency image, the time-averaged beam at the image frequency, the band-averaged
     * flux and the time- and band-averaged beam, from the simulator's plan (meridian of each integration).
     */
    static double[] apparent(GroupSimulator sim, SkySource s, double freqImage) {
        ObservingPlan.GroupPlan plan = sim.groups().get(0);
        double dec = Math.toRadians(sim.config().pointingDecDeg());
        List<Double> freqs = new ArrayList<>();
        for (int sb = 0; sb < sim.config().subbands(); sb++) {
            for (double f : sim.subbandFrequencies(sb)) {
                freqs.add(f);
            }
        }
        double sum = 0, beamSum = 0, fluxSum = 0, bandBeamSum = 0;
        for (double t : plan.timesJd()) {
            double[] c = ObservingPlan.meridianIcrs(t, dec, sim.astrometry());
            double theta = SkyGeometry.separationRad(s.raRad(), s.decRad(), c[0], c[1]);
            for (double f : freqs) {
                sum += s.fluxAt(f) * sim.beam().response(theta, f);
                fluxSum += s.fluxAt(f);
                bandBeamSum += sim.beam().response(theta, f);
            }
            beamSum += sim.beam().response(theta, freqImage);
        }
        int nt = plan.timesJd().length;
        int n = nt * freqs.size();
        return new double[] {sum / n, beamSum / nt, fluxSum / n, bandBeamSum / n};
    }

    private static double sep(SkySource s, double[] c) {
        return SkyGeometry.separationRad(s.raRad(), s.decRad(), c[0], c[1]);
    }

    /** "name:key=value,key=value" → the overrides. */
    private static Map<String, Object> overrides(String spec) {
        Map<String, Object> out = new LinkedHashMap<>();
        String[] parts = spec.split(":", 2);
        if (parts.length == 2 && !parts[1].isBlank()) {
            for (String kv : parts[1].split(",")) {
                String[] p = kv.split("=", 2);
                out.put(p[0].trim(), p[1].trim());
            }
        }
        return out;
    }
}
