package org.dsa110.contimg.science.uvfits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.dsa110.contimg.pipeline.builtin.SubbandCombiner;
import org.dsa110.contimg.science.hdf5.Uvh5Data;
import org.dsa110.contimg.science.hdf5.Uvh5Reader;
import org.dsa110.contimg.science.radio.Astrometry;
import org.dsa110.contimg.science.radio.CalibratorMatcher;
import org.dsa110.contimg.science.radio.Visibilities;
import org.dsa110.contimg.science.sim.GroupSimulator;
import org.dsa110.contimg.science.sim.SimConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The uvw of a converted group agree with its antenna table: for every baseline-time, (u, v, w) computed afresh from
 * STABXYZ (Memo 117 frame, read back), the time and the field's ICRS phase centre (apparent place, local apparent
 * sidereal time and frame position angle from {@link Astrometry}) equal the stored ones within 1 mm. This is the check
 * pyuvdata makes ("uvw orientation appears to be flipped", "uvw differ from the antenna positions").
 */
class UvfitsGeometryTest {
    @TempDir
    Path tmp;

    @Test
    void storedUvwMatchTheAntennaPositionsWithinAMillimetre() throws Exception {
        SimConfig cfg = SimConfig.defaults(tmp).withAntennas(12).withSubbands(2).withChannelsPerSubband(2)
                .withIntegrations(3).withSefdJy(0).withGains(false).withFixedSky(List.of());
        GroupSimulator sim = new GroupSimulator(cfg);
        TreeMap<Integer, Uvh5Data> in = new TreeMap<>();
        List<Path> files = sim.writeGroup(0);
        for (int sb = 0; sb < files.size(); sb++) {
            in.put(sb, Uvh5Reader.read(files.get(sb)));
        }
        SubbandCombiner.Combined c = new SubbandCombiner(CalibratorMatcher.dsa110Default(), Astrometry.DSA110)
                .combine(in, 2, "g");
        Path f = tmp.resolve("g.uvfits");
        UvfitsWriter.write(c.data(), f);
        UvfitsData d = UvfitsReader.read(f);
        Visibilities v = d.vis();
        int[] numbers = d.antennaNumbers();
        double worst = 0;
        for (int b = 0; b < v.nBlt(); b++) {
            double[] x1 = position(d, numbers, v.ant1()[b]);
            double[] x2 = position(d, numbers, v.ant2()[b]);
            double bx = x2[0] - x1[0], by = x2[1] - x1[1], bz = x2[2] - x1[2];
            Astrometry.Instant at = Astrometry.DSA110.at(v.timeJd()[b]);
            double[] app = at.icrsToApparent(v.phaseCentreRa()[b], v.phaseCentreDec()[b]);
            double h = at.lastRad() - app[0];
            double lon = Math.toRadians(-118.2817);
            // ECEF baseline → equatorial axes of the meridian (X to HA 0, Y to HA −6h), then (u, v, w) (TMS eq. 4.1)
            double x = Math.cos(lon) * bx + Math.sin(lon) * by;
            double y = -Math.sin(lon) * bx + Math.cos(lon) * by;
            double sd = Math.sin(app[1]), cd = Math.cos(app[1]);
            double u = Math.sin(h) * x + Math.cos(h) * y;
            double vv = -sd * Math.cos(h) * x + sd * Math.sin(h) * y + cd * bz;
            double w = cd * Math.cos(h) * x - cd * Math.sin(h) * y + sd * bz;
            double pa = at.framePositionAngle(v.phaseCentreRa()[b], v.phaseCentreDec()[b]);
            double ui = u * Math.cos(pa) - vv * Math.sin(pa);
            double vi = u * Math.sin(pa) + vv * Math.cos(pa);
            worst = Math.max(worst, Math.max(Math.abs(ui - v.uvw()[3 * b]), Math.max(Math.abs(vi - v.uvw()[3 * b + 1]),
                    Math.abs(w - v.uvw()[3 * b + 2]))));
        }
        assertTrue(worst < 1e-3, "largest uvw difference " + worst + " m");
        assertEquals(66 * 3, v.nBlt());
    }

    private static double[] position(UvfitsData d, int[] numbers, int antenna) {
        for (int i = 0; i < numbers.length; i++) {
            if (numbers[i] == antenna) {
                return new double[] {d.antennaXyz()[3 * i], d.antennaXyz()[3 * i + 1], d.antennaXyz()[3 * i + 2]};
            }
        }
        throw new IllegalArgumentException("no antenna " + antenna);
    }
}
