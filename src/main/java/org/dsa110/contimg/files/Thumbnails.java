package org.dsa110.contimg.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.dsa110.contimg.monitoring.HubCache;
import org.dsa110.contimg.qa.ImagePreview;
import org.dsa110.contimg.science.fits.FitsImage;

/**
 * PNG previews of FITS images and the HTML pages the dashboard's QA tools embed: a grid of thumbnails of a
 * directory's images, and a one-image view. Previews are block-averaged and stretched by {@link ImagePreview}
 * (asinh or zscale) and cached in the hub's cache under the file's path, size and modification time, so a changed
 * file is previewed afresh. Pages inline their images (data: URLs), so they render wherever the dashboard injects
 * them.
 */
public final class Thumbnails {
    /** PNG files larger than this are shown by name only in a grid (not inlined). */
    static final long MAX_INLINE_PNG = 2L << 20;

    private final int defaultSize;
    private final int maxFiles;

    public Thumbnails(int defaultSize, int maxFiles) {
        this.defaultSize = defaultSize;
        this.maxFiles = maxFiles;
    }

    public int defaultSize() {
        return defaultSize;
    }

    public int maxFiles() {
        return maxFiles;
    }

    /** The preview PNG of a FITS image, at most {@code size} pixels on its longer side. */
    public byte[] png(Path fits, int size, String stretch, HubCache cache) throws IOException {
        String key = "thumbnail:" + fits + ":" + Files.size(fits) + ":" + Files.getLastModifiedTime(fits).toMillis()
                + ":" + size + ":" + stretch;
        try {
            return cache.get(key, () -> {
                try (FitsImage img = FitsImage.open(fits)) {
                    return ImagePreview.png(ImagePreview.downsample(img, size), stretch);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Layout of a thumbnail grid: columns (fixed, or between min and max), tile width, captions. */
    public record GridOptions(Integer ncol, int mincol, int maxcol, int width, boolean titles, String stretch) {
    }

    /** The HTML grid of {@code images} (FITS or PNG/JPEG files) of {@code dir}; unreadable images show a note. */
    public String grid(Path dir, List<Path> images, GridOptions o, HubCache cache) {
        int n = Math.min(images.size(), maxFiles);
        int columns = o.ncol() != null ? o.ncol() : Math.max(Math.max(1, o.mincol()), Math.min(o.maxcol(), n));
        StringBuilder h = new StringBuilder(4096);
        h.append("<div class=\"contimg-thumbnails\" style=\"display:grid;grid-template-columns:repeat(")
                .append(columns).append(",minmax(0,").append(o.width()).append("px));gap:8px;font-family:sans-serif;"
                        + "font-size:11px\">");
        for (int i = 0; i < n; i++) {
            Path p = images.get(i);
            h.append("<figure style=\"margin:0;text-align:center\">");
            String src = dataUrl(p, o, cache);
            if (src != null) {
                h.append("<img src=\"").append(src).append("\" alt=\"").append(esc(p.getFileName().toString()))
                        .append("\" style=\"width:100%;image-rendering:pixelated;background:#000\">");
            } else {
                h.append("<div style=\"padding:2em 0;background:#eee;color:#666\">no preview</div>");
            }
            if (o.titles()) {
                h.append("<figcaption title=\"").append(esc(p.toString())).append("\" style=\"overflow:hidden;"
                        + "text-overflow:ellipsis;white-space:nowrap\">").append(esc(dir.relativize(p).toString()))
                        .append("</figcaption>");
            }
            h.append("</figure>");
        }
        h.append("</div>");
        if (images.size() > n) {
            h.append("<p style=\"font-family:sans-serif;font-size:11px\">").append(images.size() - n)
                    .append(" more image(s) not shown (at most ").append(maxFiles).append(" per page)</p>");
        }
        if (images.isEmpty()) {
            h.append("<p style=\"font-family:sans-serif\">No FITS or PNG images in ").append(esc(dir.toString()))
                    .append("</p>");
        }
        return h.toString();
    }

    /** A page showing one FITS image's preview and its header summary. */
    public String page(Path fits, FitsSummary.FitsInfo info, byte[] png) {
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(fits.getFileName().toString())).append("</title></head><body style=\"font-family:"
                        + "sans-serif;margin:1em\"><h3>").append(esc(fits.toString())).append("</h3>");
        if (png != null) {
            h.append("<img src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png))
                    .append("\" alt=\"preview\" style=\"max-width:100%;image-rendering:pixelated\">");
        } else {
            h.append("<p>No image preview: the file holds no readable image.</p>");
        }
        if (info.summary() != null) {
            h.append("<pre>").append(esc(info.summary())).append("</pre>");
        }
        if (info.error() != null) {
            h.append("<p>").append(esc(info.error())).append("</p>");
        }
        h.append("</body></html>");
        return h.toString();
    }

    private String dataUrl(Path p, GridOptions o, HubCache cache) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg")) {
                if (Files.size(p) > MAX_INLINE_PNG) {
                    return null;
                }
                return "data:image/" + (name.endsWith(".png") ? "png" : "jpeg") + ";base64,"
                        + Base64.getEncoder().encodeToString(Files.readAllBytes(p));
            }
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(png(p, o.width(), o.stretch(),
                    cache));
        } catch (IOException | RuntimeException e) {
            return null; // not an image we can read: the tile says so
        }
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
