package org.dsa110.contimg.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import org.dsa110.contimg.science.sim.GroupSimulator;
import org.dsa110.contimg.science.sim.SimConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo telescope: a {@link GroupSimulator} whose groups are dropped into the incoming directory one at a time.
 * {@link #prepare()} writes the catalog CSV and the truth JSON into the demo directory; {@link #feedNext()} writes
 * the next group's 16 subband files. The index of the next group is kept in {@code feeder.state} in the demo
 * directory, so a restarted hub continues the sequence instead of re-sending groups it already delivered.
 */
public final class DemoFeeder {
    private static final Logger LOG = LoggerFactory.getLogger(DemoFeeder.class);
    static final String STATE_FILE = "feeder.state";

    private SimConfig config;
    private final Path incomingDir;
    private final Path stateFile;
    private GroupSimulator simulator;
    private int next;
    private boolean finishedLogged;

    public DemoFeeder(SimConfig config, Path incomingDir) {
        this.config = config;
        this.incomingDir = incomingDir;
        this.stateFile = config.outputDir().resolve(STATE_FILE);
    }

    /** The configuration in use (after any fallback of {@link #prepare()}). */
    public synchronized SimConfig config() {
        return config;
    }

    /** Builds the simulator (once) and writes the catalog and truth files; returns the catalog path. */
    public synchronized Path prepare() throws IOException {
        if (simulator == null) {
            Files.createDirectories(config.outputDir());
            long t0 = System.nanoTime();
            simulator = build();
            simulator.writeCatalog();
            simulator.writeTruth();
            next = readState();
            LOG.info("demo: {} groups planned ({} sources, calibrator {}, ESE {}), catalog {} written in {} ms; "
                    + "next group {}", config.groups(), simulator.sky().size(),
                    simulator.calibrator().map(c -> c.name()).orElse("none"),
                    simulator.ese().isEmpty() ? "none" : simulator.ese().get(0).sourceId(), config.catalogPath(),
                    (System.nanoTime() - t0) / 1_000_000, next);
        }
        return config.catalogPath();
    }

    /**
     * The simulator for the configuration, falling back to no ESE when no source qualifies for the automatic ESE,
     * and to no calibrator groups when no VLA calibrator is near the pointing declination, so an unusual demo
     * configuration still delivers data (with a warning) instead of stopping the hub.
     */
    private GroupSimulator build() {
        try {
            return new GroupSimulator(config);
        } catch (IllegalArgumentException e) {
            if (config.ese().isEmpty() && config.calibratorGroups().isEmpty()) {
                throw e;
            }
            LOG.warn("demo: {}; continuing without the injected ESE", e.getMessage());
            config = config.withEse(List.of());
        }
        try {
            return new GroupSimulator(config);
        } catch (IllegalArgumentException e) {
            if (config.calibratorGroups().isEmpty()) {
                throw e;
            }
            LOG.warn("demo: {}; continuing without calibrator groups", e.getMessage());
            config = config.withCalibratorGroups(java.util.Set.of());
            return new GroupSimulator(config);
        }
    }

    /** Writes the next group into the incoming directory; empty once every planned group was delivered. */
    public synchronized Optional<List<Path>> feedNext() throws IOException {
        prepare();
        if (next >= config.groups()) {
            if (!finishedLogged) {
                LOG.info("demo: all {} simulated groups delivered", config.groups());
                finishedLogged = true;
            }
            return Optional.empty();
        }
        long t0 = System.nanoTime();
        int g = next;
        List<Path> files = simulator.writeGroup(g, incomingDir);
        next = g + 1;
        writeState(next);
        LOG.info("demo: group {} ({}) delivered: {} subband files in {} ms{}", g,
                simulator.groups().get(g).groupId(), files.size(), (System.nanoTime() - t0) / 1_000_000,
                simulator.groups().get(g).calibratorTransit() ? ", calibrator in the field" : "");
        return Optional.of(files);
    }

    /** Index of the next group to deliver. */
    public synchronized int nextGroup() {
        return next;
    }

    /** The simulator (after {@link #prepare()}). */
    public synchronized GroupSimulator simulator() {
        return simulator;
    }

    private int readState() {
        try {
            if (Files.isRegularFile(stateFile)) {
                int v = Integer.parseInt(Files.readString(stateFile, StandardCharsets.UTF_8).trim());
                return Math.max(0, v);
            }
        } catch (IOException | NumberFormatException e) {
            LOG.warn("demo: ignoring unreadable {}: {}", stateFile, e.getMessage());
        }
        return 0;
    }

    private void writeState(int value) throws IOException {
        Path tmp = stateFile.resolveSibling(STATE_FILE + ".tmp");
        Files.writeString(tmp, Integer.toString(value), StandardCharsets.UTF_8);
        Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
