package org.dsa110.contimg.science.imaging;

import org.dsa110.contimg.science.image.ImagePlane;

/**
 * Output of {@link Imager}: Stokes I dirty image (Jy/beam) and PSF (peak 1 at its centre pixel); the image is
 * described by {@link #geometry()}.
 *
 * @param image        dirty image
 * @param psf          point-spread function, same cell, size min(FFT grid, 2 × the working image: the image plus
 *                     the w-plane fit's margin, {@link Imager.Session#workingGeometry}), peak 1 at its
 *                     (width/2, height/2)
 * @param geometry     pixel ↔ sky mapping (SIN about the phase centre)
 * @param freqHz       weight-averaged frequency of the gridded data (use as RESTFRQ/CRVAL3 and for PB correction)
 * @param sumWeights   Σ imaging weights of the gridded samples
 * @param samples      number of Stokes I samples gridded
 */
public record DirtyImage(ImagePlane image, ImagePlane psf, ImageGeometry geometry, double freqHz, double sumWeights,
                         long samples) {
}
