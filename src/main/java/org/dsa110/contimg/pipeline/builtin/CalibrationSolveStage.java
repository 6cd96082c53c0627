package org.dsa110.contimg.pipeline.builtin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.pipeline.PermanentStageException;
import org.dsa110.contimg.pipeline.StageExecutor;
import org.dsa110.contimg.pipeline.StageInputs;
import org.dsa110.contimg.pipeline.StageRequest;
import org.dsa110.contimg.pipeline.StageResult;
import org.dsa110.contimg.science.calibration.BandpassSolution;
import org.dsa110.contimg.science.calibration.GainSolution;
import org.dsa110.contimg.products.ReferenceCatalog;
import org.dsa110.contimg.science.calibration.GainSolver;
import org.dsa110.contimg.science.calibration.GainSolverOptions;
import org.dsa110.contimg.science.radio.PointSource;
import org.dsa110.contimg.science.radio.PrimaryBeam;
import org.dsa110.contimg.science.radio.SkyGeometry;
import org.dsa110.contimg.science.sim.SkySource;
import org.dsa110.contimg.science.radio.JulianDate;
import org.dsa110.contimg.science.radio.StokesIModel;
import org.dsa110.contimg.science.radio.Visibilities;
import org.dsa110.contimg.science.radio.VisibilityModel;
import org.dsa110.contimg.science.uvfits.UvfitsData;
import org.dsa110.contimg.science.uvfits.UvfitsReader;

/**
 * Builtin {@code calibration_solve} (groups with a calibrator): on the calibrator's recommended fields, solves the
 * bandpass (per antenna and channel, all times) then phase-only gains (per antenna, {@code solint-sec} chunks; 0 = one
 * chunk) against a point-source model of the calibrator (catalogue position and L-band flux, Airy primary beam),
 * with StEFCal ({@link GainSolver}); reference antenna from the {@code refant} chain, solutions under {@code min-snr}
 * flagged. Writes the BP and GP tables as FITS binary tables and registers them as the set
 * {@code <group>_<calibrator>} with validity windows of {@code bandpass-validity-hours} and
 * {@code gain-validity-minutes} centred on the calibrator observation.
 */
public final class CalibrationSolveStage implements StageExecutor {
    /** Catalog sources near the calibrator field: {@code cone(raDeg, decDeg, radiusDeg)} as point sources (ICRS, Jy). */
    @FunctionalInterface
    interface FieldCatalog {
        List<PointSource> cone(double raDeg, double decDeg, double radiusDeg);

        /** The hub's reference catalog (its configured survey) as flat-spectrum point sources with a flux. */
        static FieldCatalog of(java.util.function.Supplier<ReferenceCatalog> catalog) {
            return (ra, dec, radius) -> {
                ReferenceCatalog c = catalog.get();
                return c.cone(ra, dec, radius, c.catalogName(), null).stream()
                        .filter(s -> s.fluxMjy() != null && s.fluxMjy() > 0)
                        .map(s -> PointSource.flat(Math.toRadians(s.raDeg()), Math.toRadians(s.decDeg()),
                                s.fluxMjy() / 1000.0))
                        .toList();
            };
        }
    }

    /** Catalog sources within 60″ of the calibrator are the calibrator itself (VLA lists are in NVSS too). */
    private static final double SAME_SOURCE_RAD = Math.toRadians(60.0 / 3600);

    private final RadioStore store;
    private final CalibrationRegistry registry;
    private final FieldCatalog catalog;

    /** Solves against the calibrator alone (no field model). */
    CalibrationSolveStage(RadioStore store, CalibrationRegistry registry) {
        this(store, registry, null);
    }

    /** @param catalog the field model's source of catalog sources, or null for the calibrator alone */
    CalibrationSolveStage(RadioStore store, CalibrationRegistry registry, FieldCatalog catalog) {
        this.store = store;
        this.registry = registry;
        this.catalog = catalog;
    }

    @Override
    public StageResult run(StageRequest req) throws Exception {
        StageParams p = new StageParams(req.stage(), req.params());
        Path msPath = Path.of(req.inputs().get(0));
        Map<String, Object> cal = store.bestMatch(req.groupId()).orElseThrow(() -> new PermanentStageException(
                PermanentStageException.INVALID_INPUT, "group " + req.groupId() + " has no calibrator match"));
        String calName = (String) cal.get("name");
        long t0 = System.nanoTime();
        UvfitsData data = StageInputs.read(msPath, "UVFITS", UvfitsReader::read);
        long t1 = System.nanoTime();
        int[] fields = recommended((String) cal.get("recommended_fields"), data.nFields());
        Visibilities sel = VisibilitySelection.fields(data, fields);
        if (sel.nBlt() == 0) {
            throw new PermanentStageException(PermanentStageException.INVALID_INPUT,
                    "no data in the calibrator fields of group " + req.groupId());
        }
        PointSource src = PointSource.flat(Math.toRadians(((Number) cal.get("ra_deg")).doubleValue()),
                Math.toRadians(((Number) cal.get("dec_deg")).doubleValue()), ((Number) cal.get("flux_jy")).doubleValue());
        // the beam follows each field's pointing (the meridian), not the group's phase centre
        double[][] pointing = VisibilitySelection.pointing(data, fields);
        List<PointSource> sky = new java.util.ArrayList<>();
        sky.add(src);
        if (catalog != null && p.bool("field-model", true)) {
            sky.addAll(fieldSources(src, pointing, p.number("field-model-radius-deg", 3.2),
                    p.number("field-model-min-mjy", 5.0) / 1000.0, p.nonNegativeInteger("field-model-max-sources", 50)));
        }
        StokesIModel model = new VisibilityModel(sky, PrimaryBeam.dsa110()).pointedAt(pointing[0],
                pointing[1]).stokesI(sel);
        GainSolverOptions opts = GainSolverOptions.defaults()
                .withRefAntennaChain(p.integers("refant", GainSolverOptions.DSA110_REF_ANTENNA_CHAIN))
                .withMinSnr(p.number("min-snr", 3.0));
        double[] times = sel.uniqueTimes();
        double span = (times[times.length - 1] - times[0]) * 86400 + 1;
        double solint = p.number("solint-sec", 0);
        GainSolver.Solutions sol = new GainSolver(opts).solve(sel, model, solint > 0 ? solint : span + 1);
        long t2 = System.nanoTime();
        BandpassSolution bp = sol.bandpass();
        GainSolution gp = sol.gains();
        if (bp.flaggedFraction() >= 1.0 || gp.flaggedFraction() >= 1.0) {
            throw new PermanentStageException("calibration_failed", "every solution of group " + req.groupId()
                    + " is flagged (calibrator " + calName + " too faint or data flagged)");
        }
        Files.createDirectories(req.outputDir());
        String base = ConversionStage.fileName(req.groupId()) + "_" + calName.replaceAll("[^A-Za-z0-9.+-]", "_");
        Path bpPath = req.outputDir().resolve(base + ".bpcal.fits").toAbsolutePath();
        Path gpPath = req.outputDir().resolve(base + ".gpcal.fits").toAbsolutePath();
        CalibrationTables.writeBandpass(bp, req.groupId(), calName, bpPath);
        CalibrationTables.writeGains(gp, req.groupId(), calName, gpPath);
        long t3 = System.nanoTime();
        double midMjd = JulianDate.jdToMjd((times[0] + times[times.length - 1]) / 2);
        String refant = String.valueOf(gp.refAntenna(0));
        String set = registry.register(req.groupId(), calName, msPath.toString(), midMjd, bpPath, bp,
                p.number("bandpass-validity-hours", 24) / 24.0, gpPath, gp,
                p.number("gain-validity-minutes", 30) / 1440.0, refant);
        long t4 = System.nanoTime();
        double flagged = (bp.flaggedFraction() + gp.flaggedFraction()) / 2;
        String quality = flagged < 0.1 ? "excellent" : flagged < 0.3 ? "good" : flagged < 0.5 ? "marginal" : "poor";
        store.db().update("UPDATE ms_index SET calibration_quality = ? WHERE path = ?", quality, msPath.toString());
        req.log().info(String.format("solved %s on %s (%d fields, %d antennas): refant %s, bandpass flagged %.3f, "
                + "gains flagged %.3f -> set %s", calName, msPath.getFileName(), fields.length, bp.antennas().length,
                refant, bp.flaggedFraction(), gp.flaggedFraction(), set));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("calibrator", calName);
        m.put("calibration_set", set);
        m.put("refant", gp.refAntenna(0));
        m.put("fields", fields.length);
        m.put("antennas", bp.antennas().length);
        m.put("bandpass_flagged_fraction", bp.flaggedFraction());
        m.put("gain_flagged_fraction", gp.flaggedFraction());
        m.put("quality", quality);
        m.put("field_model_sources", sky.size() - 1);
        m.put("read_sec", (t1 - t0) / 1e9);
        m.put("solve_sec", (t2 - t1) / 1e9);
        m.put("tables_sec", (t3 - t2) / 1e9);
        m.put("register_sec", (t4 - t3) / 1e9);
        return new StageResult(List.of(bpPath.toString(), gpPath.toString()), m);
    }

    /**
     * The catalog sources of the calibrator field other than the calibrator: within {@code radiusDeg} of the mean
     * pointing and at least {@code minApparentJy} after the primary beam there (1.4 GHz), the {@code maxSources}
     * brightest of them by that apparent flux (0 = all; the model's cost is proportional to its sources). Without them
     * the solve fits the whole field's visibilities with the calibrator alone, and the per-antenna, per-channel gains
     * absorb part of every unmodelled source: the calibrator comes out right and every other source too faint
     * (docs/radio-stages.md, "Flux scale").
     */
    private List<PointSource> fieldSources(PointSource cal, double[][] pointing, double radiusDeg,
                                           double minApparentJy, int maxSources) {
        double[] centre = meanDirection(pointing);
        PrimaryBeam beam = PrimaryBeam.dsa110();
        List<PointSource> out = new java.util.ArrayList<>();
        Map<PointSource, Double> apparent = new java.util.IdentityHashMap<>();
        for (PointSource s : catalog.cone(Math.toDegrees(centre[0]), Math.toDegrees(centre[1]), radiusDeg)) {
            if (SkyGeometry.separationRad(s.raRad(), s.decRad(), cal.raRad(), cal.decRad()) < SAME_SOURCE_RAD) {
                continue;
            }
            double b = beam.response(SkyGeometry.separationRad(s.raRad(), s.decRad(), centre[0], centre[1]),
                    SkySource.REF_FREQ_HZ);
            if (s.fluxJy() * b >= minApparentJy) {
                out.add(s);
                apparent.put(s, s.fluxJy() * b);
            }
        }
        if (maxSources > 0 && out.size() > maxSources) {
            out.sort(java.util.Comparator.comparingDouble((PointSource s) -> apparent.get(s)).reversed());
            return List.copyOf(out.subList(0, maxSources));
        }
        return out;
    }

    /** Mean direction of the per-blt pointings {ra[], dec[]} (unit vectors summed). */
    private static double[] meanDirection(double[][] pointing) {
        double[] sum = new double[3];
        for (int b = 0; b < pointing[0].length; b++) {
            double[] u = SkyGeometry.unitVector(pointing[0][b], pointing[1][b]);
            for (int i = 0; i < 3; i++) {
                sum[i] += u[i];
            }
        }
        return SkyGeometry.raDec(sum);
    }

    /** The match's recommended fields (JSON array), all fields when absent. */
    static int[] recommended(String json, int nFields) {
        if (json != null && !json.isBlank()) {
            try {
                int[] f = Json.MAPPER.readValue(json, int[].class);
                if (f.length > 0) {
                    return java.util.Arrays.stream(f).filter(i -> i >= 0 && i < nFields).toArray();
                }
            } catch (Exception ignored) {
                // fall through: all fields
            }
        }
        return java.util.stream.IntStream.range(0, nFields).toArray();
    }
}
