package org.dsa110.contimg.pipeline;

/** Receives a stage's log output line by line ({@code stream} is {@code stdout} or {@code stderr}). */
@FunctionalInterface
public interface StageLogSink {
    void line(String stream, String text);

    default void info(String text) {
        line("stdout", text);
    }

    /**
     * The stage started an external process: whoever runs the stage may stop it (an operator's cancel). Executors
     * that start processes call this right after the start.
     */
    default void started(Process process) {
    }

    StageLogSink DISCARD = (stream, text) -> { };
}
