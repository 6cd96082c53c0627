package org.dsa110.contimg.files;

import java.util.List;
import java.util.Map;
import org.dsa110.contimg.qa.FitsTableInfo;

/** The HTML view of a table summary ({@link FitsTableInfo.TableInfo}): rows, columns with types, HDUs, keywords. */
public final class TablePage {

    private TablePage() {
    }

    public static String html(FitsTableInfo.TableInfo t) {
        StringBuilder h = new StringBuilder(4096);
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(Thumbnails.esc(t.path())).append("</title><style>body{font-family:sans-serif;margin:1em}"
                        + "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 6px}"
                        + "th{background:#f0f0f0}</style></head><body><h3>").append(Thumbnails.esc(t.path()))
                .append("</h3>");
        if (t.error() != null) {
            h.append("<p>").append(Thumbnails.esc(t.error())).append("</p>");
        }
        if (t.tableType() != null) {
            h.append("<p>Type ").append(Thumbnails.esc(t.tableType())).append(" &middot; ").append(t.nrows())
                    .append(" rows &middot; ").append(t.numColumns()).append(" columns</p>");
        }
        if (!t.columnDetails().isEmpty()) {
            h.append("<table><tr><th>column</th><th>type</th><th>shape</th><th>unit</th></tr>");
            for (Map<String, Object> c : t.columnDetails()) {
                h.append("<tr>");
                for (String k : List.of("name", "dtype", "shape", "unit")) {
                    Object v = c.get(k);
                    h.append("<td>").append(Thumbnails.esc(v == null ? "" : String.valueOf(v))).append("</td>");
                }
                h.append("</tr>");
            }
            h.append("</table>");
        }
        if (!t.subtables().isEmpty()) {
            h.append("<p>Subtables / extensions: ").append(Thumbnails.esc(String.join(", ", t.subtables())))
                    .append("</p>");
        }
        if (!t.keywords().isEmpty()) {
            h.append("<table><tr><th>keyword</th><th>value</th></tr>");
            t.keywords().forEach((k, v) -> h.append("<tr><td>").append(Thumbnails.esc(k)).append("</td><td>")
                    .append(Thumbnails.esc(String.valueOf(v))).append("</td></tr>"));
            h.append("</table>");
        }
        return h.append("</body></html>").toString();
    }
}
