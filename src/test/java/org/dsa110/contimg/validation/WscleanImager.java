package org.dsa110.contimg.validation;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.DebianPython;
import org.dsa110.contimg.pipeline.CommandTemplate;
import org.dsa110.contimg.pipeline.ExecStageExecutor;
import org.dsa110.contimg.pipeline.StageLogSink;
import org.dsa110.contimg.pipeline.StageRequest;
import org.dsa110.contimg.pipeline.StageResult;

/**
 * The pipeline's WSClean imaging adapter (processors/wsclean-image.py, its own defaults, the builtin imager's
 * deconvolution settings: Briggs 0, auto-threshold 3, auto-mask 5, mgain 0.8, niter cap 100 000, wgridder) run as
 * the exec stage executor runs it, on the same calibrated UVFITS
 * and with the same image size and cell as the builtin image it is compared with (the validation report,
 * CalibrationFluxScaleTest).
 */
public final class WscleanImager {
    private static final Path SCRIPT = Path.of("processors", "wsclean-image.py").toAbsolutePath();

    /** The restored (flat-noise) and primary-beam corrected images, the adapter's metrics and the wall time. */
    public record Images(Path image, Path pbcor, Map<String, Object> metrics, double wallSec) {
    }

    private WscleanImager() {
    }

    /** Why WSClean cannot run here, or null when it can. */
    public static String missing() {
        if (!Files.isExecutable(Path.of(DebianPython.PYTHON))) {
            return DebianPython.PYTHON + " not found";
        }
        if (!Files.isRegularFile(SCRIPT)) {
            return SCRIPT + " not found (run from the project directory)";
        }
        if (!DebianPython.has("numpy, casacore.tables, astropy")) {
            return DebianPython.PYTHON + " cannot import casacore.tables and astropy (Debian python3-casacore, "
                    + "python3-astropy)";
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d.isEmpty() ? "." : d, "wsclean"))) {
                return null;
            }
        }
        return "wsclean is not on PATH (Debian package wsclean)";
    }

    public static Images image(String groupId, Path uvfits, Path outDir, int size, double cellArcsec, int threads)
            throws Exception {
        return image(groupId, uvfits, outDir, size, cellArcsec, threads, List.of());
    }

    /** With extra adapter options (e.g. {@code --extra=-threshold --extra=0.01}), simple tokens without spaces. */
    public static Images image(String groupId, Path uvfits, Path outDir, int size, double cellArcsec, int threads,
                               List<String> options) throws Exception {
        String template = DebianPython.PYTHON + " " + SCRIPT + " --threads " + threads
                + (options.isEmpty() ? "" : " " + String.join(" ", options)) + " {inputs}";
        long t0 = System.nanoTime();
        StageResult r = new ExecStageExecutor(new CommandTemplate(template), Duration.ofHours(2), null).run(
                new StageRequest("imaging", groupId, 1, 1, List.of(uvfits.toString()), outDir,
                        Map.of("size", String.valueOf(size), "scale_arcsec", String.valueOf(cellArcsec)),
                        StageLogSink.DISCARD));
        double wall = (System.nanoTime() - t0) / 1e9;
        Path pb = Path.of(r.outputs().get(0));
        Path image = pb.resolveSibling(pb.getFileName().toString().replace("-image-pb.fits", "-image.fits"));
        return new Images(image, pb, r.metrics(), wall);
    }
}
