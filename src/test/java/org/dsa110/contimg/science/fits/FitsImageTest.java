package org.dsa110.contimg.science.fits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import nom.tam.fits.BasicHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.Header;
import org.dsa110.contimg.science.image.Beam;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.sky.SkyCoords;
import org.dsa110.contimg.science.wcs.CelestialWcs;
import org.dsa110.contimg.science.wcs.Projection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FitsImageTest {

    @TempDir
    Path dir;

    private static final CelestialWcs WCS = CelestialWcs.sin(201.365, 54.57, 151.0, 101.0, 3.0 / 3600);
    private static final Instant START = Instant.parse("2025-02-03T04:05:06.789Z");

    /** Pixel value that identifies its position exactly in float: x + 1000·y. */
    private static float value(int x, int y) {
        return x + 1000f * y;
    }

    private static ImagePlane ramp(int w, int h) {
        float[] d = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                d[y * w + x] = value(x, y);
            }
        }
        return ImagePlane.of(w, h, d);
    }

    private Path writeRamp(String name, boolean radioAxes) throws IOException {
        Path p = dir.resolve(name);
        FitsImageWriter writer = new FitsImageWriter(WCS).beam(new Beam(0.0035, 0.0025, 37.5)).bunit("JY/BEAM")
                .dateObs(START).frequency(1.4053e9, 187.5e6).object("test-field")
                .card("GROUPID", "2025-02-03T04:05:06", "group").card("NANT", 96, "antennas")
                .history("written by FitsImageTest");
        if (radioAxes) {
            writer.radioAxes();
        }
        writer.write(ramp(300, 200), p);
        return p;
    }

    @Test
    void writtenImageReadsBackWithMetadata() throws Exception {
        Path p = writeRamp("img.fits", false);
        try (FitsImage img = FitsImage.open(p)) {
            assertEquals(0, img.dataBytesRead(), "open reads the header only");
            assertEquals(300, img.width());
            assertEquals(200, img.height());
            assertEquals(-32, img.bitpix());
            assertEquals("JY/BEAM", img.bunit());
            assertEquals("test-field", img.header().getStringValue("OBJECT"));
            assertEquals("2025-02-03T04:05:06", img.header().getStringValue("GROUPID"));
            assertEquals(96, img.header().getIntValue("NANT"));
            assertEquals(new Beam(0.0035, 0.0025, 37.5), img.beam());
            assertEquals(1.4053e9, img.frequencyHz());
            assertTrue(Double.isNaN(img.bandwidthHz()), "no FREQ axis in a 2-D image");
            assertEquals("2025-02-03T04:05:06.789", img.dateObs());
            assertEquals(SkyCoords.instantToMjd(START), img.mjd(), 1e-9);
            assertEquals(START, img.observationTime());

            assertTrue(img.hasWcs());
            CelestialWcs wcs = img.wcs();
            for (double[] px : new double[][] {{0, 0}, {150, 100}, {299, 199}, {17.5, 180.25}}) {
                assertArrayEquals(WCS.pixelToWorld(px[0], px[1]), wcs.pixelToWorld(px[0], px[1]), 1e-12);
            }

            ImagePlane plane = img.readPlane();
            assertEquals(300 * 200 * 4, img.dataBytesRead());
            assertEquals(300, plane.width());
            assertEquals(value(123, 45), plane.get(123, 45));
            assertEquals(value(299, 199), plane.get(299, 199));
        }
    }

    @Test
    void cutoutsInsideAndAcrossTheEdges() throws Exception {
        try (FitsImage img = FitsImage.open(writeRamp("cut.fits", false))) {
            ImagePlane inside = img.readCutout(10, 20, 7, 5);
            assertEquals(10, inside.x0());
            assertEquals(20, inside.y0());
            assertEquals(7, inside.width());
            assertEquals(5, inside.height());
            assertEquals(value(16, 24), inside.get(16, 24));
            assertEquals(value(10, 20), inside.data()[0]);

            ImagePlane lowerLeft = img.readCutout(-3, -4, 10, 10);
            assertEquals(0, lowerLeft.x0());
            assertEquals(0, lowerLeft.y0());
            assertEquals(7, lowerLeft.width());
            assertEquals(6, lowerLeft.height());
            assertEquals(value(6, 5), lowerLeft.get(6, 5));

            ImagePlane upperRight = img.readCutout(295, 197, 20, 20);
            assertEquals(295, upperRight.x0());
            assertEquals(5, upperRight.width());
            assertEquals(3, upperRight.height());
            assertEquals(value(299, 199), upperRight.get(299, 199));

            ImagePlane fullWidth = img.readCutout(-10, 50, 400, 3);
            assertEquals(300, fullWidth.width());
            assertEquals(value(0, 52), fullWidth.get(0, 52));

            ImagePlane around = img.readCutoutAround(1.4, 100.6, 3);
            assertEquals(0, around.x0());
            assertEquals(98, around.y0());
            assertEquals(5, around.width());
            assertEquals(7, around.height());
            assertEquals(value(4, 104), around.get(4, 104));

            ImagePlane outside = img.readCutout(400, 10, 5, 5);
            assertEquals(0, outside.width());
            assertEquals(0, outside.data().length);
            assertEquals(0, img.readCutoutAround(Double.NaN, 5, 3).width());
        }
    }

    @Test
    void largeImageCutoutReadsOnlyTheNeededBytes() throws Exception {
        int n = 4096;
        float[] d = new float[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                d[y * n + x] = y * (float) n + x; // exact in float up to 2^24
            }
        }
        Path p = dir.resolve("big.fits");
        new FitsImageWriter(CelestialWcs.centredOn(Projection.SIN, 10, 54.57, n, n, 1.0 / 3600))
                .write(ImagePlane.of(n, n, d), p);
        d = null;
        assertTrue(Files.size(p) > 64L * 1024 * 1024);
        try (FitsImage img = FitsImage.open(p)) {
            ImagePlane cut = img.readCutout(3000, 1234, 31, 31);
            assertEquals(31L * 31 * 4, img.dataBytesRead(), "only the cutout's row segments are read");
            for (int y = 1234; y < 1234 + 31; y++) {
                for (int x = 3000; x < 3000 + 31; x++) {
                    assertEquals(y * (float) n + x, cut.get(x, y));
                }
            }
            ImagePlane corner = img.readCutout(4090, 4085, 20, 20);
            assertEquals(6, corner.width());
            assertEquals(11, corner.height());
            assertEquals(4095 * (float) n + 4095, corner.get(4095, 4095));
            assertEquals(31L * 31 * 4 + 6 * 11 * 4, img.dataBytesRead());
        }
    }

    @Test
    void fourDimensionalRadioImageReadsAsTwoDimensional() throws Exception {
        Path p = writeRamp("cube.fits", true);
        try (FitsImage img = FitsImage.open(p)) {
            assertEquals(4, img.header().getIntValue("NAXIS"));
            assertEquals(1, img.header().getIntValue("NAXIS3"));
            assertEquals("FREQ", img.header().getStringValue("CTYPE3").trim());
            assertEquals("STOKES", img.header().getStringValue("CTYPE4").trim());
            assertEquals(300, img.width());
            assertEquals(200, img.height());
            assertEquals(1.4053e9, img.frequencyHz());
            assertEquals(187.5e6, img.bandwidthHz());
            assertEquals(value(77, 150), img.readPlane().get(77, 150));
            assertArrayEquals(WCS.pixelToWorld(5, 5), img.wcs().pixelToWorld(5, 5), 1e-12);
        }
    }

    @Test
    void nomTamWrittenCubeWithFrequencyAxisMjdObsAndAipsBeam() throws Exception {
        // Written independently with nom-tam-fits: 4-D, no RESTFRQ / DATE-OBS / BMAJ.
        float[][][][] cube = new float[1][1][3][4];
        cube[0][0][2][3] = 42.5f;
        BasicHDU<?> hdu = Fits.makeHDU(cube);
        Header h = hdu.getHeader();
        WCS.toHeader(h);
        h.addValue("CTYPE3", "FREQ", "");
        h.addValue("CRVAL3", 1.3114e9, "");
        h.addValue("CDELT3", -2.44140625e5, "");
        h.addValue("CTYPE4", "STOKES", "");
        h.addValue("MJD-OBS", 60700.25, "");
        h.insertHistory("AIPS   CLEAN BMAJ=  1.3889E-03 BMIN=  9.7222E-04 BPA=  -12.50");
        Path p = dir.resolve("nomtam.fits");
        try (Fits f = new Fits()) {
            f.addHDU(hdu);
            f.write(p.toFile());
        }
        try (FitsImage img = FitsImage.open(p)) {
            assertEquals(4, img.width());
            assertEquals(3, img.height());
            assertEquals(1.3114e9, img.frequencyHz());
            assertEquals(2.44140625e5, img.bandwidthHz());
            assertNull(img.dateObs());
            assertEquals(60700.25, img.mjd());
            assertEquals(new Beam(1.3889e-3, 9.7222e-4, -12.5), img.beam());
            assertNull(img.bunit());
            assertEquals(42.5f, img.readPlane().get(3, 2));
            assertEquals(0f, img.readPlane().get(0, 0));
        }
    }

    @Test
    void zeroBeamIsNoBeamAndBadDateObsFallsBackToMjdObs() throws Exception {
        BasicHDU<?> hdu = Fits.makeHDU(new float[2][2]);
        Header h = hdu.getHeader();
        h.addValue("BMAJ", 0.0, "");
        h.addValue("BMIN", 0.0, "");
        h.addValue("DATE-OBS", "03/02/25", "old style");
        h.addValue("MJD-OBS", 60709.5, "");
        Path p = dir.resolve("nobeam.fits");
        try (Fits f = new Fits()) {
            f.addHDU(hdu);
            f.write(p.toFile());
        }
        try (FitsImage img = FitsImage.open(p)) {
            assertNull(img.beam());
            assertEquals(60709.5, img.mjd());
            assertFalse(img.hasWcs());
            assertThrows(IllegalArgumentException.class, img::wcs);
        }
    }

    @Test
    void integerAndDoubleImagesAreScaledAndBlanked() throws Exception {
        short[][] s = {{0, 1, -5}, {100, -32768, 7}};
        Path ps = writeHdu("i16.fits", Fits.makeHDU(s), 0.5, 10.0, -32768L);
        try (FitsImage img = FitsImage.open(ps)) {
            ImagePlane plane = img.readPlane();
            assertEquals(16, img.bitpix());
            assertEquals(10.0f, plane.get(0, 0));
            assertEquals(7.5f, plane.get(2, 0));
            assertEquals(60.0f, plane.get(0, 1));
            assertTrue(Float.isNaN(plane.get(1, 1)));
            assertEquals(13.5f, plane.get(2, 1));
        }
        int[][] i = {{2_000_000, -1}, {3, 99}};
        try (FitsImage img = FitsImage.open(writeHdu("i32.fits", Fits.makeHDU(i), 1.0, 0.0, 99L))) {
            ImagePlane plane = img.readCutout(0, 0, 2, 2);
            assertEquals(2_000_000f, plane.get(0, 0));
            assertEquals(-1f, plane.get(1, 0));
            assertTrue(Float.isNaN(plane.get(1, 1)));
        }
        double[][] dd = {{1.25, Double.NaN}, {-3.5e-3, 1e30}};
        try (FitsImage img = FitsImage.open(writeHdu("f64.fits", Fits.makeHDU(dd), 1.0, 0.0, null))) {
            ImagePlane plane = img.readCutout(0, 1, 2, 1);
            assertEquals(-3.5e-3f, plane.get(0, 1));
            assertEquals(1e30f, plane.get(1, 1));
            assertTrue(Float.isNaN(img.readPlane().get(1, 0)));
        }
    }

    private Path writeHdu(String name, BasicHDU<?> hdu, double bscale, double bzero, Long blank) throws Exception {
        Header h = hdu.getHeader();
        if (bscale != 1.0 || bzero != 0.0) {
            h.addValue("BSCALE", bscale, "");
            h.addValue("BZERO", bzero, "");
        }
        if (blank != null) {
            h.addValue("BLANK", blank, "");
        }
        Path p = dir.resolve(name);
        try (Fits f = new Fits()) {
            f.addHDU(hdu);
            f.write(p.toFile());
        }
        return p;
    }

    @Test
    void cutoutWrittenAsItsOwnFileKeepsSkyPositions() throws Exception {
        Path p = writeRamp("parent.fits", false);
        Path child = dir.resolve("sub/child.fits");
        try (FitsImage img = FitsImage.open(p)) {
            ImagePlane cut = img.readCutout(100, 60, 40, 30);
            new FitsImageWriter(img.wcs()).beam(img.beam()).write(cut, child);
        }
        try (FitsImage c = FitsImage.open(child)) {
            assertEquals(40, c.width());
            assertEquals(value(100, 60), c.readPlane().get(0, 0));
            assertArrayEquals(WCS.pixelToWorld(112, 71), c.wcs().pixelToWorld(12, 11), 1e-12);
        }
    }

    @Test
    void writeIsAtomicReplacementWithoutLeftovers() throws Exception {
        Path p = writeRamp("same.fits", false);
        new FitsImageWriter(WCS).write(ImagePlane.of(2, 2, new float[] {1, 2, 3, 4}), p);
        try (FitsImage img = FitsImage.open(p); Stream<Path> files = Files.list(dir)) {
            assertEquals(2, img.width());
            assertEquals(4f, img.readPlane().get(1, 1));
            assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")));
        }
        assertEquals(0, Files.size(p) % 2880);
        assertThrows(IllegalArgumentException.class, () -> new FitsImageWriter(WCS).card("NAXIS1", 3, ""));
        assertThrows(IllegalStateException.class,
                () -> new FitsImageWriter(WCS).radioAxes().write(ImagePlane.of(1, 1, new float[1]), p));
    }

    @Test
    void truncatedFileIsRejected() throws Exception {
        Path p = writeRamp("trunc.fits", false);
        try (RandomAccessFile raf = new RandomAccessFile(new File(p.toString()), "rw")) {
            raf.setLength(2880 * 2 + 1000);
        }
        assertThrows(IOException.class, () -> FitsImage.open(p));
    }
}
