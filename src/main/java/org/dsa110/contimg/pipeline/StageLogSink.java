package org.dsa110.contimg.pipeline;

/** Receives a stage's log output line by line ({@code stream} is {@code stdout} or {@code stderr}). */
@FunctionalInterface
public interface StageLogSink {
    void line(String stream, String text);

    default void info(String text) {
        line("stdout", text);
    }

    StageLogSink DISCARD = (stream, text) -> { };
}
