package org.dsa110.contimg.pipeline.builtin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.science.radio.CalibratorMatch;
import org.dsa110.contimg.store.Db;

/**
 * What the builtin radio stages record in the store: the visibility file in {@code ms_index}, the group's
 * calibrator matches and has_calibrator flag, and the stage/calibration state of the visibility file.
 */
final class RadioStore {
    private final Db db;

    RadioStore(Db db) {
        this.db = db;
    }

    Db db() {
        return db;
    }

    int expectedSubbands(String groupId) {
        return db.one("SELECT expected_subbands FROM ingest_groups WHERE group_id = ?", groupId)
                .map(r -> ((Number) r.get("expected_subbands")).intValue()).orElse(16);
    }

    /** The facts the conversion knows about a new visibility file. */
    record MsFacts(String path, String groupId, double startMjd, double endMjd, double pointingRaDeg,
            double pointingDecDeg, List<String> fieldNames, int antennas, int channels, double freqMinHz,
            double freqMaxHz, CalibratorMatch calibrator) {
    }

    /** Inserts or refreshes the ms_index row of a converted group. */
    void registerMs(MsFacts f) throws java.io.IOException {
        long size = Files.size(Path.of(f.path()));
        double mid = (f.startMjd() + f.endMjd()) / 2;
        Instant now = Instant.now();
        Object[] values = {f.groupId(), "uvfits", f.startMjd(), f.endMjd(), mid, (f.endMjd() - f.startMjd()) * 86400,
            now, "converted", "conversion", now, 0, f.pointingRaDeg(), f.pointingDecDeg(), f.fieldNames().size(),
            Json.write(f.fieldNames()), Json.write(List.of("DATA")), f.antennas(), f.channels(), f.freqMinHz() / 1e9,
            f.freqMaxHz() / 1e9, size, f.calibrator() != null,
            f.calibrator() == null ? null : f.calibrator().calibrator().name(),
            f.calibrator() == null ? null : f.calibrator().quality().label()};
        String cols = "group_id, format, start_mjd, end_mjd, mid_mjd, duration_sec, processed_at, status, stage, "
                + "stage_updated_at, cal_applied, pointing_ra_deg, pointing_dec_deg, num_fields, field_names, "
                + "data_columns, num_antennas, num_channels, freq_min_ghz, freq_max_ghz, size_bytes, has_calibrator, "
                + "calibrator_name, calibrator_quality";
        db.inTransaction(() -> {
            Object[] args = java.util.Arrays.copyOf(values, values.length + 1);
            args[values.length] = f.path();
            if (db.update("UPDATE ms_index SET " + String.join(" = ?, ", cols.split(", ")) + " = ? WHERE path = ?",
                    args) == 0) {
                db.update("INSERT INTO ms_index (" + cols + ", path) VALUES (" + "?, ".repeat(values.length) + "?)",
                        args);
            }
        });
    }

    /** Replaces the group's calibrator matches and sets has_calibrator (and the pointing, if unknown). */
    void recordMatches(String groupId, List<CalibratorMatch> matches, double pointingDecDeg) {
        db.inTransaction(() -> {
            db.update("DELETE FROM group_calibrator_matches WHERE group_id = ?", groupId);
            int rank = 0;
            for (CalibratorMatch m : matches) {
                List<Integer> fields = new ArrayList<>();
                for (int f : m.recommendedFields()) {
                    fields.add(f);
                }
                db.update("INSERT INTO group_calibrator_matches (group_id, match_rank, name, ra_deg, dec_deg, "
                        + "sep_deg, weighted_flux, pb_response, flux_jy, quality, recommended_fields) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", groupId, rank++, m.calibrator().name(),
                        Math.toDegrees(m.calibrator().raRad()), Math.toDegrees(m.calibrator().decRad()),
                        m.separationDeg(), m.weightedFluxJy(), m.pbResponse(), m.calibrator().fluxJy(),
                        m.quality().label(), Json.write(fields));
            }
            db.update("UPDATE ingest_groups SET has_calibrator = ?, writer_type = 'builtin-uvfits', "
                    + "pointing_dec_deg = COALESCE(pointing_dec_deg, ?), last_update = ? WHERE group_id = ?",
                    !matches.isEmpty(), pointingDecDeg, Instant.now(), groupId);
        });
    }

    /** The best calibrator match of a group (rank 0), if any. */
    Optional<Map<String, Object>> bestMatch(String groupId) {
        return db.one("SELECT * FROM group_calibrator_matches WHERE group_id = ? ORDER BY match_rank", groupId);
    }

    void msStage(String path, String stage, String status) {
        db.update("UPDATE ms_index SET stage = ?, status = ?, stage_updated_at = ? WHERE path = ?", stage, status,
                Instant.now(), path);
    }

    void msCalibration(String path, boolean applied, String quality, List<String> dataColumns) {
        db.update("UPDATE ms_index SET cal_applied = ?, calibration_quality = ?, data_columns = ?, stage = ?, "
                + "status = ?, stage_updated_at = ? WHERE path = ?", applied ? 1 : 0, quality,
                Json.write(dataColumns), "calibration_apply", applied ? "calibrated" : "uncalibrated", Instant.now(),
                path);
    }

    /** The calibration set applied to a visibility file (null = none; issue 15 point 7). */
    void msCalibrationSet(String path, String set) {
        db.update("UPDATE ms_index SET calibration_set = ? WHERE path = ?", set, path);
    }

    void msImaged(String path, String imagePath, String imageQuality) {
        db.update("UPDATE ms_index SET imagename = ?, image_quality = ?, stage = 'imaging', status = 'imaged', "
                + "stage_updated_at = ? WHERE path = ?", imagePath, imageQuality, Instant.now(), path);
    }

    /** The ms_index path of a group's visibility file (the conversion's product), if registered. */
    Optional<String> msPath(String groupId) {
        return db.one("SELECT path FROM ms_index WHERE group_id = ? AND format = 'uvfits' ORDER BY id DESC",
                groupId).map(r -> (String) r.get("path"));
    }
}
