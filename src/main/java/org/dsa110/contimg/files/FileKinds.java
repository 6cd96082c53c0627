package org.dsa110.contimg.files;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * What kind of file a path is, as the dashboard's file browser shows it, by name and (for directories) content:
 * {@code directory}, {@code casatable} (a directory holding {@code table.dat}, e.g. a Measurement Set), {@code fits}
 * (images and FITS tables), {@code uvfits} (visibilities), {@code hdf5} (UVH5 subbands), {@code image} (PNG,
 * JPEG, GIF, SVG), {@code text} (logs, JSON, CSV, YAML, ...), {@code html}, else {@code file}; with a small SVG icon
 * per kind.
 */
public final class FileKinds {
    public static final String DIRECTORY = "directory";
    public static final String CASATABLE = "casatable";
    public static final String FITS = "fits";

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(Map.entry("fits", FITS),
            Map.entry("fit", FITS), Map.entry("fts", FITS), Map.entry("fz", FITS), Map.entry("uvfits", "uvfits"),
            Map.entry("uvf", "uvfits"), Map.entry("hdf5", "hdf5"), Map.entry("h5", "hdf5"),
            Map.entry("uvh5", "hdf5"), Map.entry("png", "image"), Map.entry("jpg", "image"),
            Map.entry("jpeg", "image"), Map.entry("gif", "image"), Map.entry("svg", "image"),
            Map.entry("txt", "text"), Map.entry("log", "text"), Map.entry("json", "text"), Map.entry("csv", "text"),
            Map.entry("yaml", "text"), Map.entry("yml", "text"), Map.entry("md", "text"), Map.entry("reg", "text"),
            Map.entry("html", "html"), Map.entry("htm", "html"));

    /** Icon colour per kind (the glyph is the kind's first letters). */
    private static final Map<String, String> COLOURS = Map.of(DIRECTORY, "#e0a526", CASATABLE, "#7b5ea7", FITS,
            "#2f7ed8", "uvfits", "#1aa38c", "hdf5", "#c0504d", "image", "#4caf50", "text", "#607d8b", "html",
            "#e65100", "file", "#9e9e9e");

    private FileKinds() {
    }

    public static String of(Path p) {
        if (Files.isDirectory(p)) {
            return Files.isRegularFile(p.resolve("table.dat")) ? CASATABLE : DIRECTORY;
        }
        return ofName(p.getFileName() == null ? "" : p.getFileName().toString());
    }

    /** The kind a file name suggests (no file-system access). */
    public static String ofName(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "file" : BY_EXTENSION.getOrDefault(name.substring(dot + 1), "file");
    }

    /** The content type a file of this kind is served with. */
    public static String contentType(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) {
            return "image/png";
        }
        if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        if (name.endsWith(".gif")) {
            return "image/gif";
        }
        if (name.endsWith(".json")) {
            return "application/json";
        }
        return switch (of(p)) {
            case FITS, "uvfits" -> "application/fits";
            // served as text, never as a page or script of the hub's origin
            case "text", "html", "image" -> "text/plain; charset=utf-8";
            default -> "application/octet-stream";
        };
    }

    /** A {@code size}×{@code size} SVG icon: a rounded tile in the kind's colour with its initials. */
    public static String icon(String kind, int size) {
        String colour = COLOURS.getOrDefault(kind, COLOURS.get("file"));
        String label = switch (kind) {
            case DIRECTORY -> "DIR";
            case CASATABLE -> "TAB";
            case FITS -> "FITS";
            case "uvfits" -> "UV";
            case "hdf5" -> "H5";
            case "image" -> "IMG";
            case "text" -> "TXT";
            case "html" -> "HTM";
            default -> "FILE";
        };
        double font = label.length() >= 4 ? 6.5 : 8.5;
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + size + "\" height=\"" + size
                + "\" viewBox=\"0 0 24 24\"><rect x=\"1\" y=\"1\" width=\"22\" height=\"22\" rx=\"4\" fill=\""
                + colour + "\"/><text x=\"12\" y=\"15.5\" font-family=\"sans-serif\" font-size=\"" + font
                + "\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"#fff\">" + label + "</text></svg>";
    }
}
