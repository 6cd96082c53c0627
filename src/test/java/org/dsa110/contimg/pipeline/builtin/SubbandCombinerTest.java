package org.dsa110.contimg.pipeline.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.dsa110.contimg.science.hdf5.Uvh5Data;
import org.dsa110.contimg.science.hdf5.Uvh5Reader;
import org.dsa110.contimg.science.radio.Astrometry;
import org.dsa110.contimg.science.radio.CalibratorMatcher;
import org.dsa110.contimg.science.radio.PointSource;
import org.dsa110.contimg.science.radio.PrimaryBeam;
import org.dsa110.contimg.science.radio.Visibilities;
import org.dsa110.contimg.science.radio.VisibilityModel;
import org.dsa110.contimg.science.radio.VlaCalibrator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubbandCombinerTest {
    @TempDir
    Path tmp;

    @Test
    void joinsSubbandsAscendingFillsTheMissingOneAndKeepsTheSkyInJ2000() throws Exception {
        RadioGroupFixture fx = new RadioGroupFixture(12, 4, 3, 3, 0.0);
        VlaCalibrator cal = RadioGroupFixture.calibrator("0542+498");
        double start = fx.startJd(cal, 2460973.0, 0.0);
        // the calibrator and a second source 0.3 deg away, no gains, no noise
        List<PointSource> sky = List.of(PointSource.flat(cal.raRad(), cal.decRad(), cal.fluxJy()),
                RadioGroupFixture.offset(cal.raDeg(), cal.decDeg(), 0.2, -0.25, 3.0));
        List<Path> files = fx.write(tmp, start, sky, null, 1);
        TreeMap<Integer, Uvh5Data> in = new TreeMap<>();
        for (int sb : new int[] {0, 1, 3}) { // sb02 missing
            in.put(sb, Uvh5Reader.read(files.get(sb)));
        }
        SubbandCombiner.Combined c = new SubbandCombiner(CalibratorMatcher.dsa110Default(), Astrometry.DSA110).combine(in, 4, "g");
        Visibilities v = c.data().vis();
        assertEquals(12, v.nChan());
        for (int i = 1; i < v.nChan(); i++) {
            assertEquals(RadioGroupFixture.CHANNEL_WIDTH_HZ, v.freqHz()[i] - v.freqHz()[i - 1], 1.0, "ascending, uniform");
        }
        assertEquals(List.of(2), c.missingSubbands());
        // sb02 covers channels 3..5 of the ascending band (sb03 is the lowest): flagged, zero weight
        for (int b = 0; b < v.nBlt(); b++) {
            for (int ch = 0; ch < v.nChan(); ch++) {
                boolean missing = ch >= 3 && ch < 6;
                assertEquals(missing, v.flag()[v.index(b, ch, 0)], "channel " + ch);
                assertEquals(missing, v.weight()[v.index(b, ch, 1)] == 0f);
            }
        }
        assertTrue(c.best().isPresent(), "calibrator found");
        assertEquals("0542+498", c.best().get().calibrator().name());
        assertTrue(c.data().fieldNames()[1].startsWith("0542+498_t"), c.data().fieldNames()[1]);
        assertEquals(3, c.data().nFields());

        // J2000 frame: the model of the J2000 sky on the converted uvw and phase centres equals the data
        Visibilities model = v.emptyCopy();
        new VisibilityModel(sky, PrimaryBeam.dsa110()).predict(model, null);
        double maxErr = 0, maxAmp = 0;
        for (int i = 0; i < v.re().length; i++) {
            if (!v.flag()[i] && v.ant1()[i / (v.nChan() * v.nPol())] != v.ant2()[i / (v.nChan() * v.nPol())]) {
                maxErr = Math.max(maxErr, Math.hypot(v.re()[i] - model.re()[i], v.im()[i] - model.im()[i]));
                maxAmp = Math.max(maxAmp, Math.hypot(v.re()[i], v.im()[i]));
            }
        }
        assertTrue(maxAmp > 10, "calibrator visibilities present: " + maxAmp);
        assertTrue(maxErr < 0.01 * maxAmp, "J2000 model matches the converted data: error " + maxErr + " of " + maxAmp);
    }

    @Test
    void inconsistentSubbandsAreRefused() throws Exception {
        RadioGroupFixture a = new RadioGroupFixture(6, 2, 2, 2, 0.0);
        RadioGroupFixture b = new RadioGroupFixture(6, 2, 2, 3, 0.0);
        VlaCalibrator cal = RadioGroupFixture.calibrator("0542+498");
        Path da = tmp.resolve("a");
        Path db = tmp.resolve("b");
        java.nio.file.Files.createDirectories(da);
        java.nio.file.Files.createDirectories(db);
        List<Path> fa = a.write(da, a.startJd(cal, 2460973.0, 30), List.of(), null, 1);
        List<Path> fb = b.write(db, b.startJd(cal, 2460973.0, 30), List.of(), null, 1);
        TreeMap<Integer, Uvh5Data> in = new TreeMap<>();
        in.put(0, Uvh5Reader.read(fa.get(0)));
        in.put(1, Uvh5Reader.read(fb.get(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SubbandCombiner(CalibratorMatcher.dsa110Default(), Astrometry.DSA110).combine(in, 2, "g"));
        assertTrue(e.getMessage().contains("subband 1"), e.getMessage());
        TreeMap<Integer, Uvh5Data> ok = new TreeMap<>();
        ok.put(0, Uvh5Reader.read(fa.get(0)));
        ok.put(1, Uvh5Reader.read(fa.get(1)));
        assertFalse(new SubbandCombiner(CalibratorMatcher.dsa110Default(), Astrometry.DSA110).combine(ok, 2, "g").best().isPresent(),
                "30 min after transit the calibrator is out of the fields");
    }
}
