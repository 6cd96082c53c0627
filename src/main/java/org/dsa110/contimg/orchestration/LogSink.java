package org.dsa110.contimg.orchestration;

/**
 * Where an executor writes a job's output, line by line ({@code stream} is {@code stdout} or {@code stderr}).
 * {@link JobLog#sink(long)} gives one per job; the engine's exec executor adapts its own sink to this shape.
 */
@FunctionalInterface
public interface LogSink {
    void line(String stream, String line);

    LogSink DISCARD = (stream, line) -> { };
}
