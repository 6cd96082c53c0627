package org.dsa110.contimg.plots;

import java.awt.BasicStroke;
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
import java.util.TimeZone;
import java.util.function.DoubleBinaryOperator;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Plots of the calibration, pointing and candidate views: scatter, heat map, time intervals and all-sky maps
 * (plate carrée or Mollweide, RA increasing to the left). Same conventions as {@link Plots}: titles, axis titles
 * with units, a "no data" image when there is nothing to draw.
 */
public final class SkyPlots {
    private SkyPlots() {
    }

    /** A number as the plots label it (3 significant figures below 1, one decimal below 100). */
    public static String format(double v) {
        return Plots.format(v);
    }

    /** One group of points of a scatter plot. */
    public record Points(String name, List<Double> x, List<Double> y) {
    }

    /** A scatter plot; {@code reverseX} draws x decreasing to the right (RA on the sky). */
    public static Plot scatter(String title, String xTitle, String yTitle, List<Points> groups, boolean reverseX) {
        XYChart chart = new XYChartBuilder().width(Plots.WIDTH).height(Plots.HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setLegendVisible(groups.size() > 1);
        chart.getStyler().setMarkerSize(9);
        boolean any = false;
        for (Points p : groups) {
            if (p.x().isEmpty()) {
                continue;
            }
            List<Double> x = reverseX ? p.x().stream().map(v -> -v).toList() : p.x();
            chart.addSeries(p.name(), x, p.y());
            any = true;
        }
        if (!any) {
            return Plots.noData(title, "no data to plot");
        }
        if (reverseX) {
            chart.getStyler().setxAxisTickLabelsFormattingFunction(v -> Plots.format(-v));
        }
        return encode(chart);
    }

    /**
     * A heat map: {@code values[row][col]} (null = no value) with column labels along x and row labels along y.
     */
    public static Plot heatMap(String title, String xTitle, String yTitle, List<String> columns, List<String> rows,
            Double[][] values, String valueFormat) {
        List<Number[]> cells = new ArrayList<>();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < columns.size(); c++) {
                Double v = values[r][c];
                if (v != null && Double.isFinite(v)) {
                    cells.add(new Number[] {c, r, v});
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (cells.isEmpty()) {
            return Plots.noData(title, "no data to plot");
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(Plots.WIDTH).height(Math.max(Plots.HEIGHT,
                120 + 14 * rows.size())).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setShowValue(false);
        double scale = Math.pow(10, 2 - Math.floor(Math.log10(Math.max(Math.abs(hi - lo), 1e-12))));
        chart.getStyler().setMin(Math.floor(lo * scale) / scale);
        chart.getStyler().setMax(Math.max(Math.ceil(hi * scale) / scale, Math.floor(lo * scale) / scale + 1 / scale));
        chart.getStyler().setHeatMapValueDecimalPattern(valueFormat);
        chart.getStyler().setXAxisLabelRotation(columns.size() > 8 ? 45 : 0);
        chart.getStyler().setRangeColors(new Color[] {new Color(0x30, 0x12, 0x6e), new Color(0x21, 0x91, 0x8c),
            new Color(0xfd, 0xe7, 0x25)});
        chart.addSeries(title, columns, rows, cells);
        return encode(chart);
    }

    /** One interval of a timeline (a horizontal bar). */
    public record Interval(Instant start, Instant end) {
    }

    /** Intervals along a time axis (at most {@code maxBars} drawn, the newest); width/height in pixels. */
    public static Plot intervals(String title, String yTitle, List<Interval> intervals, int width, int height,
            int maxBars) {
        if (intervals.isEmpty()) {
            return Plots.noData(title, "no observations found");
        }
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(Plots.TIME_AXIS)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setTimezone(TimeZone.getTimeZone("UTC"));
        chart.getStyler().setDatePattern("yyyy-MM-dd HH:mm");
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(2.0);
        chart.getStyler().setYAxisTicksVisible(false);
        int i = 0;
        for (Interval in : intervals.subList(Math.max(0, intervals.size() - maxBars), intervals.size())) {
            Instant end = in.end().isAfter(in.start()) ? in.end() : in.start().plusSeconds(1);
            XYSeries s = chart.addSeries("s" + i++, List.of(Date.from(in.start()), Date.from(end)), List.of(1.0, 1.0));
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(new Color(0x1f, 0x77, 0xb4));
            s.setLineStyle(new BasicStroke(Math.max(6f, height / 6f), BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
        }
        return encode(chart);
    }

    /** Map projections of the all-sky maps. */
    public enum Projection { PLATE_CARREE, MOLLWEIDE }

    /**
     * An all-sky map of {@code value(raDeg, decDeg)} (values ≤ 0 drawn as background), with a graticule every 30°,
     * RA labels in hours, a colour bar from 0 to {@code max} titled {@code unit}.
     */
    public static Plot skyMap(String title, String unit, Projection projection, DoubleBinaryOperator value,
            double max, Colormap cmap) {
        int w = 1000;
        int h = projection == Projection.MOLLWEIDE ? 620 : 640;
        int mapW = 880;
        int mapH = projection == Projection.MOLLWEIDE ? 440 : 440;
        int x0 = (w - mapW) / 2;
        int y0 = 60;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            Color background = new Color(0xEE, 0xEE, 0xF2);
            for (int py = 0; py < mapH; py++) {
                for (int px = 0; px < mapW; px++) {
                    double[] radec = inverse(projection, (px + 0.5) / mapW, (py + 0.5) / mapH);
                    if (radec == null) {
                        continue;
                    }
                    double v = value.applyAsDouble(radec[0], radec[1]);
                    img.setRGB(x0 + px, y0 + py, (v > 0 && max > 0 ? cmap.color(v / max) : background).getRGB());
                }
            }
            graticule(g, projection, x0, y0, mapW, mapH);
            g.setColor(Color.DARK_GRAY);
            centred(g, title, new Font(Font.SANS_SERIF, Font.BOLD, 20), w, 35);
            colorBar(g, cmap, x0 + mapW / 4, y0 + mapH + 40, mapW / 2, 16, max, unit);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.setColor(Color.DARK_GRAY);
            g.drawString("RA (h), Dec (deg), J2000; RA increases to the left", x0, h - 12);
        } finally {
            g.dispose();
        }
        return png(img);
    }

    /** {ra, dec} in degrees of the point at fractional position (fx, fy) of the map, or null off the sky. */
    static double[] inverse(Projection p, double fx, double fy) {
        if (p == Projection.PLATE_CARREE) {
            return new double[] {360 * (1 - fx), 90 - 180 * fy};
        }
        double x = (fx - 0.5) * 4 * Math.sqrt(2);   // [-2√2, 2√2]
        double y = (0.5 - fy) * 2 * Math.sqrt(2);   // [-√2, √2]
        double t = y / Math.sqrt(2);
        if (Math.abs(t) > 1) {
            return null;
        }
        double theta = Math.asin(t);
        double lon = Math.PI * x / (2 * Math.sqrt(2) * Math.cos(theta));
        if (Math.abs(lon) > Math.PI) {
            return null;
        }
        double lat = Math.asin(Math.max(-1, Math.min(1, (2 * theta + Math.sin(2 * theta)) / Math.PI)));
        return new double[] {((180 - Math.toDegrees(lon)) % 360 + 360) % 360, Math.toDegrees(lat)};
    }

    /** Fractional map position of (ra, dec) in degrees. */
    static double[] forward(Projection p, double ra, double dec) {
        double lonDeg = 180 - ra;
        if (p == Projection.PLATE_CARREE) {
            return new double[] {1 - ra / 360, (90 - dec) / 180};
        }
        double lat = Math.toRadians(dec);
        double theta = lat;
        for (int i = 0; i < 50; i++) {
            double f = 2 * theta + Math.sin(2 * theta) - Math.PI * Math.sin(lat);
            double d = 2 + 2 * Math.cos(2 * theta);
            if (Math.abs(d) < 1e-12) {
                break;
            }
            theta -= f / d;
        }
        double x = 2 * Math.sqrt(2) / Math.PI * Math.toRadians(lonDeg) * Math.cos(theta);
        double y = Math.sqrt(2) * Math.sin(theta);
        return new double[] {x / (4 * Math.sqrt(2)) + 0.5, 0.5 - y / (2 * Math.sqrt(2))};
    }

    private static void graticule(Graphics2D g, Projection p, int x0, int y0, int w, int h) {
        g.setColor(new Color(0x99, 0x99, 0x99));
        g.setStroke(new BasicStroke(0.8f));
        for (int ra = 0; ra <= 360; ra += 30) {
            polyline(g, p, x0, y0, w, h, ra == 360 ? 359.999 : ra, true);
        }
        for (int dec = -60; dec <= 60; dec += 30) {
            polyline(g, p, x0, y0, w, h, dec, false);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.DARK_GRAY);
        for (int ra = 30; ra < 360; ra += 30) {
            double[] f = forward(p, ra, 0);
            g.drawString((ra / 15) + "h", (int) (x0 + f[0] * w) + 3, (int) (y0 + f[1] * h) - 3);
        }
        for (int dec = -60; dec <= 60; dec += 30) {
            double[] f = forward(p, 359.999, dec);
            g.drawString(dec + "°", (int) (x0 + f[0] * w) - 38, (int) (y0 + f[1] * h) + 4);
        }
    }

    private static void polyline(Graphics2D g, Projection p, int x0, int y0, int w, int h, double fixed,
            boolean meridian) {
        int[] xs = new int[181];
        int[] ys = new int[181];
        for (int i = 0; i <= 180; i++) {
            double[] f = meridian ? forward(p, fixed, -90 + i) : forward(p, i * 2.0 == 360 ? 359.999 : i * 2.0, fixed);
            xs[i] = (int) Math.round(x0 + f[0] * w);
            ys[i] = (int) Math.round(y0 + f[1] * h);
        }
        g.drawPolyline(xs, ys, xs.length);
    }

    private static void colorBar(Graphics2D g, Colormap cmap, int x, int y, int w, int h, double max, String unit) {
        for (int i = 0; i < w; i++) {
            g.setColor(cmap.color((double) i / (w - 1)));
            g.drawLine(x + i, y, x + i, y + h);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(x, y, w, h);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString("0", x - 4, y + h + 15);
        String top = Plots.format(max);
        g.drawString(top, x + w - g.getFontMetrics().stringWidth(top) / 2, y + h + 15);
        g.drawString(unit, x + (w - g.getFontMetrics().stringWidth(unit)) / 2, y + h + 15);
    }

    private static void centred(Graphics2D g, String text, Font font, int width, int y) {
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(text, Math.max(10, (width - fm.stringWidth(text)) / 2), y);
    }

    /** Sequential colour maps, interpolated linearly between anchor colours. */
    public enum Colormap {
        INFERNO(0x000004, 0x420a68, 0x932667, 0xdd513a, 0xfca50a, 0xfcffa4),
        VIRIDIS(0x440154, 0x3b528b, 0x21918c, 0x5ec962, 0xfde725),
        GRAY(0x202020, 0xf0f0f0);

        private final int[] anchors;

        Colormap(int... anchors) {
            this.anchors = anchors;
        }

        public static Colormap of(String name) {
            return valueOf(name.toUpperCase(java.util.Locale.ROOT));
        }

        public Color color(double f) {
            double t = Math.max(0, Math.min(1, f)) * (anchors.length - 1);
            int i = Math.min(anchors.length - 2, (int) t);
            double u = t - i;
            int a = anchors[i];
            int b = anchors[i + 1];
            return new Color(mix(a >> 16, b >> 16, u), mix(a >> 8, b >> 8, u), mix(a, b, u));
        }

        private static int mix(int a, int b, double u) {
            return (int) Math.round((a & 0xff) * (1 - u) + (b & 0xff) * u);
        }
    }

    private static Plot encode(Chart<?, ?> chart) {
        try {
            return new Plot(BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Plot png(BufferedImage img) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(img, "png", out);
            return new Plot(out.toByteArray(), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
