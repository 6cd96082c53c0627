package org.dsa110.contimg.science.imaging;

import org.dsa110.contimg.science.radio.Visibilities;
import org.dsa110.contimg.science.uvfits.UvfitsData;

/**
 * The pointings (beam centres, ICRS radians) a drift-scan image was observed with, each with the share of the data
 * taken there: one per UVFITS field (an integration's meridian), weighted by the summed weights of its unflagged
 * cross-correlation samples, i.e. as the data enter the image.
 */
public record BeamPointings(double[] raRad, double[] decRad, double[] weight) {

    public BeamPointings {
        if (raRad.length != decRad.length || raRad.length != weight.length || raRad.length == 0) {
            throw new IllegalArgumentException("pointings need equal, non-empty ra, dec and weight arrays");
        }
    }

    /** The fields of {@code data} with their data weights; fields without usable samples get weight 0. */
    public static BeamPointings of(UvfitsData data) {
        Visibilities v = data.vis();
        double[] w = new double[data.nFields()];
        int perBlt = v.nChan() * v.nPol();
        for (int b = 0; b < v.nBlt(); b++) {
            if (v.ant1()[b] == v.ant2()[b]) {
                continue;
            }
            int i0 = v.index(b, 0, 0);
            double sum = 0;
            for (int i = i0; i < i0 + perBlt; i++) {
                if (!v.flag()[i] && v.weight()[i] > 0) {
                    sum += v.weight()[i];
                }
            }
            w[data.bltField()[b]] += sum;
        }
        return new BeamPointings(data.fieldPointingRaRad().clone(), data.fieldPointingDecRad().clone(), w);
    }

    /** Total weight (0: no usable data). */
    public double totalWeight() {
        double s = 0;
        for (double x : weight) {
            s += x;
        }
        return s;
    }
}
