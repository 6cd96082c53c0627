package org.dsa110.contimg.science.uvfits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.dsa110.contimg.DebianPython;
import org.dsa110.contimg.science.radio.Visibilities;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UvfitsRoundTripTest {
    @TempDir
    Path tmp;

    /** 3 antennas (all pairs incl. autos), 2 times, 4 channels, XX/YY, two fields, a few flags. */
    static UvfitsData sample() {
        int[] pairs = {1, 1, 1, 2, 1, 3, 2, 2, 2, 3, 3, 3};
        int nBl = pairs.length / 2;
        int nBlt = 2 * nBl;
        double[] time = new double[nBlt];
        int[] a1 = new int[nBlt];
        int[] a2 = new int[nBlt];
        double[] uvw = new double[3 * nBlt];
        double[] ra = new double[nBlt];
        double[] dec = new double[nBlt];
        int[] field = new int[nBlt];
        double[] inttim = new double[nBlt];
        for (int t = 0; t < 2; t++) {
            for (int k = 0; k < nBl; k++) {
                int b = t * nBl + k;
                time[b] = 2460973.0123456 + t * 12.884901888 / 86400;
                a1[b] = pairs[2 * k];
                a2[b] = pairs[2 * k + 1];
                uvw[3 * b] = 100.0 * (a2[b] - a1[b]) + t;
                uvw[3 * b + 1] = -37.5 * (a2[b] - a1[b]);
                uvw[3 * b + 2] = 2.25 * (a2[b] - a1[b]);
                ra[b] = Math.toRadians(85.6 + 0.054 * t);
                dec[b] = Math.toRadians(49.85);
                field[b] = t;
                inttim[b] = 12.884901888;
            }
        }
        double[] freq = {1.40e9, 1.402e9, 1.404e9, 1.406e9};
        Visibilities v = Visibilities.allocate(time, a1, a2, uvw, ra, dec, freq, 2);
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < v.re().length; i++) {
            v.re()[i] = (float) r.nextGaussian();
            v.im()[i] = (float) r.nextGaussian();
            v.weight()[i] = 1f + r.nextInt(3);
            v.flag()[i] = r.nextInt(7) == 0;
        }
        return new UvfitsData("DSA-110", "DSA", "2025-10-24T01:02:03", new double[] {-2409261.7, -4478733.4, 3838489.9},
                new int[] {1, 2, 3}, new String[] {"DSA-001", "DSA-002", "DSA-003"},
                new double[] {0, 0, 0, 10.5, -3.25, 1, -20, 7.5, 2}, new String[] {"meridian_icrs_t0", "0542+498_t1"},
                new double[] {Math.toRadians(85.6), Math.toRadians(85.654)},
                new double[] {Math.toRadians(49.85), Math.toRadians(49.85)}, field, inttim, new int[] {-5, -6}, v,
                Map.of("GROUPID", "2025-10-24T01:02:03", "DATACOL", "DATA"));
    }

    @Test
    void writesAndReadsBackEverySampleAndTable() throws Exception {
        UvfitsData d = sample();
        Path f = tmp.resolve("g.uvfits");
        UvfitsWriter.write(d, f);
        UvfitsData r = UvfitsReader.read(f);
        Visibilities a = d.vis(), b = r.vis();
        assertEquals(a.nBlt(), b.nBlt());
        assertArrayEquals(a.ant1(), b.ant1());
        assertArrayEquals(a.ant2(), b.ant2());
        assertArrayEquals(a.re(), b.re());
        assertArrayEquals(a.im(), b.im());
        assertArrayEquals(a.weight(), b.weight());
        assertArrayEquals(a.flag(), b.flag());
        for (int i = 0; i < a.nBlt(); i++) {
            assertEquals(a.timeJd()[i], b.timeJd()[i], 1e-7, "time (float32 fraction of day: ~5 ms)");
            for (int k = 0; k < 3; k++) {
                assertEquals(a.uvw()[3 * i + k], b.uvw()[3 * i + k], 1e-4 * Math.max(1, Math.abs(a.uvw()[3 * i + k])));
            }
            assertEquals(a.phaseCentreRa()[i], b.phaseCentreRa()[i], 1e-12);
            assertEquals(d.bltField()[i], r.bltField()[i]);
            assertEquals(d.integrationSec()[i], r.integrationSec()[i], 1e-5);
        }
        for (int c = 0; c < 4; c++) {
            assertEquals(a.freqHz()[c], b.freqHz()[c], 1e-3);
        }
        assertArrayEquals(new int[] {-5, -6}, r.polarizations());
        assertArrayEquals(d.fieldNames(), r.fieldNames());
        assertArrayEquals(d.antennaNumbers(), r.antennaNumbers());
        assertArrayEquals(d.antennaNames(), r.antennaNames());
        assertArrayEquals(d.antennaXyz(), r.antennaXyz(), 1e-12);
        assertArrayEquals(d.arrayCentreEcef(), r.arrayCentreEcef(), 1e-9);
        assertEquals("DSA-110", r.telescope());
        assertEquals("DATA", r.keywords().get("DATACOL"));
    }

    /**
     * With Earth orientation configured, the antenna table carries it, and GSTIA0 (which depends on UT1) agrees with
     * astropy's Greenwich apparent sidereal time at 0h UTC of RDATE for the same UT1 − UTC (IAU 2006/2000A).
     */
    @Test
    void antennaTableCarriesTheEarthOrientation() throws Exception {
        assumeTrue(DebianPython.has("astropy.io.fits, astropy.time, numpy"),
                "python3-astropy is not installed (apt-get install python3-astropy)");
        UvfitsData d = sample();
        Path f = tmp.resolve("eop.uvfits");
        UvfitsWriter.write(d, f, new org.dsa110.contimg.science.radio.Astrometry.EarthOrientation(-0.1234, 0.0512,
                0.3021));
        String script = String.join("\n",
                "import sys",
                "from astropy.io import fits",
                "from astropy.time import Time",
                "from astropy.utils import iers",
                "iers.conf.auto_download = False",
                "an = fits.open(sys.argv[1])['AIPS AN'].header",
                "t = Time(an['RDATE'], scale='utc')",
                "t.delta_ut1_utc = an['UT1UTC']",
                "gst = t.sidereal_time('apparent', 'greenwich', model='IAU2006A').deg",
                "print(repr(an['UT1UTC']), repr(an['POLARX']), repr(an['POLARY']), repr(an['GSTIA0']), repr(gst))");
        // stdout only: astropy may warn on stderr (IERS tables out of date), which does not matter here
        Process p = new ProcessBuilder(DebianPython.PYTHON, "-c", script, f.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        String[] v = out.trim().split("\\s+");
        assertEquals(-0.1234, Double.parseDouble(v[0]), 1e-12);
        assertEquals(0.0512, Double.parseDouble(v[1]), 1e-12);
        assertEquals(0.3021, Double.parseDouble(v[2]), 1e-12);
        // 1e-6 deg = 3.6 mas of rotation; a UT1 − UTC of 0.12 s ignored would be off by 5e-4 deg
        assertEquals(Double.parseDouble(v[4]), Double.parseDouble(v[3]), 1e-6, out);
        double utcOnly = Math.toDegrees(AntennaTableTimes.gstAt0h(Math.floor(d.vis().timeJd()[0] - 0.5) + 0.5));
        assertTrue(Math.abs(utcOnly - Double.parseDouble(v[3])) > 4e-4, "GSTIA0 ignores UT1 - UTC: " + out);
    }

    /** Another tool reads our file: astropy.io.fits (Debian python3-astropy) sees the groups, parameters and tables. */
    @Test
    void astropyReadsTheFile() throws Exception {
        File python = new File(DebianPython.PYTHON);
        assumeTrue(DebianPython.has("astropy.io.fits, numpy"),
                "python3-astropy is not installed (apt-get install python3-astropy)");
        UvfitsData d = sample();
        Path f = tmp.resolve("astropy.uvfits");
        UvfitsWriter.write(d, f);
        String script = String.join("\n",
                "import sys, numpy as np",
                "from astropy.io import fits",
                "h = fits.open(sys.argv[1])",
                "g = h[0].data",
                "bl = g.par('BASELINE')",
                "a1 = (bl // 256).astype(int); a2 = (bl % 256).astype(int)",
                "jd = g.par('DATE')",
                "d = g.data",
                "print(len(g), d.shape, a1[1], a2[1], repr(float(jd[0])), repr(float(g.par('UU')[1])))",
                "print(repr(float(d[7, 0, 0, 0, 2, 1, 0])), repr(float(d[7, 0, 0, 0, 2, 1, 1])), "
                        + "repr(float(d[7, 0, 0, 0, 2, 1, 2])))",
                "print(h['AIPS AN'].data['ANNAME'][2], h['AIPS SU'].data['SOURCE'][1], h[0].header['CTYPE4'])",
                "import json",
                "keys = {k: h[0].header[k] for k in ('BUNIT', 'EPOCH', 'RADESYS', 'DATE-OBS', 'TELESCOP', 'OBJECT')}",
                "an = h['AIPS AN'].header",
                "keys.update({'AN.' + k: an[k] for k in ('ARRAYX', 'ARRAYY', 'ARRAYZ', 'GSTIA0', 'DEGPDY', 'FREQ',"
                        + " 'RDATE', 'POLARX', 'POLARY', 'UT1UTC', 'DATUTC', 'TIMSYS', 'ARRNAM', 'XYZHAND', 'FRAME',"
                        + " 'NUMORB', 'NOPCAL', 'POLTYPE')})",
                "keys['STABXYZ0'] = [float(x) for x in h['AIPS AN'].data['STABXYZ'][0]]",
                "print(json.dumps(keys))");
        Process p = new ProcessBuilder(python.getPath(), "-c", script, f.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        String[] lines = out.trim().split("\n");
        Visibilities v = d.vis();
        String[] first = lines[0].replace("(", "").replace(")", "").replace(",", " ").trim().split("\\s+");
        assertEquals(String.valueOf(v.nBlt()), first[0]);
        // astropy shape (groups, DEC, RA, IF, FREQ, STOKES, COMPLEX)
        assertEquals(java.util.List.of(String.valueOf(v.nBlt()), "1", "1", "1", "4", "2", "3"),
                java.util.List.of(first).subList(1, 8));
        assertEquals("1", first[8]);
        assertEquals("2", first[9]);
        assertEquals(v.timeJd()[0], Double.parseDouble(first[10]), 1e-6);
        // UVFITS orientation (AIPS, pyuvdata): UU = x(ant1) − x(ant2) and the conjugate sample
        assertEquals(-v.uvw()[3] / 299792458.0, Double.parseDouble(first[11]), 1e-12);
        String[] second = lines[1].trim().split("\\s+");
        int i = v.index(7, 2, 1);
        assertEquals(v.re()[i], Double.parseDouble(second[0]), 1e-6);
        assertEquals(-v.im()[i], Double.parseDouble(second[1]), 1e-6);
        assertEquals(v.flag()[i] ? -v.weight()[i] : v.weight()[i], Double.parseDouble(second[2]), 1e-6);
        assertEquals("DSA-003 0542+498_t1 FREQ", lines[2].trim());
        // every keyword AIPS Memo 117 asks for, as astropy reads it
        com.fasterxml.jackson.databind.JsonNode k = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines[3]);
        assertEquals("UNCALIB", k.get("BUNIT").asText());
        assertEquals(2000.0, k.get("EPOCH").asDouble());
        assertEquals("icrs", k.get("RADESYS").asText());
        String day = UvfitsWriter.dateOf(Math.floor(v.timeJd()[0] - 0.5) + 0.5);
        assertEquals(day, k.get("DATE-OBS").asText());
        assertEquals(day, k.get("AN.RDATE").asText());
        assertEquals(d.arrayCentreEcef()[0], k.get("AN.ARRAYX").asDouble(), 1e-6);
        assertEquals(d.arrayCentreEcef()[1], k.get("AN.ARRAYY").asDouble(), 1e-6);
        assertEquals(d.arrayCentreEcef()[2], k.get("AN.ARRAYZ").asDouble(), 1e-6);
        double gst0 = Math.toDegrees(AntennaTableTimes.gstAt0h(Math.floor(v.timeJd()[0] - 0.5) + 0.5));
        assertEquals(gst0, k.get("AN.GSTIA0").asDouble(), 1e-9);
        assertTrue(gst0 >= 0 && gst0 < 360);
        assertEquals(360.985644973, k.get("AN.DEGPDY").asDouble(), 1e-9);
        assertEquals(v.freqHz()[0], k.get("AN.FREQ").asDouble(), 1e-3);
        for (String zero : new String[] {"AN.POLARX", "AN.POLARY", "AN.UT1UTC", "AN.DATUTC", "AN.NUMORB",
            "AN.NOPCAL"}) {
            assertEquals(0.0, k.get(zero).asDouble(), zero);
        }
        assertEquals("UTC", k.get("AN.TIMSYS").asText());
        assertEquals("DSA-110", k.get("AN.ARRNAM").asText());
        assertEquals("RIGHT", k.get("AN.XYZHAND").asText());
        assertEquals("ITRF", k.get("AN.FRAME").asText());
        assertEquals("X-Y LIN", k.get("AN.POLTYPE").asText());
        // STABXYZ in the memo's frame: ITRF offsets rotated about z by the array's longitude
        double lon = Math.atan2(d.arrayCentreEcef()[1], d.arrayCentreEcef()[0]);
        double x = d.antennaXyz()[0], y = d.antennaXyz()[1];
        assertEquals(Math.cos(lon) * x + Math.sin(lon) * y, k.get("STABXYZ0").get(0).asDouble(), 1e-9);
        assertEquals(-Math.sin(lon) * x + Math.cos(lon) * y, k.get("STABXYZ0").get(1).asDouble(), 1e-9);
        assertEquals(d.antennaXyz()[2], k.get("STABXYZ0").get(2).asDouble(), 1e-9);
        // readable by the group (0644)
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(f)));
    }
}
