package org.dsa110.contimg.api;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.HubSettings;
import org.dsa110.contimg.core.DataRoots;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.core.Timestamps;
import org.dsa110.contimg.pipeline.ingest.MsCatalog;
import org.dsa110.contimg.pipeline.ingest.StreamingConfig;
import org.dsa110.contimg.pipeline.ingest.StreamingService;

/**
 * /api/uvh5, /api/ms, /api/ms_index, /api/ms/discover, /api/ms/{ms_path:path}/metadata. Directories a client names
 * (scan_dir, search_paths, input_dir) must be directories inside the hub's data roots ({@link DataRoots}): the
 * API never lists arbitrary parts of the file system.
 */
public class MsApi extends ApiRoutes {

    /** POST /api/ms/discover body (all optional). */
    public record DiscoverRequest(List<String> searchPaths, Boolean recursive) {
    }

    @Override
    public void configure() {
        MsCatalog catalog = lookup("msCatalog", MsCatalog.class);
        HubSettings settings = lookup("hubSettings", HubSettings.class);
        StreamingService streaming = lookup("streamingService", StreamingService.class);
        DataRoots dataRoots = lookup("dataRoots", DataRoots.class);

        get("/uvh5", "uvh5.list", "Indexed UVH5 subband files (newest first)", req -> {
            String dir = req.query("input_dir");
            String prefix = dir == null ? null : allowed(dataRoots, "input_dir", dir).toString();
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
            return catalog.uvh5(prefix, req.query("search"), subband, req.intQuery("limit", 100, 1, 10000),
                    req.intQuery("offset", 0, 0, Integer.MAX_VALUE));
        });

        get("/ms", "ms.list", "Measurement Sets with filters (MSList)", req -> {
            if (req.boolQuery("scan", false)) {
                String scanDir = req.query("scan_dir");
                List<Path> roots = scanDir == null ? defaultRoots(settings, streaming)
                        : List.of(allowed(dataRoots, "scan_dir", scanDir));
                catalog.discover(roots, true);
            }
            MsCatalog.MsFilter f = new MsCatalog.MsFilter(req.query("search"), optionalBool(req, "has_calibrator"),
                    optionalBool(req, "is_calibrated"), optionalBool(req, "is_imaged"),
                    req.query("calibrator_quality"), mjdOf(req, "start_date", false), mjdOf(req, "end_date", true));
            String sort = req.oneOf("sort_by", "time_desc", "time_desc", "time_asc", "name_asc", "name_desc",
                    "size_desc", "size_asc");
            int limit = req.intQuery("limit", 100, 1, 10000);
            int offset = req.intQuery("offset", 0, 0, Integer.MAX_VALUE);
            List<Map<String, Object>> items = catalog.list(f, sort, limit, offset);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("items", items);
            out.put("ms_list", items); // seed 001 name of the same list
            out.put("total", catalog.countAll());
            out.put("filtered", catalog.count(f));
            out.put("limit", limit);
            out.put("offset", offset);
            return out;
        });

        get("/ms_index", "ms.index", "MS index entries (MsIndexList)", req -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("items", catalog.index(req.query("stage"), req.query("status"),
                    req.intQuery("limit", 100, 1, 10000)));
            return out;
        });

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
            Map<String, Object> out = catalog.discover(roots,
                    body.recursive() == null || body.recursive());
            out.put("search_paths", roots.stream().map(Path::toString).toList());
            return out;
        });

        get("/ms/{ms_path:path}/metadata", "ms.metadata", "Metadata of an indexed Measurement Set (MSMetadata)",
                req -> {
                    String path = req.path("ms_path");
                    return catalog.metadata(path).orElseThrow(() -> HubException.notFound("measurement set", path));
                });
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
