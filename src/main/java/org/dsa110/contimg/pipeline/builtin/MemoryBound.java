package org.dsa110.contimg.pipeline.builtin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dsa110.contimg.pipeline.MemoryBudget;
import org.dsa110.contimg.pipeline.StageExecutor;
import org.dsa110.contimg.pipeline.StageRequest;
import org.dsa110.contimg.pipeline.StageResult;

/**
 * A builtin stage whose heap need grows with its input files (conversion: all subbands in memory while they are
 * joined; calibration_solve: the calibrator fields and their model): it reserves {@code factor} × the inputs' size
 * (plus a fixed {@value #OVERHEAD_MB} MB) from the {@link MemoryBudget} before it runs, so it waits for other heavy
 * stages or fails with {@code insufficient_memory} instead of running the JVM out of heap. The factors are the peak
 * heap over input size measured for full-size groups (docs/performance.md, "Builtin radio stages"), rounded up.
 */
final class MemoryBound implements StageExecutor {
    static final long OVERHEAD_MB = 64;

    private final StageExecutor stage;
    private final MemoryBudget budget;
    private final double factor;

    MemoryBound(StageExecutor stage, MemoryBudget budget, double factor) {
        this.stage = stage;
        this.budget = budget;
        this.factor = factor;
    }

    @Override
    public StageResult run(StageRequest req) throws Exception {
        long need = estimate(req.inputs(), factor);
        try (MemoryBudget.Reservation r = budget.reserve(req.stage() + " of group " + req.groupId(), need)) {
            if (budget.enabled()) {
                req.log().info(String.format("memory: about %d MB of Java heap reserved (heavy-work budget %d MB)",
                        need >> 20, budget.totalBytes() >> 20));
            }
            return stage.run(req);
        }
    }

    /** {@code factor} × the summed size of the input files, plus the overhead. */
    static long estimate(List<String> inputs, double factor) {
        long bytes = 0;
        for (String in : inputs) {
            try {
                Path p = Path.of(in);
                bytes += Files.isRegularFile(p) ? Files.size(p) : 0;
            } catch (IOException | RuntimeException e) {
                // an unreadable input fails in the stage itself (invalid_input)
            }
        }
        return (long) (bytes * factor) + (OVERHEAD_MB << 20);
    }
}
