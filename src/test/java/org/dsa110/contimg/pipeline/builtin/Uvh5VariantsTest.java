package org.dsa110.contimg.pipeline.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.dsa110.contimg.DebianPython;
import org.dsa110.contimg.science.hdf5.Uvh5Data;
import org.dsa110.contimg.science.hdf5.Uvh5FormatException;
import org.dsa110.contimg.science.hdf5.Uvh5PhaseCentres;
import org.dsa110.contimg.science.hdf5.Uvh5Phasing;
import org.dsa110.contimg.science.hdf5.Uvh5Reader;
import org.dsa110.contimg.science.hdf5.Uvh5Writer;
import org.dsa110.contimg.science.radio.Astrometry;
import org.dsa110.contimg.science.radio.CalibratorMatcher;
import org.dsa110.contimg.science.radio.DriftScanPhasing;
import org.dsa110.contimg.science.radio.PointSource;
import org.dsa110.contimg.science.radio.Visibilities;
import org.dsa110.contimg.science.radio.VlaCalibrator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 point 4: the conversion takes UVH5 files however they state the same data (DSA-110's legacy header,
 * pyuvdata's rewrites, unprojected, phased with the catalog, legacy keys or the first JSON catalog layout, baseline-
 * major, conjugated baselines, auto-correlations) and gives the same ICRS-phased visibilities as for the hub's own
 * files; what it cannot interpret is refused naming the field. The variants are written with h5py
 * ({@code uvh5_variants.py}) from a small simulated group (two subbands, two sources) and its sidereal-phased copy
 * (written here with our writer); skipped without Debian's python3-h5py.
 */
class Uvh5VariantsTest {
    @TempDir
    static Path tmp;

    private static SubbandCombiner.Combined reference;
    private static Path variants;

    @BeforeAll
    static void writeVariants() throws Exception {
        Assumptions.assumeTrue(DebianPython.has("h5py, numpy"),
                "skipping the UVH5 variants: /usr/bin/python3 lacks h5py (install python3-h5py)");
        RadioGroupFixture fx = new RadioGroupFixture(7, 2, 3, 3, 0.0);
        VlaCalibrator cal = RadioGroupFixture.calibrator("0542+498");
        double start = fx.startJd(cal, 2460973.0, 20);
        double[] c = Astrometry.DSA110.meridianIcrs(start, Math.toRadians(RadioGroupFixture.POINTING_DEC_DEG));
        List<PointSource> sky = List.of(RadioGroupFixture.offset(Math.toDegrees(c[0]), Math.toDegrees(c[1]), 0.3,
                0.2, 2.0), RadioGroupFixture.offset(Math.toDegrees(c[0]), Math.toDegrees(c[1]), -0.5, -0.4, 1.0));
        Path drift = Files.createDirectories(tmp.resolve("drift"));
        List<Path> files = fx.write(drift, start, sky, null, 1);
        reference = combine(drift);
        // the same group phased to the reference's ICRS centre, stated as a sidereal catalog entry
        Path sidereal = Files.createDirectories(tmp.resolve("sidereal"));
        double ra0 = reference.data().fieldRaRad()[0], dec0 = reference.data().fieldDecRad()[0];
        for (Path f : files) {
            Uvh5Writer.write(phasedTo(Uvh5Reader.read(f), ra0, dec0), sidereal.resolve(f.getFileName()));
        }
        variants = Files.createDirectories(tmp.resolve("variants"));
        Process p = new ProcessBuilder(DebianPython.PYTHON, script().toString(), drift.toString(),
                sidereal.toString(), variants.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "uvh5_variants.py timed out");
        assertEquals(0, p.exitValue(), out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dsa110_legacy", "pyuvdata_rewrite", "unprojected", "sidereal_legacy", "sidereal_json",
        "baseline_major", "conjugated", "autos"})
    void acceptedVariantsGiveTheSameVisibilities(String variant) throws Exception {
        SubbandCombiner.Combined c = combine(variants.resolve(variant));
        Visibilities got = c.data().vis();
        Visibilities want = reference.data().vis();
        assertEquals(want.phaseCentreRa()[0], got.phaseCentreRa()[0], 1e-12, "ICRS phase centre");
        assertEquals(want.phaseCentreDec()[0], got.phaseCentreDec()[0], 1e-12, "ICRS phase centre");
        Map<String, Integer> rows = new HashMap<>();
        for (int b = 0; b < want.nBlt(); b++) {
            rows.put(key(want, b), b);
        }
        int matched = 0, autos = 0;
        double worstVis = 0, worstUvw = 0, peak = 0;
        for (int b = 0; b < got.nBlt(); b++) {
            if (got.ant1()[b] == got.ant2()[b]) {
                autos++;
                continue;
            }
            Integer r = rows.get(key(got, b));
            assertNotNull(r, variant + ": baseline-time " + key(got, b) + " not in the reference");
            matched++;
            for (int k = 0; k < 3; k++) {
                worstUvw = Math.max(worstUvw, Math.abs(got.uvw()[3 * b + k] - want.uvw()[3 * r + k]));
            }
            for (int ch = 0; ch < got.nChan(); ch++) {
                for (int p = 0; p < got.nPol(); p++) {
                    int i = got.index(b, ch, p), j = want.index(r, ch, p);
                    worstVis = Math.max(worstVis, Math.hypot(got.re()[i] - want.re()[j], got.im()[i] - want.im()[j]));
                    peak = Math.max(peak, Math.hypot(want.re()[j], want.im()[j]));
                }
            }
        }
        assertEquals(want.nBlt(), matched, variant + ": every cross-correlation present");
        assertEquals("autos".equals(variant) ? 7 * 3 : 0, autos, variant + ": auto-correlations kept");
        assertTrue(peak > 1, "visibilities present");
        assertTrue(worstUvw < 1e-6, variant + ": uvw differ by " + worstUvw + " m");
        assertTrue(worstVis < 1e-5 * peak, variant + ": visibilities differ by " + worstVis + " of " + peak);
    }

    /** pyuvdata's legacy drift file, nothing said of the pointing: phased to the zenith at the group's mean time. */
    @org.junit.jupiter.api.Test
    void aPlainDriftFileIsTakenAsUnprojectedAndImagedAtTheZenith() throws Exception {
        SubbandCombiner.Combined c = combine(variants.resolve("unprojected_plain"));
        Visibilities v = c.data().vis();
        double[] times = java.util.Arrays.stream(v.timeJd()).distinct().sorted().toArray();
        double[] zenith = Astrometry.DSA110.meridianIcrs((times[0] + times[times.length - 1]) / 2,
                Math.toRadians(org.dsa110.contimg.science.radio.ObservatorySite.DSA110.latitudeDeg()));
        assertEquals(zenith[0], v.phaseCentreRa()[0], 1e-9);
        assertEquals(zenith[1], v.phaseCentreDec()[0], 1e-9);
        assertEquals(reference.data().vis().nBlt(), v.nBlt());
    }

    static Stream<Arguments> rejected() {
        return Stream.of(Arguments.of("ephem", "Header/phase_center_catalog/0/cat_type"),
                Arguments.of("no_statement", "Header/phase_type"),
                Arguments.of("bad_phase_type", "Header/phase_type"),
                Arguments.of("uvw_contradicts", "Header/uvw_array"),
                Arguments.of("bad_frame", "Header/phase_center_catalog/0/cat_frame"),
                Arguments.of("unknown_id", "Header/phase_center_id_array"));
    }

    @ParameterizedTest
    @MethodSource("rejected")
    void whatCannotBeInterpretedIsRefusedNamingTheField(String variant, String field) throws Exception {
        Uvh5FormatException e = assertThrows(Uvh5FormatException.class, () -> combine(variants.resolve(variant)));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().startsWith("subband 0: " + field + ": "), e.getMessage());
    }

    /** Through the conversion stage: invalid_input, a permanent failure, naming the file or subband and the field. */
    @ParameterizedTest
    @ValueSource(strings = {"ephem", "no_cat_type"})
    void theConversionStageFailsPermanentlyAsInvalidInput(String variant) throws Exception {
        javax.sql.DataSource ds = org.dsa110.contimg.store.TestDatabases.h2Memory();
        org.dsa110.contimg.store.TestDatabases.migrate(ds);
        org.dsa110.contimg.store.Db db = new org.dsa110.contimg.store.Db(ds, org.dsa110.contimg.store.Db.Dialect.H2);
        db.update("INSERT INTO ingest_groups (group_id, group_time, state, expected_subbands, subbands_present) "
                + "VALUES ('g', ?, 'in_progress', 2, 2)", java.time.Instant.parse("2025-10-24T00:00:00Z"));
        List<String> inputs;
        try (Stream<Path> s = Files.list(variants.resolve(variant))) {
            inputs = s.sorted().map(Path::toString).toList();
        }
        org.dsa110.contimg.pipeline.PermanentStageException e = assertThrows(
                org.dsa110.contimg.pipeline.PermanentStageException.class,
                () -> new ConversionStage(new RadioStore(db), CalibratorMatcher.dsa110Default(), Astrometry.DSA110)
                        .run(new org.dsa110.contimg.pipeline.StageRequest("conversion", "g", 1, 1, inputs,
                                tmp.resolve("out-" + variant), Map.of(),
                                org.dsa110.contimg.pipeline.StageLogSink.DISCARD)));
        assertEquals(org.dsa110.contimg.pipeline.PermanentStageException.INVALID_INPUT, e.reason());
        assertTrue(e.getMessage().contains("Header/phase_center_catalog/0/cat_type"), e.getMessage());
        assertTrue(e.getMessage().matches("(?s).*(_sb0[01]\\.hdf5|subband 0).*"), e.getMessage());
    }

    /** The subband files of {@code dir}, read and combined as the conversion stage does. */
    static SubbandCombiner.Combined combine(Path dir) throws IOException {
        TreeMap<Integer, Uvh5Data> in = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.sorted().toList()) {
                String n = f.getFileName().toString();
                in.put(Integer.parseInt(n.substring(n.length() - 7, n.length() - 5)), Uvh5Reader.read(f));
            }
        }
        return new SubbandCombiner(CalibratorMatcher.dsa110Default(), Astrometry.DSA110).combine(in, in.size(), "g");
    }

    /** {@code d} (the hub's meridian drift scan) phased to the ICRS position (ra0, dec0), with uvw along ICRS axes. */
    private static Uvh5Data phasedTo(Uvh5Data d, double ra0, double dec0) {
        Uvh5Phasing ph = Uvh5Phasing.of(d, Astrometry.DSA110);
        int n = d.nBlts(), cells = n * d.nFreqs() * d.nPols();
        float[] re = new float[cells], im = new float[cells];
        for (int i = 0; i < cells; i++) {
            re[i] = d.visibilities()[2 * i];
            im[i] = d.visibilities()[2 * i + 1];
        }
        Visibilities meridian = new Visibilities(n, d.nFreqs(), d.nPols(), d.blts().timeJd(), d.blts().ant1(),
                d.blts().ant2(), d.blts().uvwM(), ph.appRa(), ph.appDec(), d.freqHz(), re, im, new float[cells],
                new boolean[cells]);
        DriftScanPhasing.Rephase r = DriftScanPhasing.toIcrs(meridian, ra0, dec0, Astrometry.DSA110);
        r.applyPhase(meridian, 1);
        float[] vis = new float[2 * cells];
        for (int i = 0; i < cells; i++) {
            vis[2 * i] = re[i];
            vis[2 * i + 1] = im[i];
        }
        double[] appRa = new double[n], appDec = new double[n], pa = new double[n];
        for (int b = 0; b < n; b++) {
            Astrometry.Instant at = Astrometry.DSA110.at(d.blts().timeJd()[b]);
            double[] app = at.icrsToApparent(ra0, dec0);
            appRa[b] = app[0];
            appDec[b] = app[1];
            pa[b] = at.framePositionAngle(ra0, dec0);
        }
        Uvh5Data.BaselineTimes blts = new Uvh5Data.BaselineTimes(d.blts().ant1(), d.blts().ant2(), d.blts().timeJd(),
                d.blts().lstRad(), d.blts().integrationTimeS(), r.uvw());
        return new Uvh5Data(d.telescope(), "field", d.history(), d.visUnits(), blts, d.freqHz(), d.channelWidthHz(),
                d.polarizations(), vis, d.flags(), d.nsamples(), d.extraKeywords(),
                Uvh5PhaseCentres.sidereal("field", ra0, dec0, appRa, appDec, pa));
    }

    private static String key(Visibilities v, int b) {
        return v.timeJd()[b] + ":" + v.ant1()[b] + "-" + v.ant2()[b];
    }

    private static Path script() throws Exception {
        return Path.of(Uvh5VariantsTest.class.getResource("uvh5_variants.py").toURI());
    }
}
