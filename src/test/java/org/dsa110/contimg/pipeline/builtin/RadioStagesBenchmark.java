package org.dsa110.contimg.pipeline.builtin;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.dsa110.contimg.pipeline.StageExecutor;
import org.dsa110.contimg.pipeline.StageLogSink;
import org.dsa110.contimg.pipeline.StageRequest;
import org.dsa110.contimg.pipeline.StageResult;
import org.dsa110.contimg.core.DataRoots;
import org.dsa110.contimg.products.ImageRegistry;
import org.dsa110.contimg.products.ReferenceCatalog;
import org.dsa110.contimg.science.radio.Astrometry;
import org.dsa110.contimg.science.radio.CalibratorMatcher;
import org.dsa110.contimg.science.sim.GroupSimulator;
import org.dsa110.contimg.science.sim.SimConfig;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.TestDatabases;

/**
 * Wall time and peak heap of the builtin conversion, calibration (solve + apply) and imaging stages on one simulated
 * calibrator group, run in-process on a file H2 store (no hub, no HTTP). Not a test: run it with
 * {@code bench/radio-stages.sh [antennas subbands channels integrations max-image-size] [option ...]}, options
 * {@code sky=catalog} (the simulator's synthetic NVSS-like sky, loaded as the reference catalog of the solve's field
 * model; default {@code sky=calibrator}: the calibrator alone), {@code until=<stage>} (stop after that stage) and
 * {@code dir=<path>} (work there and reuse the simulated files of an earlier run with the same arguments),
 * {@code repeat=<n>} (run the stage chain n times in the same JVM: the first run is the fresh-JVM figure, the later
 * ones the warm-heap figure of issue 15's budget) and
 * {@code <stage>.<param>=<value>} (a stage parameter, as {@code hub.stage.<stage>.param.<param>} would set it).
 * Peak heap = the sum of the heap pools' peak usage since the stage started (the pools' peaks are reset and a GC is
 * requested before each stage), so it includes garbage not yet collected: an upper bound of what the stage needs.
 */
public final class RadioStagesBenchmark {
    private RadioStagesBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int status = 0;
        try {
            run(args);
        } catch (Throwable t) {
            t.printStackTrace();
            status = 1;
        }
        System.exit(status); // the H2 file store keeps non-daemon threads alive

    }

    private static void run(String[] args) throws Exception {
        int antennas = args.length > 0 ? Integer.parseInt(args[0]) : 96;
        int subbands = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int channels = args.length > 2 ? Integer.parseInt(args[2]) : 48;
        int integrations = args.length > 3 ? Integer.parseInt(args[3]) : 24;
        String maxSize = args.length > 4 ? args[4] : "0";
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 5; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("option " + args[i] + ": expected key=value");
            }
            options.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        boolean catalogSky = "catalog".equals(options.getOrDefault("sky", "calibrator"));
        Path dir = options.containsKey("dir") ? Files.createDirectories(Path.of(options.get("dir")))
                : Files.createTempDirectory("radio-bench");
        System.out.printf("radio stages benchmark: %d antennas, %d subbands x %d channels, %d integrations, "
                + "max image size, options %s, %d processors, max heap %d MB, dir %s%n", antennas, subbands, channels,
                integrations, maxSize + " " + options, Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, dir);
        long t0 = System.nanoTime();
        SimConfig cfg = SimConfig.defaults(dir.resolve("incoming")).withAntennas(antennas).withSubbands(subbands)
                .withChannelsPerSubband(channels).withIntegrations(integrations).withGroups(1)
                .withCalibratorGroups(Set.of(0)).withFixedSky(catalogSky ? null : List.of());
        GroupSimulator sim = new GroupSimulator(cfg);
        Path incoming = dir.resolve("incoming");
        List<Path> files;
        try (var existing = Files.exists(incoming) ? Files.list(incoming) : java.util.stream.Stream.<Path>empty()) {
            files = existing.filter(f -> f.toString().endsWith(".hdf5"))
                    .sorted(java.util.Comparator.comparing(f -> f.getFileName().toString().substring(20))).toList();
        }
        if (files.size() != subbands) {
            files = sim.writeGroup(0);
        }
        Path catalogCsv = catalogSky ? sim.writeCatalog() : null;
        System.out.printf("simulated %d subband files in %.1f s (not part of the pipeline)%n", files.size(),
                (System.nanoTime() - t0) / 1e9);
        String group = files.get(0).getFileName().toString().substring(0, 19);

        DataSource ds = TestDatabases.h2File(dir.resolve("db-" + System.nanoTime()));
        TestDatabases.migrate(ds);
        Db db = new Db(ds, Db.Dialect.H2);
        db.update("INSERT INTO ingest_groups (group_id, group_time, state, expected_subbands, subbands_present) "
                + "VALUES (?, ?, 'in_progress', ?, ?)", group, Instant.parse(group + "Z"), subbands, files.size());
        RadioStore store = new RadioStore(db);
        CalibrationSolveStage.FieldCatalog field = null;
        if (catalogSky) {
            ReferenceCatalog catalog = new ReferenceCatalog(db, "NVSS");
            System.out.printf("reference catalog: %d sources (the simulator's sky)%n", catalog.load(catalogCsv));
            field = CalibrationSolveStage.FieldCatalog.of(() -> catalog);
        }
        CalibrationRegistry cal = new CalibrationRegistry(db);
        ImageRegistry images = new ImageRegistry(db, new DataRoots(dir, List.of()));
        Map<String, StageExecutor> stages = new LinkedHashMap<>();
        stages.put("conversion", new ConversionStage(store, CalibratorMatcher.dsa110Default(), Astrometry.DSA110));
        stages.put("calibration_solve", new CalibrationSolveStage(store, cal, field));
        stages.put("calibration_apply", new CalibrationApplyStage(store, cal));
        stages.put("imaging", new ImagingStage(store, () -> images));
        int repeats = Integer.parseInt(options.getOrDefault("repeat", "1"));
        for (int run = 1; run <= repeats; run++) {
            if (repeats > 1) {
                System.out.printf("run %d of %d (same JVM%s)%n", run, repeats, run == 1 ? ", fresh" : ", warm");
            }
            runStages(stages, group, files, maxSize, options, dir.resolve(repeats > 1 ? "staging-" + run : "staging"));
        }
    }

    private static void runStages(Map<String, StageExecutor> stages, String group, List<Path> files, String maxSize,
                                  Map<String, String> options, Path staging) throws Exception {
        Map<String, List<String>> outputs = new LinkedHashMap<>();
        double total = 0;
        System.out.printf("%-18s %9s %14s  %s%n", "stage", "wall [s]", "peak heap [MB]", "metrics");
        for (Map.Entry<String, StageExecutor> e : stages.entrySet()) {
            String stage = e.getKey();
            List<String> inputs = switch (stage) {
                case "conversion" -> files.stream().map(Path::toString).toList();
                case "imaging" -> outputs.get("calibration_apply");
                default -> outputs.get("conversion");
            };
            Map<String, Object> params = new LinkedHashMap<>();
            if (stage.equals("imaging")) {
                params.put("max-size", maxSize);
            }
            options.forEach((k, v) -> {
                if (k.startsWith(stage + ".")) {
                    params.put(k.substring(stage.length() + 1), v);
                }
            });
            StageRequest req = new StageRequest(stage, group, 1, 1, inputs,
                    staging.resolve(stage), params, StageLogSink.DISCARD);
            System.gc();
            List<MemoryPoolMXBean> pools = new ArrayList<>();
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == MemoryType.HEAP) {
                    p.resetPeakUsage();
                    pools.add(p);
                }
            }
            long s = System.nanoTime();
            StageResult r = e.getValue().run(req);
            double sec = (System.nanoTime() - s) / 1e9;
            long peak = pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            outputs.put(stage, r.outputs());
            total += sec;
            System.out.printf("%-18s %9.1f %14d  %s%n", stage, sec, peak >> 20, r.metrics());
            if (stage.equals(options.get("until"))) {
                break;
            }
        }
        System.out.printf("%-18s %9.1f%n", "total", total);
    }
}
