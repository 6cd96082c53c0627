package org.dsa110.contimg.plots;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The hub's one plotting module: XChart charts rendered to PNG. Every chart has a title and axis titles with
 * units; a chart with nothing to draw becomes a readable "no data" image instead of an error. Times are UTC.
 */
public final class Plots {
    public static final int WIDTH = 900;
    public static final int HEIGHT = 500;
    public static final String TIME_AXIS = "Time (UTC)";

    static {
        // Rendering needs no display; set before the first AWT class loads unless the operator chose otherwise.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Plots() {
    }

    /** One line of a time chart. Points with a null or non-finite value are skipped. */
    public record TimeSeries(String name, List<Instant> times, List<Double> values, boolean dashed) {
        public TimeSeries(String name, List<Instant> times, List<Double> values) {
            this(name, times, values, false);
        }
    }

    /** Lines over time (x axis: UTC date and time). */
    public static Plot timeSeries(String title, String yAxisTitle, List<TimeSeries> series) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(TIME_AXIS).yAxisTitle(yAxisTitle).build();
        Styler styler = chart.getStyler();
        chart.getStyler().setDatePattern("MM-dd HH:mm");
        chart.getStyler().setTimezone(TimeZone.getTimeZone("UTC"));
        styler.setLegendPosition(Styler.LegendPosition.InsideNW);
        boolean any = false;
        for (TimeSeries s : series) {
            List<Date> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int i = 0; i < Math.min(s.times().size(), s.values().size()); i++) {
                Double v = s.values().get(i);
                if (s.times().get(i) != null && v != null && Double.isFinite(v)) {
                    x.add(Date.from(s.times().get(i)));
                    y.add(v);
                }
            }
            if (x.isEmpty()) {
                continue;
            }
            XYSeries xy = chart.addSeries(s.name(), x, y);
            xy.setMarker(x.size() > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            if (s.dashed()) {
                xy.setLineStyle(new java.awt.BasicStroke(2f, java.awt.BasicStroke.CAP_BUTT,
                        java.awt.BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
                xy.setMarker(SeriesMarkers.NONE);
            }
            any = true;
        }
        return any ? encode(chart) : noData(title, "no data in the selected window");
    }

    /**
     * Grouped bars: one group per category, one bar per series. {@code series} maps a series name to one value
     * per category (null = no bar).
     */
    public static Plot bars(String title, String xAxisTitle, String yAxisTitle, List<String> categories,
            Map<String, List<Double>> series) {
        if (categories.isEmpty() || series.isEmpty()) {
            return noData(title, "no data in the selected window");
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xAxisTitle).yAxisTitle(yAxisTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setLegendVisible(series.size() > 1);
        chart.getStyler().setXAxisLabelRotation(categories.size() > 6 ? 45 : 0);
        for (Map.Entry<String, List<Double>> e : series.entrySet()) {
            List<Double> values = new ArrayList<>();
            for (Double v : e.getValue()) {
                values.add(v == null || !Double.isFinite(v) ? 0.0 : v);
            }
            chart.addSeries(e.getKey(), categories, values);
        }
        return encode(chart);
    }

    /** A histogram of {@code values} in {@code bins} equal-width bins (labels are the bin centres). */
    public static Plot histogram(String title, String xAxisTitle, String yAxisTitle, double[] values, int bins) {
        double[] finite = java.util.Arrays.stream(values).filter(Double::isFinite).toArray();
        if (finite.length == 0) {
            return noData(title, "no data in the selected window");
        }
        double lo = java.util.Arrays.stream(finite).min().orElse(0);
        double hi = java.util.Arrays.stream(finite).max().orElse(0);
        int n = hi > lo ? Math.max(1, bins) : 1;
        double width = hi > lo ? (hi - lo) / n : 1.0;
        double[] counts = new double[n];
        for (double v : finite) {
            counts[Math.min(n - 1, (int) ((v - lo) / width))]++;
        }
        List<String> labels = new ArrayList<>();
        List<Double> heights = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            labels.add(format(lo + (i + 0.5) * width));
            heights.add(counts[i]);
        }
        return bars(title, xAxisTitle, yAxisTitle, labels, Map.of("count", heights));
    }

    /** A plain image with the title and a message saying why there is nothing to draw. */
    public static Plot noData(String title, String message) {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(new Color(0xDD, 0xDD, 0xDD));
            g.drawRect(10, 10, WIDTH - 21, HEIGHT - 21);
            centred(g, title, new Font(Font.SANS_SERIF, Font.BOLD, 22), Color.DARK_GRAY, HEIGHT / 2 - 20);
            centred(g, message, new Font(Font.SANS_SERIF, Font.PLAIN, 16), Color.GRAY, HEIGHT / 2 + 20);
        } finally {
            g.dispose();
        }
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(img, "png", out);
            return new Plot(out.toByteArray(), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void centred(Graphics2D g, String text, Font font, Color color, int y) {
        g.setFont(font);
        g.setColor(color);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(text, Math.max(12, (WIDTH - fm.stringWidth(text)) / 2), y);
    }

    private static Plot encode(Chart<?, ?> chart) {
        try {
            return new Plot(BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String format(double v) {
        double a = Math.abs(v);
        if (a >= 100 || v == 0) {
            return String.format("%.0f", v);
        }
        return a >= 1 ? String.format("%.1f", v) : String.format("%.3g", v);
    }
}
