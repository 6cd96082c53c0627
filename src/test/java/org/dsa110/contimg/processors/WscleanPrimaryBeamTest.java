package org.dsa110.contimg.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.science.fits.FitsImageWriter;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.imaging.BeamPointings;
import org.dsa110.contimg.science.imaging.ImageGeometry;
import org.dsa110.contimg.science.imaging.PrimaryBeamCorrection;
import org.dsa110.contimg.science.radio.PrimaryBeam;
import org.dsa110.contimg.science.radio.Visibilities;
import org.dsa110.contimg.science.uvfits.UvfitsData;
import org.dsa110.contimg.science.uvfits.UvfitsReader;
import org.dsa110.contimg.science.uvfits.UvfitsWriter;
import org.dsa110.contimg.science.wcs.CelestialWcs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WSClean adapter's primary-beam correction against the builtin imaging's (docs/radio-stages.md, "Primary-beam
 * correction"): both divide by the drift scan's time-averaged beam Σ_t w_t·B(θ_t, ν) / Σ_t w_t over the fields'
 * pointings, weighted by the summed weights of their unflagged cross-correlation samples. A UVFITS file with five
 * integrations (one field each, all phased to one centre, pointings on meridians 0.15° apart), unequal weights per
 * field, random flags and heavily weighted autocorrelations (which must not count) goes through the adapter's own
 * path (contimg_ms.py's UVFITS → MS conversion, which carries RAOBS/DECOBS into the POINTING table, then
 * {@code beam_pointings} and {@code pb_correct}) and through {@link BeamPointings#of} and
 * {@link PrimaryBeamCorrection}; the weights and every pixel of the corrected unit image must agree. Needs Debian's
 * python3-casacore and python3-astropy (not wsclean); skipped with the reason otherwise.
 */
class WscleanPrimaryBeamTest {
    @TempDir
    Path tmp;

    private static final double RA0 = Math.toRadians(128.7);
    private static final double DEC0 = Math.toRadians(54.6);
    private static final int SIZE = 400;
    private static final double CELL_DEG = 36.0 / 3600; // nodes every 2 pixels: the interpolation is compared too
    private static final double FREQ = 1.405e9;

    @Test
    void adapterDividesByTheSameTimeAveragedBeamAsTheBuiltinImaging() throws Exception {
        assumeTrue(ProcessorTools.pythonHas("numpy, casacore.tables, astropy"),
                "WSClean adapter beam test skipped: " + ProcessorTools.PYTHON
                        + " cannot import casacore.tables and astropy (Debian python3-casacore, python3-astropy)");
        Path uvfits = tmp.resolve("drift.uvfits");
        UvfitsWriter.write(driftScan(), uvfits);

        // builtin: the pointings and weights as the imaging stage takes them from the file, applied to a unit image
        BeamPointings builtin = BeamPointings.of(UvfitsReader.read(uvfits));
        ImageGeometry g = new ImageGeometry(SIZE, SIZE, Math.toRadians(CELL_DEG), RA0, DEC0);
        float[] ones = new float[SIZE * SIZE];
        Arrays.fill(ones, 1f);
        ImagePlane java = PrimaryBeamCorrection.apply(ImagePlane.of(SIZE, SIZE, ones), g, FREQ, PrimaryBeam.dsa110(),
                PrimaryBeamCorrection.DEFAULT_CUTOFF, builtin);
        Path unit = tmp.resolve("unit-image.fits");
        new FitsImageWriter(CelestialWcs.sin(Math.toDegrees(RA0), Math.toDegrees(DEC0), g.crpix1(), g.crpix2(),
                CELL_DEG)).frequency(FREQ, 1.875e8).bunit("JY/BEAM").radioAxes().write(ImagePlane.of(SIZE, SIZE, ones),
                unit);

        // the adapter: its conversion, its pointings, its correction
        Path pb = tmp.resolve("unit-image-pb.fits");
        Path out = tmp.resolve("pointings.json");
        String script = String.join("\n",
                "import importlib.util, json, sys",
                "sys.path.insert(0, sys.argv[1])",
                "spec = importlib.util.spec_from_file_location('wsclean_image', sys.argv[1] + '/wsclean-image.py')",
                "mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)",
                "import contimg_ms, numpy as np",
                "ms = sys.argv[2] + '.ms'",
                "contimg_ms.uvfits_to_ms(sys.argv[2], ms)",
                "p, w, source = mod.beam_pointings([ms], 'all')",
                "mod.pb_correct(sys.argv[3], sys.argv[4], 0.1, p, w)",
                "ra = np.degrees(np.arctan2(p[:, 1], p[:, 0])) % 360",
                "json.dump({'ra_deg': ra.tolist(), 'weight': w.tolist(), 'source': source}, open(sys.argv[5], 'w'))");
        Path log = tmp.resolve("adapter.log");
        int rc = ProcessorTools.run(List.of(ProcessorTools.PYTHON, "-c", script, ProcessorTools.PROCESSORS.toString(),
                uvfits.toString(), unit.toString(), pb.toString(), out.toString()), log);
        assertEquals(0, rc, "adapter beam code failed: " + Files.readString(log));
        JsonNode res = Json.MAPPER.readTree(out.toFile());

        assertEquals("POINTING", res.get("source").asText(), "pointings read from the MS's POINTING table");
        // the same pointings with the same weights (the field without data drops out of the adapter's list)
        double[] jw = Arrays.stream(builtin.weight()).filter(x -> x > 0).toArray();
        double[] jra = new double[jw.length];
        for (int t = 0, k = 0; t < builtin.weight().length; t++) {
            if (builtin.weight()[t] > 0) {
                jra[k++] = Math.toDegrees(builtin.raRad()[t]);
            }
        }
        assertEquals(jw.length, res.get("weight").size(), "pointings with data");
        for (int k = 0; k < jw.length; k++) {
            assertEquals(jra[k], res.get("ra_deg").get(k).asDouble(), 1e-9, "pointing " + k);
            assertEquals(1.0, res.get("weight").get(k).asDouble() / jw[k], 1e-6, "weight of pointing " + k);
        }

        ProcessorTools.Plane adapter = ProcessorTools.readPlane(pb);
        int compared = 0;
        double worst = 0;
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                float a = adapter.pixels()[y][x];
                float b = java.get(x, y);
                if (Float.isNaN(b) || Float.isNaN(a)) {
                    // blank in one only where the beam sits at the cutoff (interpolation differs there by < 1e-4)
                    assertTrue(Float.isNaN(a) == Float.isNaN(b) || Math.abs(1 / (Float.isNaN(a) ? b : a) - 0.1) < 1e-3,
                            "blanking differs at " + x + "," + y);
                    continue;
                }
                worst = Math.max(worst, Math.abs(a / b - 1));
                compared++;
            }
        }
        System.out.printf("adapter vs builtin drift-scan pbcor: %d pixels, largest relative difference %.2e; "
                + "centre %.5f (1/B_eff), adapter weights %s%n", compared, worst, java.get(SIZE / 2, SIZE / 2),
                res.get("weight"));
        assertTrue(compared > SIZE * SIZE / 2, "compared " + compared);
        assertTrue(worst < 2e-4, "largest relative difference " + worst);
        // not the beam about the phase centre: the mean beam at the centre is below the peak
        assertTrue(java.get(SIZE / 2, SIZE / 2) > 1.002, "centre " + java.get(SIZE / 2, SIZE / 2));
    }

    /**
     * Four antennas (with autocorrelations), five integrations, one field each with the phase centre (RA0, DEC0)
     * and a pointing on a meridian 0.15° apart; field weights 1, 2, 3, 0 (all flagged), 1.5 times a random
     * per-sample factor, one sample in six flagged, autocorrelations weighted 1000.
     */
    private static UvfitsData driftScan() {
        int nAnt = 4;
        int nBl = nAnt * (nAnt + 1) / 2;
        int nT = 5;
        int nBlt = nBl * nT;
        double[] time = new double[nBlt];
        int[] a1 = new int[nBlt];
        int[] a2 = new int[nBlt];
        double[] uvw = new double[3 * nBlt];
        double[] ra = new double[nBlt];
        double[] dec = new double[nBlt];
        int[] field = new int[nBlt];
        double[] inttim = new double[nBlt];
        int b = 0;
        for (int t = 0; t < nT; t++) {
            for (int i = 1; i <= nAnt; i++) {
                for (int j = i; j <= nAnt; j++) {
                    time[b] = 2460973.25 + t * 12.884901888 / 86400;
                    a1[b] = i;
                    a2[b] = j;
                    uvw[3 * b] = 40.0 * (j - i) + 3 * t;
                    uvw[3 * b + 1] = -17.5 * (j - i);
                    uvw[3 * b + 2] = 1.5 * (j - i);
                    ra[b] = RA0;
                    dec[b] = DEC0;
                    field[b] = t;
                    inttim[b] = 12.884901888;
                    b++;
                }
            }
        }
        double[] freq = {1.40e9, 1.402e9, 1.404e9, 1.406e9, 1.408e9, 1.41e9};
        Visibilities v = Visibilities.allocate(time, a1, a2, uvw, ra, dec, freq, 2);
        double[] fieldWeight = {1, 2, 3, 0, 1.5};
        SplittableRandom r = new SplittableRandom(15);
        int perBlt = freq.length * 2;
        for (int k = 0; k < nBlt; k++) {
            for (int i = k * perBlt; i < (k + 1) * perBlt; i++) {
                v.re()[i] = 1f;
                v.weight()[i] = a1[k] == a2[k] ? 1000f : (float) (fieldWeight[field[k]] * (0.5 + r.nextDouble()));
                v.flag()[i] = fieldWeight[field[k]] == 0 || r.nextInt(6) == 0;
            }
        }
        String[] names = new String[nT];
        double[] fra = new double[nT];
        double[] fdec = new double[nT];
        double[] pra = new double[nT];
        double[] pdec = new double[nT];
        for (int t = 0; t < nT; t++) {
            names[t] = "drift_t" + t;
            fra[t] = RA0;
            fdec[t] = DEC0;
            pra[t] = RA0 + Math.toRadians(0.15 * (t - 2)) / Math.cos(DEC0);
            pdec[t] = DEC0;
        }
        double[] xyz = {0, 0, 0, 40, -17.5, 1.5, 80, -35, 3, 120, -52.5, 4.5};
        return new UvfitsData("DSA-110", "DSA", "2025-10-24T06:00:00", new double[] {-2409261.7, -4478733.4, 3838489.9},
                new int[] {1, 2, 3, 4}, new String[] {"DSA-001", "DSA-002", "DSA-003", "DSA-004"}, xyz, names, fra, fdec,
                pra, pdec, field, inttim, new int[] {-5, -6}, v, Map.of("GROUPID", "2025-10-24T06:00:00"));
    }
}
