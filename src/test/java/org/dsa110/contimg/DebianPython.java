package org.dsa110.contimg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The interpreter Debian's python3-* packages install into (h5py, astropy, casacore), which the cross-check tests
 * run when it is there; a pyenv/conda python3 first on PATH may lack those modules.
 */
public final class DebianPython {
    public static final String PYTHON = "/usr/bin/python3";

    private DebianPython() {
    }

    /** Whether {@link #PYTHON} exists and can {@code import} the given modules (e.g. {@code "h5py, numpy"}). */
    public static boolean has(String imports) {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import " + imports).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
