package org.dsa110.contimg.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.HubSettings;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.files.FileBrowser;
import org.dsa110.contimg.files.FileKinds;
import org.dsa110.contimg.files.FitsSummary;
import org.dsa110.contimg.files.LegacyRoots;
import org.dsa110.contimg.files.Thumbnails;
import org.dsa110.contimg.monitoring.HubCache;
import org.dsa110.contimg.ops.HeavyWork;
import org.dsa110.contimg.core.DataRoots;
import org.dsa110.contimg.qa.FitsTableInfo;

/**
 * /api/visualization/*: the file views of the dashboard's QA tools, over the data roots only ({@link ClientPaths}:
 * traversal and links leading out are refused): directory listings, FITS and table summaries, thumbnail grids,
 * previews, raw bytes and icons. CARTA and notebooks are not part of the hub: their endpoints answer
 * {@code available: false} so the dashboard shows them as unavailable.
 */
public class VisualizationApi extends ApiRoutes {

    /** A feature the hub does not provide (CARTA, notebooks, JS9 server-side analysis). */
    public record Unavailable(boolean available, String feature, String message, Boolean running, String url,
            String notebookPath, String downloadUrl) {
    }

    /** The error of a path that does not exist on the info endpoints (exists false: the viewers show "not found"). */
    private static final String MISSING = "no such file or directory under the data roots";

    @Override
    public void configure() {
        ClientPaths paths = new ClientPaths(lookup("hubSettings", HubSettings.class),
                lookup("dataRoots", DataRoots.class), lookup("legacyRoots", LegacyRoots.class));
        HubSettings settings = lookup("hubSettings", HubSettings.class);
        FileBrowser browser = lookup("fileBrowser", FileBrowser.class);
        Thumbnails thumbnails = lookup("thumbnails", Thumbnails.class);
        FitsTableInfo tables = lookup("fitsTableInfo", FitsTableInfo.class);
        HubCache cache = lookup("hubCache", HubCache.class);
        HeavyWork heavy = lookup("heavyWork", HeavyWork.class);

        get("/visualization/browse", "visualization.browse",
                "Directory listing under the data roots (kinds directory, file, fits, casatable, ...; counts)", req -> {
                    String requested = req.query("path");
                    ClientPaths.Snapshot roots = paths.snapshot();
                    Path dir = requested == null ? settings.dataDir().toRealPath() : roots.existing("path", requested);
                    if (!Files.isDirectory(dir)) {
                        throw HubException.badRequest("not a directory: " + requested, Map.of("parameter", "path"));
                    }
                    Path parent = dir.getParent();
                    return browser.list(dir, parent != null && roots.admits(parent) ? parent.toString() : null,
                            new FileBrowser.Options(req.boolQuery("recursive", false),
                                    req.boolQuery("show_hidden", false), req.query("include_pattern"),
                                    req.query("exclude_pattern")), roots::admits);
                })
                .queryString("path", null)
                .queryBool("recursive", false, null)
                .queryBool("show_hidden", false, null)
                .queryString("include_pattern", null)
                .queryString("exclude_pattern", null)
                .returns(org.dsa110.contimg.files.FileBrowser.Listing.class);
        get("/visualization/fits/info", "visualization.fits.info",
                "Header summary of a FITS file: HDUs, image shape, header keys", req -> {
                    String requested = req.requiredQuery("path");
                    Path file = existingOrNull(paths, requested);
                    return file == null ? new FitsSummary.FitsInfo(requested, false, null, null, null, null, null,
                            null, MISSING) : FitsSummary.read(file);
                })
                .requiredQuery("path", null).returns(FitsSummary.FitsInfo.class);
        get("/visualization/casatable/info", "visualization.casatable.info",
                "Table/column/row summary of a calibration table or visibility file (CasaTableInfo)", req -> {
                    String requested = req.requiredQuery("path");
                    Path file = existingOrNull(paths, requested);
                    return file == null ? FitsTableInfo.missing(requested, MISSING) : tables.info(file);
                })
                .requiredQuery("path", null).returns(FitsTableInfo.TableInfo.class);
        get("/visualization/casatable/view", "visualization.casatable.view",
                "HTML view of a table's columns and HDUs", req -> {
                    Path file = paths.existing("path", req.requiredQuery("path"));
                    return ApiResponse.html(org.dsa110.contimg.files.TablePage.html(tables.info(file)));
                })
                .requiredQuery("path", null).returnsMedia(200, "text/html", "HTML page");
        get("/visualization/fits/view", "visualization.fits.view",
                "Preview of a FITS image: HTML page (default) or PNG (format=png)", req -> {
                    Path file = paths.existing("path", req.requiredQuery("path"));
                    String format = req.oneOf("format", "html", "html", "png");
                    String stretch = req.oneOf("stretch", "asinh", "asinh", "zscale");
                    int size = req.intQuery("size", req.intQuery("width", 1024, 16, 4096), 16, 4096);
                    if ("png".equals(format)) {
                        return ApiResponse.png(heavy.request(() -> thumbnails.png(file, size, stretch, cache)));
                    }
                    FitsSummary.FitsInfo info = FitsSummary.read(file);
                    byte[] png = null;
                    try {
                        png = heavy.request(() -> thumbnails.png(file, size, stretch, cache));
                    } catch (java.io.IOException | RuntimeException e) {
                        // a FITS table or damaged file: the page shows the header summary alone
                    }
                    return ApiResponse.html(thumbnails.page(file, info, png));
                })
                .requiredQuery("path", null)
                .queryEnum("format", "html", "html", "png")
                .queryEnum("stretch", "asinh", "asinh", "zscale")
                .queryInt("size", 16, 4096, "Longest side of the preview in pixels (default: width)")
                .queryInt("width", 1024, 16, 4096)
                .returnsMedia(200, "*/*", "text/html page (format=html) or image/png (format=png)");
        get("/visualization/directory/thumbnails", "visualization.directory.thumbnails",
                "HTML grid of thumbnails of a directory's FITS and PNG images", req -> {
                    ClientPaths.Snapshot roots = paths.snapshot();
                    Path dir = roots.existing("path", req.requiredQuery("path"));
                    if (!Files.isDirectory(dir)) {
                        throw HubException.badRequest("not a directory: " + dir.getFileName(),
                                Map.of("parameter", "path"));
                    }
                    FileBrowser.Listing listing = browser.list(dir, null, new FileBrowser.Options(
                            req.boolQuery("recursive", false), false, req.query("include_pattern"),
                            req.query("exclude_pattern")), roots::admits);
                    List<Path> images = new ArrayList<>();
                    for (FileBrowser.Entry e : listing.entries()) {
                        if (FileKinds.FITS.equals(e.type()) || e.name().matches("(?i).*\\.(png|jpe?g)")) {
                            images.add(Path.of(e.path()));
                        }
                    }
                    String ncol = req.query("ncol");
                    Thumbnails.GridOptions o = new Thumbnails.GridOptions(
                            ncol == null ? null : req.intQuery("ncol", 4, 1, 32), req.intQuery("mincol", 0, 0, 32),
                            req.intQuery("maxcol", 8, 1, 32), req.intQuery("width", thumbnails.defaultSize(), 32, 1024),
                            req.boolQuery("titles", true), req.oneOf("stretch", "asinh", "asinh", "zscale"));
                    return ApiResponse.html(heavy.request(() -> thumbnails.grid(dir, images, o, cache)));
                })
                .requiredQuery("path", null)
                .queryBool("recursive", false, null)
                .queryString("include_pattern", null)
                .queryString("exclude_pattern", null)
                .queryInt("ncol", 1, 32, "Columns (absent: between mincol and maxcol)")
                .queryInt("mincol", 0, 0, 32)
                .queryInt("maxcol", 8, 1, 32)
                .queryInt("width", thumbnails.defaultSize(), 32, 1024)
                .queryBool("titles", true, null)
                .queryEnum("stretch", "asinh", "asinh", "zscale")
                .returnsMedia(200, "text/html", "HTML page of thumbnails");
        get("/visualization/file", "visualization.file", "A file under the data roots (bytes)", req -> {
            Path file = paths.existing("path", req.requiredQuery("path"));
            if (!Files.isRegularFile(file)) {
                throw HubException.badRequest("not a file: " + file.getFileName(), Map.of("parameter", "path"));
            }
            return new ApiResponse(200, FileKinds.contentType(file), file, Map.of("Content-Disposition",
                    "inline; filename=\"" + file.getFileName().toString().replace("\"", "") + "\"",
                    "X-Content-Type-Options", "nosniff"));
        })
                .requiredQuery("path", null)
                .returnsMedia(200, "*/*", "The file's bytes, with the content type of its kind");
        get("/visualization/file/icon", "visualization.file.icon", "Small SVG icon of a file's kind", req -> {
            req.oneOf("format", "svg", "svg");
            int size = req.intQuery("size", 32, 8, 256);
            String requested = req.query("path");
            Path file = requested == null ? null : existingOrNull(paths, requested);
            // a path that is not there still gets the icon its name suggests
            String kind = file != null ? FileKinds.of(file)
                    : requested == null ? "file" : FileKinds.ofName(requested.substring(requested.lastIndexOf('/') + 1));
            return ApiResponse.text(FileKinds.icon(kind, size), "image/svg+xml");
        })
                .queryEnum("format", "svg", "svg")
                .queryInt("size", 32, 8, 256)
                .queryString("path", null)
                .returnsMedia(200, "image/svg+xml", "SVG icon");

        Unavailable carta = new Unavailable(false, "carta", "CARTA is not part of the hub: no CARTA server runs "
                + "here; open FITS images with the built-in viewer (JS9) instead", false, null, null, null);
        get("/visualization/carta/status", "visualization.carta.status", "CARTA availability (not part of the hub)",
                req -> carta).returns(Unavailable.class);
        post("/visualization/carta/start", "visualization.carta.start", "CARTA (not part of the hub)", req -> carta)
                .returns(Unavailable.class);
        Unavailable notebooks = new Unavailable(false, "notebooks", "QA notebooks are not generated by the hub: "
                + "use the HTML validation reports (/api/qa/images/{id}/validation-report.html)", null, null, null,
                null);
        get("/visualization/notebook/{notebook_path:path}", "visualization.notebook",
                "QA notebooks (not part of the hub)", req -> notebooks).returns(Unavailable.class);
        post("/visualization/notebook/generate", "visualization.notebook.generate",
                "QA notebooks (not part of the hub)", req -> notebooks).returns(Unavailable.class);
        post("/visualization/notebook/qa", "visualization.notebook.qa", "QA notebooks (not part of the hub)",
                req -> notebooks).returns(Unavailable.class);
        post("/visualization/js9/analysis", "visualization.js9.analysis",
                "Server-side JS9 analysis (not part of the hub; JS9 analyses in the browser)",
                req -> new Unavailable(false, "js9_analysis", "the hub runs no server-side JS9 analysis plugins; "
                        + "region statistics are at /api/regions/{id}/statistics", null, null, null, null))
                .returns(Unavailable.class);
    }

    /** The real path of a client path that exists under the roots, null when it is missing (outside: 400). */
    private static Path existingOrNull(ClientPaths paths, String requested) {
        try {
            return paths.existing("path", requested);
        } catch (HubException e) {
            if (e.isNotFound()) {
                return null;
            }
            throw e;
        }
    }
}
