package org.dsa110.contimg.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.pipeline.CommandTemplate;
import org.dsa110.contimg.pipeline.ExecStageExecutor;
import org.dsa110.contimg.pipeline.StageException;
import org.dsa110.contimg.pipeline.StageRequest;
import org.dsa110.contimg.pipeline.StageResult;
import org.dsa110.contimg.science.fits.FitsImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * processors/wsclean-image.py run for real, through the hub's exec executor with the command template documented
 * in processors/README.md, on a Measurement Set written by processors/make_test_ms.py with a known point source.
 * Skipped (with the reason) where wsclean or Debian's python3-casacore is not installed; .ci/run installs both.
 */
class WscleanAdapterTest {
    /** The documented template, with the test's own interpreter and script location. */
    static final String TEMPLATE = ProcessorTools.PYTHON + " " + ProcessorTools.PROCESSORS.resolve("wsclean-image.py")
            + " --threads 2 {inputs}";

    @TempDir
    Path dir;

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private StageResult image(List<String> inputs, Map<String, Object> params) throws Exception {
        StageRequest req = new StageRequest("imaging", "2025-10-24T13:28:03", 1, 1, inputs, dir.resolve("out"),
                params, (stream, line) -> log.add(stream + ":" + line));
        return new ExecStageExecutor(new CommandTemplate(TEMPLATE), Duration.ofMinutes(5), null).run(req);
    }

    @Test
    void imagesTheCorrectedDataOfAMeasurementSetWithThePipelineParameters() throws Exception {
        String missing = ProcessorTools.wscleanMissing();
        assumeTrue(missing == null, "WSClean adapter test skipped: " + missing);
        Path ms = dir.resolve("2025-10-24T13:28:03.ms");
        // DATA holds gain-corrupted visibilities, CORRECTED_DATA the sky: only the latter images the source sharply
        JsonNode truth = ProcessorTools.makeTestMs(ms, "--corrected", "--radius-m", "100");
        JsonNode source = truth.path("sources").get(0);

        StageResult r = image(List.of(ms.toString()), Map.of());
        Path out = dir.resolve("out");
        Path pbImage = out.resolve("2025-10-24T13:28:03-image-pb.fits");
        Path image = out.resolve("2025-10-24T13:28:03-image.fits");
        assertEquals(List.of(pbImage.toString()), r.outputs(), "the manifest names the pb-corrected image");
        assertTrue(Files.isRegularFile(image));

        // the pipeline's WSClean parameters reached the command line (logged by the adapter, captured by the hub)
        String command = log.stream().filter(l -> l.startsWith("stdout:$ wsclean")).findFirst().orElse("");
        // deconvolution to the noise with the builtin imager's defaults (niter only a safety cap)
        for (String p : List.of("-weight briggs 0", "-niter 100000", "-nmiter 30", "-gain 0.1", "-mgain 0.8",
                "-auto-threshold 3",
                "-auto-mask 5", "-pol I", "-data-column CORRECTED_DATA", "-no-update-model-required")) {
            assertTrue(command.contains(p), p + " missing from " + command);
        }
        assertTrue(log.stream().anyMatch(l -> l.contains("WSClean version")), "wsclean's own output is in the log");

        // cell and size follow science.md from the u_max the adapter measured; the FITS agrees
        Map<String, Object> m = r.metrics();
        assertEquals("CORRECTED_DATA", m.get("data_column"));
        double uMax = ((Number) m.get("u_max_lambda")).doubleValue();
        double maxBaselineM = 2 * 100.0; // the array radius given above
        assertTrue(uMax > 0 && uMax <= maxBaselineM * truth.path("freq_max_hz").asDouble() / 299792458.0 + 1e-6,
                "u_max " + uMax);
        double cell = Math.min(60, Math.max(0.1, Math.toDegrees(0.5 / uMax) * 3600 / 5));
        assertEquals(cell, ((Number) m.get("cell_arcsec")).doubleValue(), 1e-3);
        int size = (int) Math.ceil(12600 / cell);
        size += size % 2;
        assertEquals(size, ((Number) m.get("imsize")).intValue());

        ProcessorTools.Plane plane = ProcessorTools.readPlane(image);
        assertEquals(size, plane.width());
        assertEquals(size, plane.height());
        assertEquals(cell / 3600, plane.header().getDoubleValue("CDELT2"), 1e-6);
        assertEquals(-cell / 3600, plane.header().getDoubleValue("CDELT1"), 1e-6);
        assertEquals("JY/BEAM", plane.header().getStringValue("BUNIT").trim().toUpperCase());
        double bmajArcsec = plane.header().getDoubleValue("BMAJ") * 3600;
        assertTrue(bmajArcsec > 3 * cell, "restoring beam " + bmajArcsec + "\" vs cell " + cell + "\"");

        // the source: where it was put (within a fifth of the beam), with its beam-attenuated flux
        double[] peak = plane.peak();
        double[] expected = plane.pixelOf(source.path("ra_deg").asDouble(), source.path("dec_deg").asDouble());
        double offArcsec = Math.hypot(peak[0] - expected[0], peak[1] - expected[1]) * cell;
        assertTrue(offArcsec < bmajArcsec / 5, "peak at " + peak[0] + "," + peak[1] + " expected " + expected[0]
                + "," + expected[1] + " (" + offArcsec + "\" off, beam " + bmajArcsec + "\")");
        double apparent = source.path("apparent_flux_jy").asDouble();
        assertEquals(apparent, peak[2], 0.1 * apparent, "peak of the flat-noise image (Jy/beam)");
        assertEquals(peak[2], ((Number) m.get("peak_jyb")).doubleValue(), 1e-4);
        double rms = ((Number) m.get("rms_jyb")).doubleValue();
        assertTrue(rms > 0 && peak[2] / rms > 50, "rms " + rms);

        // primary-beam correction restores the true flux at the same position
        ProcessorTools.Plane pb = ProcessorTools.readPlane(pbImage);
        double[] pbPeak = pb.peak();
        assertEquals(peak[0], pbPeak[0], 1.0);
        assertEquals(peak[1], pbPeak[1], 1.0);
        double flux = source.path("flux_jy").asDouble();
        assertEquals(flux, pbPeak[2], 0.1 * flux, "peak of the pb-corrected image");
        assertTrue(pbPeak[2] > peak[2], "the source is off axis, so the correction raises it");

        // the hub's own FITS reader (what builtin photometry and the image endpoints use) reads the stage output
        try (FitsImage fits = FitsImage.open(pbImage)) {
            assertTrue(fits.hasWcs());
            double[] px = fits.wcs().worldToPixel(source.path("ra_deg").asDouble(), source.path("dec_deg").asDouble());
            double[] mine = pb.pixelOf(source.path("ra_deg").asDouble(), source.path("dec_deg").asDouble());
            assertEquals(mine[0] - 1, px[0], 0.01, "0-based x from the hub's WCS");
            assertEquals(mine[1] - 1, px[1], 0.01, "0-based y from the hub's WCS");
            assertEquals(bmajArcsec / 3600, fits.beam().bmajDeg(), 1e-9);
            assertEquals(truth.path("mid_mjd").asDouble(), fits.mjd(), 0.01, "DATE-OBS is the observation's");
            assertTrue(fits.frequencyHz() > 1.3e9 && fits.frequencyHz() < 1.33e9, "frequency " + fits.frequencyHz());
        }

        JsonNode manifest = Json.MAPPER.readTree(out.resolve("manifest.json").toFile());
        assertEquals("2025-10-24T13:28:03-psf.fits", manifest.path("products").path("psf").asText());
        assertEquals(ms.toString(), manifest.path("inputs").get(0).asText());
    }

    @Test
    void fallsBackToDataAndTakesStageParametersFromTheHub() throws Exception {
        String missing = ProcessorTools.wscleanMissing();
        assumeTrue(missing == null, "WSClean adapter test skipped: " + missing);
        Path ms = dir.resolve("plain.ms");
        // baselines longer than 120 m flagged: u_max must come from the unflagged ones only
        JsonNode truth = ProcessorTools.makeTestMs(ms, "--no-beam", "--times", "4", "--flag-longer-than-m", "120");
        assertTrue(truth.path("flagged_rows").asInt() > 0);
        // hub.stage.imaging.param.* arrive as strings in CONTIMG_PARAMS_JSON and override the computed size/scale
        StageResult r = image(List.of(ms.toString(), dir.resolve("notes.txt").toString()),
                Map.of("size", "512", "scale_arcsec", "20", "niter", "200", "pbcor", "false", "threshold-sigma", "4",
                        "mask-sigma", "4", "major-gain", "0.9", "threshold-jy", "0.002", "max-major-cycles", "3"));
        Map<String, Object> m = r.metrics();
        assertEquals("DATA", m.get("data_column"));
        double fMax = truth.path("freq_max_hz").asDouble();
        double uMax = ((Number) m.get("u_max_lambda")).doubleValue();
        assertTrue(uMax <= 120 * fMax / 299792458.0 + 1e-6 && uMax > 60 * fMax / 299792458.0, "u_max " + uMax);
        assertEquals(truth.path("rows").asInt() - truth.path("flagged_rows").asInt(),
                ((Number) m.get("unflagged_rows")).intValue());
        assertEquals(512, ((Number) m.get("imsize")).intValue());
        assertEquals(200, ((Number) m.get("niter")).intValue());
        assertEquals(false, m.get("pbcor"));
        // the imaging stage's deconvolution parameters (shared with the builtin imager) reach WSClean; a mask level
        // not above the threshold means no mask, as in the builtin
        String command = log.stream().filter(l -> l.startsWith("stdout:$ wsclean")).findFirst().orElse("");
        for (String p : List.of("-niter 200", "-nmiter 3", "-mgain 0.9", "-auto-threshold 4", "-threshold 0.002")) {
            assertTrue(command.contains(p), p + " missing from " + command);
        }
        assertFalse(command.contains("-auto-mask"), command);
        assertEquals(4.0, ((Number) m.get("threshold_sigma")).doubleValue());
        // what WSClean did (its WSCMINOR / WSCMAJOR keywords), under the builtin imager's metric names
        int iterations = ((Number) m.get("clean_iterations")).intValue();
        int majors = ((Number) m.get("major_cycles")).intValue();
        assertTrue(iterations > 0 && iterations <= 200, "iterations " + iterations);
        assertTrue(majors >= 1 && majors <= 3, m.toString());
        assertEquals(iterations < 200 && majors < 3, m.get("clean_converged"), "converged: below both caps");
        assertEquals(List.of(dir.resolve("out").resolve("plain-image.fits").toString()), r.outputs());
        assertTrue(log.contains("stderr:note: ignoring input " + dir.resolve("notes.txt")
                + ": not a Measurement Set directory"), log.toString());

        ProcessorTools.Plane plane = ProcessorTools.readPlane(Path.of(r.outputs().get(0)));
        assertEquals(512, plane.width());
        double[] peak = plane.peak();
        JsonNode source = truth.path("sources").get(0);
        double[] expected = plane.pixelOf(source.path("ra_deg").asDouble(), source.path("dec_deg").asDouble());
        assertTrue(Math.hypot(peak[0] - expected[0], peak[1] - expected[1]) < 1.5, "peak " + peak[0] + ","
                + peak[1] + " expected " + expected[0] + "," + expected[1]);
        assertEquals(1.0, peak[2], 0.1, "no primary beam in this MS, so the image shows the true flux");
    }

    @Test
    void inputThatIsNoMeasurementSetFailsTheStageWithTheReason() throws Exception {
        assumeTrue(ProcessorTools.pythonHas("numpy"), "skipped: " + ProcessorTools.PYTHON + " with numpy is needed");
        Path notMs = Files.createDirectories(dir.resolve("empty.ms"));
        StageException e = assertThrows(StageException.class, () -> image(List.of(notMs.toString()), Map.of()));
        assertEquals("exec_failed", e.reason());
        assertTrue(e.getMessage().contains("exited with code 3: error: no Measurement Set among the inputs"),
                e.getMessage());
        assertFalse(Files.exists(dir.resolve("out").resolve("manifest.json")), "no manifest on failure");

        StageException bad = assertThrows(StageException.class,
                () -> image(List.of(notMs.toString()), Map.of("niter", "lots")));
        assertTrue(bad.getMessage().contains("exited with code 2: error: stage parameter niter='lots'"),
                bad.getMessage());
    }
}
