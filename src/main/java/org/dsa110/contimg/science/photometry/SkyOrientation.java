package org.dsa110.contimg.science.photometry;

/**
 * How the sky is laid out on the pixel grid, used to turn a position angle (degrees east of north, the FITS BPA
 * convention) into a direction in pixel space.
 *
 * <p>Pixel convention used throughout this package: {@code x} is the column index (FITS axis 1, RA), {@code y} is
 * the row index (FITS axis 2, Dec), both 0-based, and north is towards +y. The pixel axes are assumed to be aligned
 * with RA/Dec (true near the reference pixel of SIN/TAN images without rotation); for a rotated WCS the caller
 * should subtract the local angle of north from +y before passing a position angle.
 *
 * <p>A standard sky image (CDELT1 &lt; 0) has RA increasing to the left, i.e. east towards −x: {@link #EAST_LEFT}.
 * An image with CDELT1 &gt; 0 (mirror handedness) is {@link #EAST_RIGHT}.
 */
public enum SkyOrientation {
    /** East towards −x (CDELT1 &lt; 0): the usual sky orientation. */
    EAST_LEFT(-1),
    /** East towards +x (CDELT1 &gt; 0). */
    EAST_RIGHT(+1);

    private final int eastSign;

    SkyOrientation(int eastSign) {
        this.eastSign = eastSign;
    }

    /** Sign of the pixel x step that points east: −1 for {@link #EAST_LEFT}, +1 for {@link #EAST_RIGHT}. */
    public int eastSign() {
        return eastSign;
    }

    /** Orientation implied by the sign of CDELT1 (or CD1_1 for an unrotated CD matrix). */
    public static SkyOrientation fromCdelt1(double cdelt1) {
        return cdelt1 > 0 ? EAST_RIGHT : EAST_LEFT;
    }
}
