package org.dsa110.contimg.observing;

/**
 * HEALPix pixel centres in RING ordering (Górski et al. 2005, ApJ 622, 759): the polar caps hold 4i pixels on
 * ring i, the equatorial belt 4·nside pixels per ring, all pixels of equal area.
 */
public final class Healpix {
    private Healpix() {
    }

    /** {theta, phi} (radians; theta the colatitude) of the centre of RING pixel {@code pix}. */
    public static double[] pix2angRing(int nside, long pix) {
        long npix = 12L * nside * nside;
        if (pix < 0 || pix >= npix) {
            throw new IllegalArgumentException("pixel out of range: " + pix);
        }
        long ncap = 2L * nside * (nside - 1);
        double z;
        double phi;
        if (pix < ncap) { // north polar cap
            long ring = (1 + isqrt(1 + 2 * pix)) >> 1;
            long iphi = pix + 1 - 2 * ring * (ring - 1);
            z = 1 - (double) (ring * ring) / (3.0 * nside * nside);
            phi = (iphi - 0.5) * Math.PI / (2.0 * ring);
        } else if (pix < npix - ncap) { // equatorial belt
            long ip = pix - ncap;
            long ring = ip / (4L * nside) + nside;
            long iphi = ip % (4L * nside) + 1;
            double shift = ((ring + nside) & 1) == 1 ? 1.0 : 0.5;
            z = (2.0 * nside - ring) * 2.0 / (3.0 * nside);
            phi = (iphi - shift) * Math.PI / (2.0 * nside);
        } else { // south polar cap
            long ip = npix - pix;
            long ring = (1 + isqrt(2 * ip - 1)) >> 1;
            long iphi = 4 * ring + 1 - (ip - 2 * ring * (ring - 1));
            z = -1 + (double) (ring * ring) / (3.0 * nside * nside);
            phi = (iphi - 0.5) * Math.PI / (2.0 * ring);
        }
        return new double[] {Math.acos(Math.max(-1, Math.min(1, z))), phi};
    }

    static long isqrt(long v) {
        long r = (long) Math.sqrt((double) v);
        while (r * r > v) {
            r--;
        }
        while ((r + 1) * (r + 1) <= v) {
            r++;
        }
        return r;
    }
}
