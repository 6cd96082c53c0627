package org.dsa110.contimg.pipeline.builtin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.dsa110.contimg.pipeline.PermanentStageException;
import org.dsa110.contimg.pipeline.StageExecutor;
import org.dsa110.contimg.pipeline.StageInputs;
import org.dsa110.contimg.pipeline.StageRequest;
import org.dsa110.contimg.pipeline.StageResult;
import org.dsa110.contimg.pipeline.ingest.SubbandFileName;
import org.dsa110.contimg.science.hdf5.Uvh5Data;
import org.dsa110.contimg.science.hdf5.Uvh5Reader;
import org.dsa110.contimg.science.radio.Astrometry;
import org.dsa110.contimg.science.radio.CalibratorMatch;
import org.dsa110.contimg.science.radio.CalibratorMatcher;
import org.dsa110.contimg.science.uvfits.UvfitsData;
import org.dsa110.contimg.science.uvfits.UvfitsWriter;

/**
 * Builtin {@code conversion}: the group's UVH5 subband files → one UVFITS file, every integration rephased to the
 * group's ICRS centre ({@link SubbandCombiner}) and one field per integration
 * ({@code <output_dir>/<group>.uvfits}), registered in {@code ms_index}; the calibrator match decides the group's
 * {@code has_calibrator} (stored, and returned as the metric {@value #HAS_CALIBRATOR} that the group flow reads to
 * decide whether calibration_solve runs). Unreadable or inconsistent input, or a header whose phase centre cannot be
 * interpreted ({@link org.dsa110.contimg.science.hdf5.Uvh5Phasing}), fails permanently as {@code invalid_input}
 * naming the file and field (no retry can fix it).
 */
public final class ConversionStage implements StageExecutor {
    public static final String HAS_CALIBRATOR = "has_calibrator";

    private final RadioStore store;
    private final SubbandCombiner combiner;
    private final Astrometry astrometry;

    ConversionStage(RadioStore store, CalibratorMatcher matcher, Astrometry astrometry) {
        this.store = store;
        this.combiner = new SubbandCombiner(matcher, astrometry);
        this.astrometry = astrometry;
    }

    @Override
    public StageResult run(StageRequest req) throws Exception {
        long t0 = System.nanoTime();
        Map<Integer, Path> files = new TreeMap<>();
        for (String in : req.inputs()) {
            Path p = Path.of(in);
            int sb = SubbandFileName.parse(p.getFileName().toString()).map(SubbandFileName::subband)
                    .orElseThrow(() -> new PermanentStageException(PermanentStageException.INVALID_INPUT,
                            "not a subband file name (YYYY-MM-DDTHH:MM:SS_sbNN.hdf5): " + p.getFileName()));
            if (files.put(sb, p) != null) {
                throw new PermanentStageException(PermanentStageException.INVALID_INPUT,
                        "two files for subband " + sb + " in group " + req.groupId());
            }
        }
        Map<Integer, Uvh5Data> read = new ConcurrentHashMap<>();
        try {
            files.entrySet().parallelStream().forEach(e -> {
                try {
                    read.put(e.getKey(), StageInputs.read(e.getValue(), "UVH5", Uvh5Reader::read));
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex); // interrupted: the attempt was cancelled
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        long tRead = System.nanoTime();
        int expected = store.expectedSubbands(req.groupId());
        SubbandCombiner.Combined c;
        try {
            c = combiner.combine(new TreeMap<>(read), expected, req.groupId());
        } catch (IllegalArgumentException e) {
            throw new PermanentStageException(PermanentStageException.INVALID_INPUT,
                    "group " + req.groupId() + ": " + e.getMessage());
        }
        read.clear();
        long tCombine = System.nanoTime();
        UvfitsData d = c.data();
        Files.createDirectories(req.outputDir());
        Path out = req.outputDir().resolve(fileName(req.groupId()) + ".uvfits").toAbsolutePath();
        UvfitsWriter.write(d, out, astrometry.earthOrientation());
        long tWrite = System.nanoTime();
        CalibratorMatch best = c.best().orElse(null);
        int mid = d.nFields() / 2;
        double[] freq = d.vis().freqHz();
        store.registerMs(new RadioStore.MsFacts(out.toString(), req.groupId(), c.startMjd(), c.endMjd(),
                Math.toDegrees(d.fieldPointingRaRad()[mid]), Math.toDegrees(d.fieldPointingDecRad()[mid]),
                Arrays.asList(d.fieldNames()), d.antennaNumbers().length, freq.length, freq[0],
                freq[freq.length - 1], best));
        store.recordMatches(req.groupId(), c.matches(), Math.toDegrees(d.fieldPointingDecRad()[mid]));
        req.log().info(String.format("converted %d subbands (%d filled as flagged: %s) into %s: %d baseline-times, "
                + "%d channels, %d fields", files.size(), c.missingSubbands().size(), c.missingSubbands(),
                out.getFileName(), d.vis().nBlt(), freq.length, d.nFields()));
        req.log().info(best == null ? "no calibrator within the search radius"
                : "calibrator " + best.calibrator().name() + " (" + best.quality().label() + ", pb "
                        + String.format("%.3f", best.pbResponse()) + ") in fields "
                        + Arrays.toString(best.recommendedFields()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(HAS_CALIBRATOR, best != null);
        m.put("calibrator", best == null ? null : best.calibrator().name());
        m.put("subbands", files.size());
        m.put("missing_subbands", new ArrayList<>(c.missingSubbands()));
        m.put("baseline_times", d.vis().nBlt());
        m.put("channels", freq.length);
        m.put("fields", d.nFields());
        m.put("start_mjd", c.startMjd());
        m.put("end_mjd", c.endMjd());
        m.put("read_sec", (tRead - t0) / 1e9);
        m.put("combine_sec", (tCombine - tRead) / 1e9);
        m.put("write_sec", (tWrite - tCombine) / 1e9);
        m.values().removeIf(v -> v == null);
        return new StageResult(List.of(out.toString()), m);
    }

    static String fileName(String groupId) {
        return groupId.replaceAll("[^A-Za-z0-9._+-]", "_");
    }
}
