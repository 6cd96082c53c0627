package org.dsa110.contimg.pipeline;

/**
 * A failure retrying cannot fix (invalid input, no executor configured): not redelivered, does not count against
 * the stage's circuit breaker, goes straight to the dead-letter queue.
 */
public class PermanentStageException extends StageException {
    public static final String NO_EXECUTOR = "no_executor";
    public static final String INVALID_INPUT = "invalid_input";

    public PermanentStageException(String reason, String message) {
        super(reason, message);
    }
}
