package org.dsa110.contimg.pipeline.builtin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.dsa110.contimg.core.DataRoots;
import org.dsa110.contimg.ops.SystemProbe;
import org.dsa110.contimg.ops.EventBroadcaster;
import org.dsa110.contimg.ops.SseChannel;
import org.dsa110.contimg.ops.StatusReport;
import org.dsa110.contimg.pipeline.StageExecutor;
import org.dsa110.contimg.pipeline.StageLogSink;
import org.dsa110.contimg.pipeline.StageRequest;
import org.dsa110.contimg.pipeline.StageResult;
import org.dsa110.contimg.products.EseDetectionStage;
import org.dsa110.contimg.products.ImageRegistry;
import org.dsa110.contimg.products.PhotometryService;
import org.dsa110.contimg.products.PhotometryStage;
import org.dsa110.contimg.products.ReferenceCatalog;
import org.dsa110.contimg.products.VariabilityUpdater;
import org.dsa110.contimg.science.radio.Astrometry;
import org.dsa110.contimg.science.radio.CalibratorMatcher;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.TestDatabases;

/**
 * The hub's builtin stages (conversion, calibration solve and apply, imaging, photometry, ESE detection) run
 * in-process on a file H2 store, with the stage parameters of the packaged {@code config/application.properties}
 * ({@code hub.stage.<stage>.param.*}, the photometry radius/flux and the ESE threshold), without a hub or HTTP.
 * For harnesses that need the pipeline's own numbers (bench/validate.sh); not a test.
 */
public final class InProcessPipeline {
    private final Path dir;
    private final Db db;
    private final RadioStore store;
    private final CalibrationRegistry calibrations;
    private final ImageRegistry images;
    private final ReferenceCatalog catalog;
    private final Properties config;
    private final Map<String, StageExecutor> stages = new LinkedHashMap<>();
    private final Map<String, Object> imagingOverrides = new LinkedHashMap<>();

    /** A fresh store under {@code dir}; everything the stages write goes below it. */
    public InProcessPipeline(Path dir) throws IOException {
        this.dir = dir;
        this.config = packagedConfig();
        DataSource ds = TestDatabases.h2File(dir.resolve("db"));
        TestDatabases.migrate(ds);
        this.db = new Db(ds, Db.Dialect.H2);
        this.store = new RadioStore(db);
        this.calibrations = new CalibrationRegistry(db);
        this.images = new ImageRegistry(db, new DataRoots(dir, List.of()));
        this.catalog = new ReferenceCatalog(db, "NVSS");
        double minSigma = Double.parseDouble(config.getProperty("hub.ese.min.sigma", "5.0"));
        VariabilityUpdater variability = new VariabilityUpdater(db, minSigma);
        EventBroadcaster events = new EventBroadcaster(db, new SseChannel(30), new StatusReport(db, new SystemProbe()));
        PhotometryService photometry = new PhotometryService(db, images, catalog, variability, events,
                new PhotometryService.Settings(number("hub.photometry.radius.deg", 0.5),
                        number("hub.photometry.mosaic.radius.deg", 1.0), number("hub.photometry.min.flux.mjy", 10)));
        stages.put("conversion", new ConversionStage(store, CalibratorMatcher.dsa110Default(), Astrometry.DSA110));
        stages.put("calibration_solve", new CalibrationSolveStage(store, calibrations,
                CalibrationSolveStage.FieldCatalog.of(() -> catalog)));
        stages.put("calibration_apply", new CalibrationApplyStage(store, calibrations));
        stages.put("imaging", new ImagingStage(store, () -> images,
                CalibrationSolveStage.FieldCatalog.of(() -> catalog)));
        stages.put("photometry", new PhotometryStage(db, images, photometry));
        stages.put("ese_detection", new EseDetectionStage(db, variability, events, minSigma));
    }

    public Db db() {
        return db;
    }

    public Path dir() {
        return dir;
    }

    /** Loads a catalog CSV as the hub's NVSS catalog (the forced-photometry targets and references). */
    public long loadCatalog(Path csv) throws IOException {
        return catalog.load(csv);
    }

    /** An imaging parameter that replaces the packaged one (e.g. {@code max-size} for a small run). */
    public InProcessPipeline imagingParam(String key, Object value) {
        imagingOverrides.put(key, value);
        return this;
    }

    /** The parameters a stage runs with: the packaged {@code hub.stage.<stage>.param.*} keys, then overrides. */
    public Map<String, Object> params(String stage) {
        Map<String, Object> out = new LinkedHashMap<>();
        String prefix = "hub.stage." + stage + ".param.";
        for (String k : config.stringPropertyNames()) {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), config.getProperty(k).trim());
            }
        }
        if (stage.equals("imaging")) {
            out.putAll(imagingOverrides);
        }
        return out;
    }

    /** Registers the group as the ingest does (complete, in progress) and runs conversion on its files. */
    public StageResult convert(String groupId, List<Path> files, int expectedSubbands) throws Exception {
        db.update("INSERT INTO ingest_groups (group_id, group_time, state, expected_subbands, subbands_present) "
                + "VALUES (?, ?, 'in_progress', ?, ?)", groupId, Instant.parse(groupId + "Z"), expectedSubbands,
                files.size());
        return run("conversion", groupId, files.stream().map(Path::toString).toList(), Map.of());
    }

    /** Runs one stage on the inputs with its packaged parameters plus {@code upstream}. */
    public StageResult run(String stage, String groupId, List<String> inputs, Map<String, Object> upstream)
            throws Exception {
        Map<String, Object> params = params(stage);
        params.putAll(upstream);
        StageRequest req = new StageRequest(stage, groupId, 1, 1, inputs,
                dir.resolve("staging").resolve(ConversionStage.fileName(groupId)).resolve(stage), params,
                StageLogSink.DISCARD);
        return stages.get(stage).run(req);
    }

    /** Photometry then ESE detection on the imaging outputs, as the flow chains them. */
    public StageResult photometryAndEse(String groupId, List<String> imagingOutputs, String calibratedPath)
            throws Exception {
        StageResult phot = run("photometry", groupId, imagingOutputs,
                Map.of("upstream.calibration_apply", List.of(calibratedPath)));
        run("ese_detection", groupId, phot.outputs(), Map.of());
        return phot;
    }

    private double number(String key, double fallback) {
        String v = config.getProperty(key);
        return v == null ? fallback : Double.parseDouble(v.trim());
    }

    private static Properties packagedConfig() throws IOException {
        Properties p = new Properties();
        Path file = Path.of("config/application.properties");
        try (InputStream in = Files.exists(file) ? Files.newInputStream(file)
                : InProcessPipeline.class.getResourceAsStream("/application.properties")) {
            if (in == null) {
                throw new IOException("config/application.properties not found (run from the project directory)");
            }
            p.load(in);
        }
        return p;
    }
}
