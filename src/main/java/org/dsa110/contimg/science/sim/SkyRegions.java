package org.dsa110.contimg.science.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.dsa110.contimg.science.radio.Astrometry;
import org.dsa110.contimg.science.sim.ObservingPlan.GroupPlan;

/** The part of the sky a set of drift-scan groups can see: merged ICRS RA intervals in a declination band. */
final class SkyRegions {

    private SkyRegions() {
    }

    /**
     * For every group, the RA swept by the meridian during the group (ICRS) widened by {@code marginDeg} on the sky
     * (÷ cos δ in RA), in the band pointing ± margin; overlapping intervals merged.
     */
    static List<SyntheticCatalog.Region> driftStrips(List<GroupPlan> groups, double decDeg, Astrometry astrometry,
                                                     double marginDeg) {
        double decMin = Math.max(-89.999, decDeg - marginDeg);
        double decMax = Math.min(89.999, decDeg + marginDeg);
        double cosMax = Math.cos(Math.toRadians(Math.max(Math.abs(decMin), Math.abs(decMax))));
        double raMargin = Math.min(180.0, marginDeg / Math.max(cosMax, 1e-3));
        double decRad = Math.toRadians(decDeg);
        List<double[]> pieces = new ArrayList<>(); // [start, end] in [0, 360]
        for (GroupPlan g : groups) {
            double[] t = g.timesJd();
            double halfInt = t.length > 1 ? (t[1] - t[0]) / 2 : 0;
            double ra0 = Math.toDegrees(ObservingPlan.meridianIcrs(t[0] - halfInt, decRad, astrometry)[0]);
            double ra1 = Math.toDegrees(ObservingPlan.meridianIcrs(t[t.length - 1] + halfInt, decRad,
                    astrometry)[0]);
            double sweep = ((ra1 - ra0) % 360 + 360) % 360;
            double start = ((ra0 - raMargin) % 360 + 360) % 360;
            double span = Math.min(360.0, sweep + 2 * raMargin);
            if (start + span <= 360) {
                pieces.add(new double[] {start, start + span});
            } else {
                pieces.add(new double[] {start, 360});
                pieces.add(new double[] {0, start + span - 360});
            }
        }
        pieces.sort(Comparator.comparingDouble(p -> p[0]));
        List<double[]> merged = new ArrayList<>();
        for (double[] p : pieces) {
            double[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && p[0] <= last[1]) {
                last[1] = Math.max(last[1], p[1]);
            } else {
                merged.add(p.clone());
            }
        }
        List<SyntheticCatalog.Region> out = new ArrayList<>();
        for (double[] m : merged) {
            out.add(new SyntheticCatalog.Region(m[0], m[1] - m[0], decMin, decMax));
        }
        return out;
    }
}
