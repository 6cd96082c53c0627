package org.dsa110.contimg.pipeline;

/**
 * How a stage does its work: in-process Java ({@code builtin}, provided by the science code as a registry bean
 * named {@code builtin.<stage>}) or an external command ({@code exec}). Chosen per stage in config.
 *
 * <p>Contract: return the outputs on success; throw {@link StageException} (or any exception) on failure. Throw
 * {@link PermanentStageException} when retrying cannot help (invalid input): it skips redelivery and goes
 * straight to the dead-letter queue.
 */
@FunctionalInterface
public interface StageExecutor {
    StageResult run(StageRequest request) throws Exception;

    /** What this executor is, for stage_runs.executor ({@code builtin} or {@code exec}). */
    default String kind() {
        return "builtin";
    }
}
