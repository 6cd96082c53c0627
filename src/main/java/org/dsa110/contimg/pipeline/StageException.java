package org.dsa110.contimg.pipeline;

/**
 * A stage failed. {@link #reason()} is a short code stored as the DLQ item's error type ({@code exec_failed},
 * {@code timeout}, ...). Plain StageExceptions are transient: the stage is redelivered with back-off.
 */
public class StageException extends RuntimeException {
    private final String reason;

    public StageException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public StageException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
