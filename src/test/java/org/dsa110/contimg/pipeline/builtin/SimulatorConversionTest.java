package org.dsa110.contimg.pipeline.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.dsa110.contimg.pipeline.ingest.SubbandFileName;
import org.dsa110.contimg.science.hdf5.Uvh5Data;
import org.dsa110.contimg.science.hdf5.Uvh5Reader;
import org.dsa110.contimg.science.radio.Astrometry;
import org.dsa110.contimg.science.radio.CalibratorMatcher;
import org.dsa110.contimg.science.radio.PointSource;
import org.dsa110.contimg.science.radio.PrimaryBeam;
import org.dsa110.contimg.science.radio.Visibilities;
import org.dsa110.contimg.science.radio.VisibilityModel;
import org.dsa110.contimg.science.sim.GroupSimulator;
import org.dsa110.contimg.science.sim.SimConfig;
import org.dsa110.contimg.science.sim.SkySource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator's subband files (science.sim) convert: calibrator found, J2000 sky model matches the data. */
class SimulatorConversionTest {
    @TempDir
    Path tmp;

    @Test
    void simulatedCalibratorGroupConvertsWithItsCalibratorAndSky() throws Exception {
        SimConfig cfg = SimConfig.defaults(tmp).withAntennas(10).withSubbands(3).withChannelsPerSubband(4)
                .withIntegrations(3).withSefdJy(0).withGains(false).withGroups(1).withCalibratorGroups(Set.of(0));
        GroupSimulator sim = new GroupSimulator(cfg);
        List<Path> files = sim.writeGroup(0);
        TreeMap<Integer, Uvh5Data> in = new TreeMap<>();
        for (Path f : files) {
            in.put(SubbandFileName.parse(f.getFileName().toString()).orElseThrow().subband(), Uvh5Reader.read(f));
        }
        SubbandCombiner.Combined c = new SubbandCombiner(CalibratorMatcher.dsa110Default(), Astrometry.DSA110).combine(in, 3, "g");
        SkySource cal = sim.calibrator().orElseThrow();
        assertTrue(c.best().isPresent(), "a calibrator is found in the simulated calibrator group");
        assertEquals(cal.raRad(), c.best().get().calibrator().raRad(), 1e-6, "the simulated calibrator");
        Visibilities v = c.data().vis();
        List<PointSource> j2000 = new ArrayList<>();
        for (SkySource s : sim.modelSources(0)) {
            j2000.add(new PointSource(s.raRad(), s.decRad(), sim.fluxJy(s, 0), s.spectralIndex(),
                    SkySource.REF_FREQ_HZ));
        }
        Visibilities model = v.emptyCopy();
        new VisibilityModel(j2000, PrimaryBeam.dsa110()).predict(model, null);
        double err = 0, amp = 0;
        int per = v.nChan() * v.nPol();
        for (int i = 0; i < v.re().length; i++) {
            if (v.ant1()[i / per] != v.ant2()[i / per]) {
                err = Math.max(err, Math.hypot(v.re()[i] - model.re()[i], v.im()[i] - model.im()[i]));
                amp = Math.max(amp, Math.hypot(v.re()[i], v.im()[i]));
            }
        }
        assertTrue(amp > 1, "calibrator visibilities: " + amp);
        assertTrue(err < 0.01 * amp, "converted data match the J2000 sky: " + err + " of " + amp);
    }
}
