package org.dsa110.contimg.products;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.dsa110.contimg.science.fits.FitsImage;
import org.dsa110.contimg.science.fits.FitsImageWriter;
import org.dsa110.contimg.science.image.Beam;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.mosaic.MosaicGrid;
import org.dsa110.contimg.science.mosaic.Mosaicker;
import org.dsa110.contimg.science.photometry.ForcedPhotometry;
import org.dsa110.contimg.science.photometry.PhotometryResult;
import org.dsa110.contimg.science.wcs.CelestialWcs;
import org.dsa110.contimg.science.wcs.Projection;

/**
 * Benchmark harness (not a unit test; run by bench/photometry.sh): writes a 4096² float image with 1000
 * beam-shaped sources on 1 mJy noise, then reports
 * <ul>
 * <li>forced photometry (the stage's own {@link PhotometryService.Measurer}: cutout read + Condon-weighted fit +
 * annulus rms) in measurements per second, median of the timed passes after warm-up passes, and the fraction
 * of sources recovered within 1σ;</li>
 * <li>cutout latency: open the file, read a 2′ (41×41 px) cutout at a random position and write it as a FITS file
 * (what GET /api/images/{id}/cutout does), p50/p95/max over the positions, with the bytes read per cutout;</li>
 * <li>for comparison, reading the whole plane once;</li>
 * <li>building a mosaic of four overlapping half-size images (reprojection and weighting only, in memory).</li>
 * </ul>
 * Arguments: [size=4096] [sources=1000] [passes=5] [cutouts=300].
 */
public final class PhotometryBenchmark {
    private PhotometryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 4096;
        int nSources = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int passes = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int nCutouts = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        Path dir = Files.createTempDirectory("photometry-bench");
        try {
            run(dir, size, nSources, passes, nCutouts);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static void run(Path dir, int size, int nSources, int passes, int nCutouts) throws IOException {
        double pix = 3.0 / 3600;
        double noise = 1e-3;
        Beam beam = new Beam(15.0 / 3600, 12.0 / 3600, 30.0); // 5 x 4 px
        CelestialWcs wcs = CelestialWcs.centredOn(Projection.SIN, 150.0, 40.0, size, size, pix);
        Random rng = new Random(42);
        float[] data = new float[size * size];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (noise * rng.nextGaussian());
        }
        double[][] pos = new double[nSources][];
        double[] peak = new double[nSources];
        int margin = 40;
        for (int s = 0; s < nSources; s++) {
            double x = margin + rng.nextDouble() * (size - 2 * margin);
            double y = margin + rng.nextDouble() * (size - 2 * margin);
            pos[s] = wcs.pixelToWorld(x, y);
            peak[s] = 0.01 + 0.2 * rng.nextDouble();
            addGaussian(data, size, x, y, peak[s], 5.0, 4.0, 30.0);
        }
        Path file = dir.resolve("bench.fits");
        long t0 = System.nanoTime();
        new FitsImageWriter(wcs).beam(beam).bunit("JY/BEAM").dateObs(Instant.parse("2025-01-01T00:00:00Z"))
                .frequency(1.405e9, 187.5e6).radioAxes().write(ImagePlane.of(size, size, data), file);
        data = null;
        System.out.printf(Locale.ROOT, "image: %dx%d float32 (%.0f MB), %d sources, written in %.1f s%n", size, size,
                Files.size(file) / 1e6, nSources, (System.nanoTime() - t0) / 1e9);

        double[] rates = new double[passes];
        int recovered = 0;
        int warmup = 2;
        try (FitsImage img = FitsImage.open(file)) {
            PhotometryService.Measurer m = new PhotometryService.Measurer(img, ForcedPhotometry.Parameters.DEFAULTS,
                    true);
            for (int p = -warmup; p < passes; p++) {
                long start = System.nanoTime();
                int ok = 0;
                for (int s = 0; s < nSources; s++) {
                    PhotometryResult r = m.measure(pos[s][0], pos[s][1]);
                    if (r.success() && p == passes - 1 && Math.abs(r.peakJyb() - peak[s]) <= r.peakErrJyb()) {
                        ok++;
                    }
                }
                double sec = (System.nanoTime() - start) / 1e9;
                if (p >= 0) {
                    rates[p] = nSources / sec;
                }
                recovered = ok;
            }
        }
        Arrays.sort(rates);
        System.out.printf(Locale.ROOT, "forced photometry: median %.0f measurements/s (min %.0f, max %.0f over %d "
                + "passes after %d warm-up); %.1f%% of sources within 1 sigma of the true peak%n",
                rates[passes / 2], rates[0], rates[passes - 1], passes, warmup, 100.0 * recovered / nSources);

        double[] ms = new double[nCutouts];
        long bytes = 0;
        Random where = new Random(7);
        for (int c = -20; c < nCutouts; c++) { // 20 warm-up cutouts
            double x = 30 + where.nextDouble() * (size - 60);
            double y = 30 + where.nextDouble() * (size - 60);
            Path out = dir.resolve("cut.fits");
            long start = System.nanoTime();
            try (FitsImage img = FitsImage.open(file)) {
                ImagePlane cut = img.readCutoutAround(x, y, 20);
                new FitsImageWriter(img.wcs()).beam(img.beam()).bunit("JY/BEAM").write(cut, out);
                if (c >= 0) {
                    bytes += img.dataBytesRead();
                }
            }
            if (c >= 0) {
                ms[c] = (System.nanoTime() - start) / 1e6;
            }
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "cutout 41x41 (open + read + write FITS): p50 %.2f ms, p95 %.2f ms, max %.2f ms "
                + "over %d cutouts; %d bytes of pixel data read per cutout%n", ms[nCutouts / 2],
                ms[(int) (nCutouts * 0.95)], ms[nCutouts - 1], nCutouts, bytes / nCutouts);
        long start = System.nanoTime();
        try (FitsImage img = FitsImage.open(file)) {
            img.readPlane();
        }
        System.out.printf(Locale.ROOT, "whole plane read (for comparison): %.0f ms%n",
                (System.nanoTime() - start) / 1e6);
        mosaic(size / 2);
    }

    /** Mosaic of four overlapping half-size noise images (pointings a quarter of an image apart). */
    static void mosaic(int side) throws IOException {
        double pix = 3.0 / 3600;
        List<Mosaicker.Input> inputs = new ArrayList<>();
        Random rng = new Random(9);
        for (int i = 0; i < 4; i++) {
            CelestialWcs w = CelestialWcs.centredOn(Projection.SIN, 150.0 + (i % 2) * side / 4.0 * pix / Math.cos(
                    Math.toRadians(40)), 40.0 + (i / 2) * side / 4.0 * pix, side, side, pix);
            float[] d = new float[side * side];
            for (int k = 0; k < d.length; k++) {
                d[k] = (float) (1e-3 * (1 + i) * rng.nextGaussian());
            }
            ImagePlane plane = ImagePlane.of(side, side, d);
            inputs.add(new Mosaicker.Input() {
                public CelestialWcs wcs() {
                    return w;
                }

                public int width() {
                    return side;
                }

                public int height() {
                    return side;
                }

                public ImagePlane readPlane() {
                    return plane;
                }
            });
        }
        long start = System.nanoTime();
        MosaicGrid grid = MosaicGrid.covering(inputs.stream()
                .map(in -> new MosaicGrid.Footprint(in.wcs(), in.width(), in.height())).toList(), null);
        Mosaicker.Result r = new Mosaicker().build(inputs, grid);
        double sec = (System.nanoTime() - start) / 1e9;
        long px = 0;
        for (long u : r.pixelsUsed()) {
            px += u;
        }
        System.out.printf(Locale.ROOT, "mosaic of 4 x %d^2 images onto %dx%d: %.2f s (%.1f M input samples/s)%n",
                side, grid.width(), grid.height(), sec, px / sec / 1e6);
    }

    static void addGaussian(float[] pix, int size, double x0, double y0, double peak, double fwhmMaj,
                            double fwhmMin, double paDeg) {
        double pa = Math.toRadians(paDeg);
        int r = (int) Math.ceil(3 * fwhmMaj);
        for (int y = Math.max(0, (int) y0 - r); y <= Math.min(size - 1, (int) y0 + r); y++) {
            for (int x = Math.max(0, (int) x0 - r); x <= Math.min(size - 1, (int) x0 + r); x++) {
                double east = -(x - x0);
                double north = y - y0;
                double a = east * Math.sin(pa) + north * Math.cos(pa);
                double b = east * Math.cos(pa) - north * Math.sin(pa);
                double q = a * a / (fwhmMaj * fwhmMaj) + b * b / (fwhmMin * fwhmMin);
                pix[y * size + x] += (float) (peak * Math.exp(-4 * Math.log(2) * q));
            }
        }
    }
}
