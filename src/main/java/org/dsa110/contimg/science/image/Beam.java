package org.dsa110.contimg.science.image;

/** Restoring beam: FWHM major/minor axes in degrees, position angle in degrees east of north (FITS BMAJ/BMIN/BPA). */
public record Beam(double bmajDeg, double bminDeg, double bpaDeg) {

    /** Beam solid angle in pixels for square pixels of {@code pixelDeg} on a side: π·a·b/(4 ln 2). */
    public double areaPixels(double pixelDeg) {
        return Math.PI * (bmajDeg / pixelDeg) * (bminDeg / pixelDeg) / (4.0 * Math.log(2.0));
    }
}
