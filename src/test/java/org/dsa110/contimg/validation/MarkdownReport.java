package org.dsa110.contimg.validation;

import java.util.List;
import java.util.Locale;

/** A small Markdown writer: headings, paragraphs, bullet lists and pipe tables (cells escaped). */
public final class MarkdownReport {
    private final StringBuilder out = new StringBuilder();

    public MarkdownReport heading(int level, String text) {
        separate();
        out.append("#".repeat(level)).append(' ').append(text).append("\n\n");
        return this;
    }

    public MarkdownReport paragraph(String text) {
        separate();
        out.append(text.strip()).append("\n\n");
        return this;
    }

    public MarkdownReport bullets(List<String> items) {
        separate();
        for (String i : items) {
            out.append("- ").append(i).append('\n');
        }
        out.append('\n');
        return this;
    }

    public MarkdownReport code(String text) {
        separate();
        out.append("```\n").append(text.strip()).append("\n```\n\n");
        return this;
    }

    /** A pipe table; every row must have as many cells as the header. */
    public MarkdownReport table(List<String> header, List<List<String>> rows) {
        separate();
        out.append(row(header));
        out.append('|').append("---|".repeat(header.size())).append('\n');
        for (List<String> r : rows) {
            if (r.size() != header.size()) {
                throw new IllegalArgumentException("row of " + r.size() + " cells under a header of " + header.size()
                        + ": " + r);
            }
            out.append(row(r));
        }
        out.append('\n');
        return this;
    }

    private static String row(List<String> cells) {
        StringBuilder b = new StringBuilder("|");
        for (String c : cells) {
            b.append(' ').append(c == null ? "" : c.replace("|", "\\|").replace("\n", " ")).append(" |");
        }
        return b.append('\n').toString();
    }

    private void separate() {
        if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
            out.append("\n\n");
        }
    }

    @Override
    public String toString() {
        return out.toString().stripTrailing() + "\n";
    }

    /** A number with {@code digits} decimals, or "—" when it is not finite (not measured). */
    public static String num(double v, int digits) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + digits + "f", v) : "—";
    }

    /** A number in scientific-friendly form: 3 significant digits, or "—". */
    public static String sig(double v) {
        if (!Double.isFinite(v)) {
            return "—";
        }
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3g", v);
    }
}
