package org.dsa110.contimg.api;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.dsa110.contimg.HubSettings;
import org.dsa110.contimg.core.DataRoots;
import org.dsa110.contimg.files.LegacyRoots;
import org.dsa110.contimg.observing.MsInspection;
import org.dsa110.contimg.ops.HeavyWork;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.core.Timestamps;
import org.dsa110.contimg.pipeline.ingest.MsCatalog;
import org.dsa110.contimg.pipeline.ingest.StreamingConfig;
import org.dsa110.contimg.pipeline.ingest.StreamingService;

/**
 * /api/uvh5, /api/ms, /api/ms_index, /api/ms/discover, /api/ms/{ms_path:path}/metadata|listobs|logs|cal_tables.
 * Directories a client names (scan_dir, search_paths, input_dir) must lie inside the hub's data roots
 * ({@link DataRoots}): the API never lists arbitrary parts of the file system. The dashboard's
 * legacy directories ({@code scan_dir}, {@code input_dir}) never fail a listing: outside the roots the answer is
 * what the hub has indexed, with a {@code warning}.
 */
public class MsApi extends ApiRoutes {

    /** GET /api/uvh5: {@code items} (the dashboard's rows) and {@code files} (the hub's) list the same files. */
    public record Uvh5List(List<Uvh5Item> items, List<Map<String, Object>> files, long total, int limit, int offset,
            @JsonInclude(JsonInclude.Include.NON_NULL) String warning) {
    }

    /** A UVH5 subband file as the dashboard lists it: {@code subband} as "sb03", {@code size_mb} in MiB. */
    public record Uvh5Item(String path, String filename, Double sizeMb, Long size, String timestamp, String subband,
            Object modifiedAt, String groupId) {
    }

    /** GET /api/ms (MSList); {@code ms_list} repeats {@code items} under seed 001's name. */
    public record MsList(List<MsCatalog.MsRow> items, List<MsCatalog.MsRow> msList, long total, long filtered,
            int limit, int offset, @JsonInclude(JsonInclude.Include.NON_NULL) MsCatalog.Discovery scan,
            @JsonInclude(JsonInclude.Include.NON_NULL) String warning) {
    }

    /** GET /api/ms_index. */
    public record MsIndexList(List<MsCatalog.IndexEntry> items) {
    }

    /** POST /api/ms/discover: what was found and the directories searched. */
    public record DiscoverResult(int discovered, int registered, int skipped, List<String> paths,
            List<String> searchPaths) {
    }

    /** POST /api/ms/discover body (all optional). */
    public record DiscoverRequest(List<String> searchPaths, Boolean recursive) {
    }

    private static final String MS_EXAMPLE = "{\"path\": \"/data/dsa110/ms/2026-01-16T08:46:11.ms\", \"mid_mjd\": "
            + "61056.3654, \"status\": \"imaged\", \"stage\": \"imaging\", \"cal_applied\": 1, \"has_calibrator\": "
            + "true, \"calibrator_name\": \"0834+555\", \"calibrator_quality\": \"excellent\", \"is_calibrated\": "
            + "true, \"is_imaged\": true, \"calibration_quality\": \"good\", \"image_quality\": \"good\", "
            + "\"size_gb\": 5.12, \"start_time\": \"2026-01-16T08:43:35Z\", \"field_name\": \"drift_0834+555\"}";

    @Override
    public void configure() {
        MsCatalog catalog = lookup("msCatalog", MsCatalog.class);
        HubSettings settings = lookup("hubSettings", HubSettings.class);
        StreamingService streaming = lookup("streamingService", StreamingService.class);
        DataRoots dataRoots = lookup("dataRoots", DataRoots.class);
        ClientPaths paths = new ClientPaths(settings, dataRoots, lookup("legacyRoots", LegacyRoots.class));
        MsInspection inspection = new MsInspection(lookup("db", Db.class));
        HeavyWork heavy = lookup("heavyWork", HeavyWork.class);

        get("/uvh5", "uvh5.list", "Indexed UVH5 subband files (newest first)", req -> {
            String dir = req.query("input_dir");
            ClientPaths.Directory d = dir == null ? null : paths.directory(dir);
            String prefix = d == null || d.dir() == null ? null : d.dir().toString();
            String warning = d != null && d.dir() == null ? warning("input_dir", dir, d.problem(), "file") : null;
            String sb = req.query("subband");
            Integer subband = null;
            if (sb != null) {
                String digits = sb.toLowerCase().startsWith("sb") ? sb.substring(2) : sb;
                try {
                    subband = Integer.parseInt(digits);
                } catch (NumberFormatException e) {
                    throw HubException.invalidParameter("subband", sb, "a subband number such as 3 or sb03");
                }
            }
            Map<String, Object> found = catalog.uvh5(prefix, req.query("search"), subband,
                    req.intQuery("limit", 100, 1, 10000), req.intQuery("offset", 0, 0, Integer.MAX_VALUE));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> files = (List<Map<String, Object>>) found.get("files");
            return new Uvh5List(files.stream().map(MsApi::uvh5Item).toList(), files,
                    ((Number) found.get("total")).longValue(), (int) found.get("limit"), (int) found.get("offset"),
                    warning);
        })
                .queryString("input_dir", null)
                .queryString("subband", null)
                .queryString("search", null)
                .page(100, 10000).returns(Uvh5List.class);

        get("/ms", "ms.list", "Measurement Sets with filters (MSList)", req -> {
            MsCatalog.Discovery scan = null;
            String warning = null;
            if (req.boolQuery("scan", false)) {
                String scanDir = req.query("scan_dir");
                ClientPaths.Directory d = scanDir == null ? null : paths.directory(scanDir);
                if (d != null && d.dir() == null) {
                    warning = warning("scan_dir", scanDir, d.problem(), "Measurement Set");
                } else {
                    scan = catalog.discover(d != null ? List.of(d.dir()) : defaultRoots(settings, streaming), true);
                }
            }
            MsCatalog.MsFilter f = new MsCatalog.MsFilter(req.query("search"), optionalBool(req, "has_calibrator"),
                    optionalBool(req, "is_calibrated"), optionalBool(req, "is_imaged"),
                    req.query("calibrator_quality"), mjdOf(req, "start_date", false), mjdOf(req, "end_date", true));
            String sort = req.oneOf("sort_by", "time_desc", "time_desc", "time_asc", "name_asc", "name_desc",
                    "size_desc", "size_asc");
            int limit = req.intQuery("limit", 100, 1, 10000);
            int offset = req.intQuery("offset", 0, 0, Integer.MAX_VALUE);
            List<MsCatalog.MsRow> items = catalog.list(f, sort, limit, offset);
            return new MsList(items, items, catalog.countAll(), catalog.count(f), limit, offset, scan, warning);
        })
                .queryBool("scan", false, "Discover Measurement Sets on disk first")
                .queryString("scan_dir", null)
                .queryString("search", null)
                .queryBool("has_calibrator", null)
                .queryBool("is_calibrated", null)
                .queryBool("is_imaged", null)
                .queryString("calibrator_quality", null)
                .queryString("start_date", "A date YYYY-MM-DD (start of day) or an ISO-8601 timestamp")
                .queryString("end_date", "A date YYYY-MM-DD (end of day) or an ISO-8601 timestamp")
                .queryEnum("sort_by", "time_desc", "time_desc", "time_asc", "name_asc", "name_desc", "size_desc", "size_asc")
                .page(100, 10000).returns(MsList.class)
                .example("{\"items\": [" + MS_EXAMPLE + "], \"ms_list\": [" + MS_EXAMPLE + "], \"total\": 214, "
                        + "\"filtered\": 1, \"limit\": 100, \"offset\": 0}");

        get("/ms_index", "ms.index", "MS index entries (MsIndexList)", req -> {
            return new MsIndexList(catalog.index(req.query("stage"), req.query("status"),
                    req.intQuery("limit", 100, 1, 10000)));
        })
                .queryString("stage", null)
                .queryString("status", null)
                .queryInt("limit", 100, 1, 10000).returns(MsIndexList.class);

        post("/ms/discover", "ms.discover", "Find Measurement Sets / UVFITS on disk and register them", req -> {
            DiscoverRequest body = req.bodyOrDefaults(DiscoverRequest.class);
            List<Path> roots = new ArrayList<>();
            if (body.searchPaths() == null || body.searchPaths().isEmpty()) {
                roots.addAll(defaultRoots(settings, streaming));
            } else {
                for (String p : body.searchPaths()) {
                    roots.add(allowed(dataRoots, "search_paths", p));
                }
            }
            MsCatalog.Discovery found = catalog.discover(roots, body.recursive() == null || body.recursive());
            return new DiscoverResult(found.discovered(), found.registered(), found.skipped(), found.paths(),
                    roots.stream().map(Path::toString).toList());
        })
                .optionalBody(DiscoverRequest.class).returns(DiscoverResult.class);

        get("/ms/{ms_path:path}/metadata", "ms.metadata", "Metadata of an indexed Measurement Set (MSMetadata)",
                req -> {
                    String path = req.path("ms_path");
                    return catalog.metadata(path).orElseThrow(() -> HubException.notFound("measurement set", path));
                }).returns(MsCatalog.Metadata.class);
        get("/ms/{ms_path:path}/listobs", "ms.listobs",
                "listobs-style summary of an indexed visibility file: scans, fields, spectral window, antennas",
                req -> {
                    Map<String, Object> row = inspection.row(req.path("ms_path"));
                    Path file = paths.existing("ms_path", (String) row.get("path"));
                    return heavy.request(() -> inspection.listobs(row, file));
                }).returns(MsInspection.Text.class);
        get("/ms/{ms_path:path}/logs", "ms.logs", "Stage logs of the pipeline runs of an indexed visibility file",
                req -> inspection.logs(inspection.row(req.path("ms_path")), req.intQuery("limit", 5000, 1, 100000)))
                .queryInt("limit", 5000, 1, 100000).returns(MsInspection.Text.class);
        get("/ms/{ms_path:path}/cal_tables", "ms.cal_tables",
                "Calibration tables solved on an indexed visibility file or valid for it",
                req -> inspection.calTables(inspection.row(req.path("ms_path"))))
                .returns(MsInspection.CalTables.class);
    }

    /** The warning of a legacy listing whose directory the hub will not scan. */
    private static String warning(String param, String dir, String problem, String what) {
        return param + " '" + dir + "' " + problem + ": listing every " + what + " the hub has indexed (nothing "
                + "outside the data roots is read)";
    }

    private static Uvh5Item uvh5Item(Map<String, Object> f) {
        Number size = (Number) f.get("size");
        Number sb = (Number) f.get("subband");
        return new Uvh5Item((String) f.get("path"), (String) f.get("filename"),
                size == null ? null : Math.round(size.doubleValue() / 1048576.0 * 1000) / 1000.0,
                size == null ? null : size.longValue(), (String) f.get("timestamp"),
                sb == null ? null : String.format(java.util.Locale.ROOT, "sb%02d", sb.intValue()), f.get("modified"),
                (String) f.get("group_id"));
    }

    private static Boolean optionalBool(ApiRequest req, String name) {
        return req.query(name) == null ? null : req.boolQuery(name, false);
    }

    /** A date (start of day; end of day for an end bound) or ISO instant, as MJD. */
    private static Double mjdOf(ApiRequest req, String name, boolean endOfDay) {
        String v = req.query(name);
        if (v == null) {
            return null;
        }
        if (v.matches("\\d{4}-\\d{2}-\\d{2}")) {
            try {
                LocalDate d = LocalDate.parse(v);
                return MsCatalog.mjd((endOfDay ? d.plusDays(1) : d).atStartOfDay().toInstant(ZoneOffset.UTC));
            } catch (java.time.DateTimeException e) {
                throw HubException.invalidParameter(name, v, "a date YYYY-MM-DD or an ISO-8601 timestamp");
            }
        }
        return MsCatalog.mjd(Timestamps.parse(name, v));
    }

    private static List<Path> defaultRoots(HubSettings settings, StreamingService streaming) {
        StreamingConfig cfg = streaming.config();
        List<Path> roots = new ArrayList<>();
        roots.add(Path.of(cfg.outputDir()).toAbsolutePath().normalize());
        roots.add(settings.productsDir());
        return roots.stream().distinct().toList();
    }

    /**
     * {@code dir} as an absolute path inside the data roots ({@link DataRoots#creatable}: links in its existing
     * part followed; else 400 {@code PATH_NOT_ALLOWED}). It need not exist: listing a directory that is not there
     * yet finds nothing, as before.
     */
    static Path allowed(DataRoots roots, String param, String dir) {
        return roots.creatable(param, dir);
    }
}
