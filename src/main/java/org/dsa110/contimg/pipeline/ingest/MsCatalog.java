package org.dsa110.contimg.pipeline.ingest;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.store.Db;

/**
 * SQL and disk discovery for the Measurement Set index ({@code ms_index}) and queries of the UVH5 file index:
 * what /api/ms, /api/ms_index, /api/ms/discover, /api/ms/.../metadata and /api/uvh5 read.
 */
public final class MsCatalog {
    /** MJD of the Unix epoch (1970-01-01T00:00:00Z). */
    static final double MJD_UNIX_EPOCH = 40587.0;
    private static final Pattern GROUP_PREFIX = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})");

    /** Filters of GET /api/ms; null = not filtered. */
    public record MsFilter(String search, Boolean hasCalibrator, Boolean isCalibrated, Boolean isImaged,
            String calibratorQuality, Double startMjd, Double endMjd) {
    }

    private final Db db;

    public MsCatalog(Db db) {
        this.db = db;
    }

    public static double mjd(Instant t) {
        return MJD_UNIX_EPOCH + t.toEpochMilli() / 86_400_000.0;
    }

    public static Instant instant(double mjd) {
        return Instant.ofEpochMilli(Math.round((mjd - MJD_UNIX_EPOCH) * 86_400_000.0));
    }

    private static final String IMAGED = "(m.imagename IS NOT NULL OR EXISTS (SELECT 1 FROM images i "
            + "WHERE i.ms_path = m.path))";

    public long countAll() {
        return db.scalarLong("SELECT COUNT(*) FROM ms_index");
    }

    public long count(MsFilter f) {
        List<Object> args = new ArrayList<>();
        return db.scalarLong("SELECT COUNT(*) FROM ms_index m" + where(f, args), args.toArray());
    }

    /** MSListEntry rows for one page. */
    /** An MSList row: {@code cal_applied} 0/1 and {@code is_calibrated} the same as a flag; size in GB (10^9). */
    public record MsRow(String path, Double midMjd, String status, String stage, int calApplied,
            boolean hasCalibrator, String calibratorName, String calibratorQuality, boolean isCalibrated,
            boolean isImaged, String calibrationQuality, String imageQuality, Double sizeGb, String startTime,
            String fieldName) {
    }

    public List<MsRow> list(MsFilter f, String sortBy, int limit, int offset) {
        List<Object> args = new ArrayList<>();
        String order = switch (sortBy) {
            case "time_asc" -> "m.mid_mjd ASC NULLS LAST, m.path";
            case "name_asc" -> "m.path ASC";
            case "name_desc" -> "m.path DESC";
            case "size_desc" -> "m.size_bytes DESC NULLS LAST, m.path";
            case "size_asc" -> "m.size_bytes ASC NULLS LAST, m.path";
            default -> "m.mid_mjd DESC NULLS LAST, m.path";
        };
        String sql = "SELECT m.*, CASE WHEN " + IMAGED + " THEN TRUE ELSE FALSE END AS imaged FROM ms_index m"
                + where(f, args) + " ORDER BY " + order + " LIMIT ? OFFSET ?";
        args.add(limit);
        args.add(offset);
        List<MsRow> out = new ArrayList<>();
        for (Map<String, Object> r : db.query(sql, args.toArray())) {
            int calApplied = ((Number) r.get("cal_applied")).intValue();
            List<String> fields = jsonList(r.get("field_names"));
            out.add(new MsRow((String) r.get("path"), dbl(r.get("mid_mjd")), (String) r.get("status"),
                    (String) r.get("stage"), calApplied, Boolean.TRUE.equals(r.get("has_calibrator")),
                    (String) r.get("calibrator_name"), (String) r.get("calibrator_quality"), calApplied == 1,
                    Boolean.TRUE.equals(r.get("imaged")), (String) r.get("calibration_quality"),
                    (String) r.get("image_quality"), sizeGb(r.get("size_bytes")),
                    r.get("start_mjd") == null ? null : instant(((Number) r.get("start_mjd")).doubleValue()).toString(),
                    fields.isEmpty() ? null : fields.get(0)));
        }
        return out;
    }

    private static String where(MsFilter f, List<Object> args) {
        StringBuilder w = new StringBuilder(" WHERE 1 = 1");
        if (f.search() != null) {
            w.append(" AND LOWER(m.path) LIKE ?");
            args.add("%" + f.search().toLowerCase() + "%");
        }
        if (f.hasCalibrator() != null) {
            w.append(" AND m.has_calibrator = ?");
            args.add(f.hasCalibrator());
        }
        if (f.isCalibrated() != null) {
            w.append(f.isCalibrated() ? " AND m.cal_applied = 1" : " AND m.cal_applied = 0");
        }
        if (f.isImaged() != null) {
            w.append(f.isImaged() ? " AND " + IMAGED : " AND NOT " + IMAGED);
        }
        if (f.calibratorQuality() != null) {
            w.append(" AND m.calibrator_quality = ?");
            args.add(f.calibratorQuality());
        }
        if (f.startMjd() != null) {
            w.append(" AND m.mid_mjd >= ?");
            args.add(f.startMjd());
        }
        if (f.endMjd() != null) {
            w.append(" AND m.mid_mjd <= ?");
            args.add(f.endMjd());
        }
        return w.toString();
    }

    /** MsIndexEntry; {@code ms_path} repeats {@code path} (seed 001's name), {@code cal_applied} 0 or 1. */
    public record IndexEntry(long id, String path, Double startMjd, Double endMjd, Double midMjd, Instant processedAt,
            String status, String stage, Instant stageUpdatedAt, int calApplied, String imagename, String msPath) {
    }

    /**
     * MSMetadata plus seed 001's summary names derived from the same columns (frequencies in GHz, then Hz);
     * {@code fields}, {@code antennas} and {@code flagging_stats} are not indexed and always null.
     */
    public record Metadata(String path, String startTime, String endTime, Double durationSec, Integer numFields,
            List<String> fieldNames, Object fields, Double freqMinGhz, Double freqMaxGhz, Integer numChannels,
            Integer numAntennas, Object antennas, List<String> dataColumns, Double sizeGb, boolean calibrated,
            Object flaggingStats, Integer nAntennas, Long nBaselines, Integer nChannels, Double frequencyHz,
            Double bandwidthHz, Double durationSeconds, Double fieldRaDeg, Double fieldDecDeg, String format,
            String groupId) {
    }

    /** What a discovery found: files seen, newly registered (their paths), already indexed. */
    public record Discovery(int discovered, int registered, int skipped, List<String> paths) {
    }

    /** MsIndexEntry rows (with id and the seed's ms_path alias). */
    public List<IndexEntry> index(String stage, String status, int limit) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT id, path, start_mjd, end_mjd, mid_mjd, processed_at, status, "
                + "stage, stage_updated_at, cal_applied, imagename FROM ms_index WHERE 1 = 1");
        if (stage != null) {
            sql.append(" AND stage = ?");
            args.add(stage);
        }
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status);
        }
        sql.append(" ORDER BY mid_mjd DESC NULLS LAST, id DESC LIMIT ?");
        args.add(limit);
        return db.query(sql.toString(), args.toArray()).stream().map(r -> new IndexEntry(
                ((Number) r.get("id")).longValue(), (String) r.get("path"), dbl(r.get("start_mjd")),
                dbl(r.get("end_mjd")), dbl(r.get("mid_mjd")), (Instant) r.get("processed_at"),
                (String) r.get("status"), (String) r.get("stage"), (Instant) r.get("stage_updated_at"),
                ((Number) r.get("cal_applied")).intValue(), (String) r.get("imagename"), (String) r.get("path")))
                .toList();
    }

    /** MSMetadata (plus the seed's summary names) from the index; empty when the path is not indexed. */
    public Optional<Metadata> metadata(String msPath) {
        Optional<Map<String, Object>> row = db.one("SELECT * FROM ms_index WHERE path = ?", msPath);
        if (row.isEmpty() && !msPath.startsWith("/")) {
            row = db.one("SELECT * FROM ms_index WHERE path = ?", "/" + msPath);
        }
        return row.map(r -> {
            Double start = dbl(r.get("start_mjd"));
            Double end = dbl(r.get("end_mjd"));
            Integer nAnt = r.get("num_antennas") == null ? null : ((Number) r.get("num_antennas")).intValue();
            Integer nChan = r.get("num_channels") == null ? null : ((Number) r.get("num_channels")).intValue();
            Double fMin = dbl(r.get("freq_min_ghz"));
            Double fMax = dbl(r.get("freq_max_ghz"));
            return new Metadata((String) r.get("path"), start == null ? null : instant(start).toString(),
                    end == null ? null : instant(end).toString(), dbl(r.get("duration_sec")),
                    r.get("num_fields") == null ? null : ((Number) r.get("num_fields")).intValue(),
                    r.get("field_names") == null ? null : jsonList(r.get("field_names")), null, fMin, fMax, nChan,
                    nAnt, null, jsonList(r.get("data_columns")), sizeGb(r.get("size_bytes")),
                    ((Number) r.get("cal_applied")).intValue() == 1, null, nAnt,
                    nAnt == null ? null : nAnt.longValue() * (nAnt.longValue() - 1) / 2, nChan,
                    fMin == null || fMax == null ? null : (fMin + fMax) / 2 * 1e9,
                    fMin == null || fMax == null ? null : Math.abs(fMax - fMin) * 1e9, dbl(r.get("duration_sec")),
                    dbl(r.get("pointing_ra_deg")), dbl(r.get("pointing_dec_deg")), (String) r.get("format"),
                    (String) r.get("group_id"));
        });
    }

    /**
     * Registers Measurement Sets ({@code *.ms} directories) and UVFITS files ({@code *.uvfits}) found under
     * {@code roots}; returns discovered / registered / skipped counts and the new paths.
     */
    public Discovery discover(List<Path> roots, boolean recursive) throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            Files.walkFileTree(root, java.util.EnumSet.noneOf(java.nio.file.FileVisitOption.class),
                    recursive ? 16 : 1, new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                            if (!dir.equals(root) && dir.getFileName().toString().endsWith(".ms")) {
                                found.add(dir);
                                return FileVisitResult.SKIP_SUBTREE; // an MS is a directory of tables
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            String n = file.getFileName().toString();
                            if (attrs.isDirectory() && n.endsWith(".ms")) {
                                found.add(file); // at the depth limit directories arrive here
                            } else if (attrs.isRegularFile() && (n.endsWith(".uvfits") || n.endsWith(".uvf"))) {
                                found.add(file);
                            }
                            return FileVisitResult.CONTINUE;
                        }
                    });
        }
        List<String> registered = new ArrayList<>();
        int skipped = 0;
        for (Path p : found) {
            String path = p.toAbsolutePath().normalize().toString();
            if (db.scalarLong("SELECT COUNT(*) FROM ms_index WHERE path = ?", path) > 0) {
                skipped++;
                continue;
            }
            Matcher g = GROUP_PREFIX.matcher(p.getFileName().toString());
            db.update("INSERT INTO ms_index (path, group_id, format, size_bytes, status, created_at) "
                    + "VALUES (?, ?, ?, ?, 'discovered', ?)", path, g.find() ? g.group(1) : null,
                    Files.isDirectory(p) ? "ms" : "uvfits", sizeOf(p), Instant.now());
            registered.add(path);
        }
        return new Discovery(found.size(), registered.size(), skipped, registered);
    }

    /** The UVH5 file index, newest first: files, total (after filters), limit, offset. */
    public Map<String, Object> uvh5(String dirPrefix, String search, Integer subband, int limit, int offset) {
        List<Object> args = new ArrayList<>();
        StringBuilder w = new StringBuilder(" WHERE 1 = 1");
        if (dirPrefix != null) {
            w.append(" AND path LIKE ?");
            args.add(dirPrefix.endsWith("/") ? dirPrefix + "%" : dirPrefix + "/%");
        }
        if (search != null) {
            w.append(" AND LOWER(filename) LIKE ?");
            args.add("%" + search.toLowerCase() + "%");
        }
        if (subband != null) {
            w.append(" AND subband = ?");
            args.add(subband);
        }
        long total = db.scalarLong("SELECT COUNT(*) FROM hdf5_file_index" + w, args.toArray());
        args.add(limit);
        args.add(offset);
        List<Map<String, Object>> files = new ArrayList<>();
        for (Map<String, Object> r : db.query("SELECT * FROM hdf5_file_index" + w
                + " ORDER BY timestamp_iso DESC NULLS LAST, subband, path LIMIT ? OFFSET ?", args.toArray())) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("path", r.get("path"));
            f.put("filename", r.get("filename"));
            f.put("size", r.get("size_bytes"));
            f.put("modified", r.get("modified_at"));
            f.put("timestamp", r.get("timestamp_iso"));
            f.put("subband", r.get("subband"));
            f.put("group_id", r.get("group_id"));
            f.put("mjd", r.get("mjd"));
            f.put("valid", r.get("valid"));
            f.put("error", r.get("error"));
            files.add(f);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("files", files);
        out.put("total", total);
        out.put("limit", limit);
        out.put("offset", offset);
        return out;
    }

    private static long sizeOf(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return Files.size(p);
        }
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static Double dbl(Object v) {
        return v == null ? null : ((Number) v).doubleValue();
    }

    private static Double sizeGb(Object bytes) {
        return bytes == null ? null : ((Number) bytes).doubleValue() / 1e9;
    }

    @SuppressWarnings("unchecked")
    private static List<String> jsonList(Object json) {
        if (json == null) {
            return List.of();
        }
        try {
            return Json.MAPPER.readValue((String) json, List.class);
        } catch (Exception e) {
            return List.of();
        }
    }
}
