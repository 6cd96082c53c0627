package org.dsa110.contimg.observing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** HEALPix RING pixel centres: known values and equal-area rings. */
class HealpixTest {

    @Test
    void nsideOneCentres() {
        double[] p0 = Healpix.pix2angRing(1, 0);
        assertEquals(Math.acos(2.0 / 3), p0[0], 1e-12);
        assertEquals(Math.PI / 4, p0[1], 1e-12);
        double[] p4 = Healpix.pix2angRing(1, 4); // first equatorial pixel: on the equator at phi = 0
        assertEquals(Math.PI / 2, p4[0], 1e-12);
        assertEquals(0.0, p4[1], 1e-12);
        double[] p11 = Healpix.pix2angRing(1, 11);
        assertEquals(Math.acos(-2.0 / 3), p11[0], 1e-12);
        assertEquals(7 * Math.PI / 4, p11[1], 1e-12);
    }

    @Test
    void centresAreBalancedOverTheSphere() {
        int nside = 8;
        int npix = 12 * nside * nside;
        double sumZ = 0;
        int north = 0;
        for (int p = 0; p < npix; p++) {
            double[] tp = Healpix.pix2angRing(nside, p);
            assertTrue(tp[0] >= 0 && tp[0] <= Math.PI && tp[1] >= 0 && tp[1] < 2 * Math.PI, "pixel " + p);
            sumZ += Math.cos(tp[0]);
            north += Math.cos(tp[0]) > 1e-12 ? 1 : 0;
        }
        assertEquals(0.0, sumZ, 1e-9, "symmetric about the equator");
        // equal areas: the fraction of pixels above z = 0 is one half minus the equator ring
        assertEquals((npix - 4 * nside) / 2, north);
    }
}
