package org.dsa110.contimg.qa;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.dsa110.contimg.plots.Plot;
import org.dsa110.contimg.plots.Plots;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * XY charts of the QA views (numeric x axis: channel, frequency, catalog flux, offsets), drawn with XChart like the
 * hub's {@link Plots}; an empty chart is Plots' "no data" image. Charts can be stacked into one PNG (amplitude
 * above phase).
 */
final class QaCharts {
    static final int WIDTH = Plots.WIDTH;
    static final int HEIGHT = 360;
    /** Above this many series the legend is hidden (a 96-antenna legend hides the plot). */
    static final int MAX_LEGEND = 12;

    private QaCharts() {
    }

    /** One series; non-finite points are dropped. */
    record Series(String name, double[] x, double[] y) {
    }

    /** A chart definition: title, axis titles with units, series, scatter (markers only) or lines. */
    record Chart(String title, String xTitle, String yTitle, List<Series> series, boolean scatter) {
        boolean empty() {
            return series.stream().noneMatch(s -> finiteCount(s) > 0);
        }
    }

    static Plot png(Chart chart) {
        return stacked(chart.title(), List.of(chart));
    }

    /** Charts stacked vertically into one PNG; the "no data" image (titled {@code title}) when all are empty. */
    static Plot stacked(String title, List<Chart> charts) {
        if (charts.stream().allMatch(Chart::empty)) {
            return Plots.noData(title, "no data");
        }
        List<BufferedImage> panels = new ArrayList<>();
        for (Chart c : charts) {
            panels.add(BitmapEncoder.getBufferedImage(build(c)));
        }
        int h = panels.stream().mapToInt(BufferedImage::getHeight).sum();
        BufferedImage all = new BufferedImage(WIDTH, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        int y = 0;
        for (BufferedImage p : panels) {
            g.drawImage(p, 0, y, null);
            y += p.getHeight();
        }
        g.dispose();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(all, "png", out);
            return new Plot(out.toByteArray(), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static XYChart build(Chart c) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(c.title()).xAxisTitle(c.xTitle())
                .yAxisTitle(c.yTitle()).build();
        Styler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setLegendVisible(c.series().size() > 1 && c.series().size() <= MAX_LEGEND);
        if (c.scatter()) {
            chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        }
        int n = 0;
        for (Series s : c.series()) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int i = 0; i < Math.min(s.x().length, s.y().length); i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    x.add(s.x()[i]);
                    y.add(s.y()[i]);
                }
            }
            if (x.isEmpty()) {
                continue;
            }
            XYSeries xy = chart.addSeries(uniqueName(s.name(), n++), x, y);
            xy.setMarker(c.scatter() || x.size() <= 40 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        }
        return chart;
    }

    private static String uniqueName(String name, int index) {
        return name == null || name.isBlank() ? "series " + index : name;
    }

    private static int finiteCount(Series s) {
        int n = 0;
        for (int i = 0; i < Math.min(s.x().length, s.y().length); i++) {
            if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                n++;
            }
        }
        return n;
    }
}
