package org.dsa110.contimg.transients;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.dsa110.contimg.science.fits.FitsImageWriter;
import org.dsa110.contimg.science.image.Beam;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.wcs.CelestialWcs;
import org.dsa110.contimg.science.wcs.Projection;

/**
 * A synthetic 200×200 SIN image (6″ pixels, 1 mJy/beam seeded noise, 30″×24″ beam) with beam-shaped sources at
 * whole-pixel offsets from the centre (so the peak pixel holds the injected peak plus noise), and the matching
 * reference-catalog CSV of the sources given catalog fluxes.
 */
public final class TestSky {
    public static final int SIZE = 200;
    public static final double PIXEL_DEG = 6.0 / 3600;
    public static final double NOISE_JY = 1e-3;
    public static final Beam BEAM = new Beam(30.0 / 3600, 24.0 / 3600, 0.0);

    /** A source: pixel offset, peak in the image (Jy/beam, 0 = absent) and catalog flux (mJy, 0 = not listed). */
    public record Source(int dx, int dy, double imagePeakJy, double catalogMjy) {
    }

    private final double ra;
    private final double dec;
    private final List<Source> sources = new ArrayList<>();

    public TestSky(double ra, double dec) {
        this.ra = ra;
        this.dec = dec;
    }

    public CelestialWcs wcs() {
        return CelestialWcs.centredOn(Projection.SIN, ra, dec, SIZE, SIZE, PIXEL_DEG);
    }

    public TestSky add(int dx, int dy, double imagePeakJy, double catalogMjy) {
        sources.add(new Source(dx, dy, imagePeakJy, catalogMjy));
        return this;
    }

    /** Sky position (degrees) of a source. */
    public double[] position(Source s) {
        return wcs().pixelToWorld(SIZE / 2 + s.dx(), SIZE / 2 + s.dy());
    }

    public List<Source> sources() {
        return sources;
    }

    public Path writeCatalog(Path file) throws IOException {
        StringBuilder sb = new StringBuilder("id,ra,dec,flux_mjy,snr,resolved,confused\n");
        for (Source s : sources) {
            if (s.catalogMjy() > 0) {
                double[] p = position(s);
                sb.append(String.format(Locale.ROOT, "src%d_%d,%.9f,%.9f,%.3f,%.1f,false,false%n", s.dx(), s.dy(),
                        p[0], p[1], s.catalogMjy(), s.catalogMjy() / 0.45));
            }
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, sb.toString());
        return file;
    }

    public Path writeImage(Path file, long seed, Instant dateObs) throws IOException {
        float[] pix = new float[SIZE * SIZE];
        Random rng = new Random(seed);
        for (int i = 0; i < pix.length; i++) {
            pix[i] = (float) (NOISE_JY * rng.nextGaussian());
        }
        double sx = BEAM.bminDeg() / PIXEL_DEG / (2 * Math.sqrt(2 * Math.log(2)));
        double sy = BEAM.bmajDeg() / PIXEL_DEG / (2 * Math.sqrt(2 * Math.log(2)));
        for (Source s : sources) {
            int x0 = SIZE / 2 + s.dx();
            int y0 = SIZE / 2 + s.dy();
            for (int y = Math.max(0, y0 - 20); y < Math.min(SIZE, y0 + 21); y++) {
                for (int x = Math.max(0, x0 - 20); x < Math.min(SIZE, x0 + 21); x++) {
                    double q = (x - x0) * (x - x0) / (2 * sx * sx) + (y - y0) * (y - y0) / (2 * sy * sy);
                    pix[y * SIZE + x] += (float) (s.imagePeakJy() * Math.exp(-q));
                }
            }
        }
        Files.createDirectories(file.getParent());
        new FitsImageWriter(wcs()).beam(BEAM).bunit("JY/BEAM").dateObs(dateObs).frequency(1.405e9, 187.5e6)
                .radioAxes().write(ImagePlane.of(SIZE, SIZE, pix), file);
        return file;
    }
}
