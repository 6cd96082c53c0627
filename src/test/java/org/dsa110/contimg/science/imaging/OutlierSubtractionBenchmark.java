package org.dsa110.contimg.science.imaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dsa110.contimg.science.radio.ArrayLayout;
import org.dsa110.contimg.science.radio.DriftScan;
import org.dsa110.contimg.science.radio.PointSource;
import org.dsa110.contimg.science.radio.PrimaryBeam;
import org.dsa110.contimg.science.radio.Visibilities;

/**
 * Cost of subtracting sources outside the image ({@link OutlierSubtraction#subtract}, issue 15): the time per
 * source and visibility sample on a drift scan of the DSA-110 layout, for extrapolation to a full-size group
 * (docs/performance.md). Not a test: {@code bench/outliers.sh [antennas=48] [integrations=6] [channels=96]
 * [sources=100] [passes=3]}.
 */
public final class OutlierSubtractionBenchmark {

    private OutlierSubtractionBenchmark() {
    }

    public static void main(String[] args) {
        int antennas = args.length > 0 ? Integer.parseInt(args[0]) : 48;
        int times = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        int channels = args.length > 2 ? Integer.parseInt(args[2]) : 96;
        int nSources = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        int passes = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        ArrayLayout layout = ArrayLayout.loadDsa110().selectDefault(antennas);
        Visibilities vis = DriftScan.build(layout, Math.toRadians(54.6), 2460400.5, times,
                DriftScan.DSA110_INTEGRATION_SEC, DriftScan.channels(1.311e9, 0.244e6, channels), 2);
        int mid = vis.nBlt() / 2;
        double[] c = {vis.phaseCentreRa()[mid], vis.phaseCentreDec()[mid]};
        // sources on a ring 2-3 degrees out: outside any image, as the catalogue outliers are
        List<OutlierSubtraction.Outlier> outliers = new ArrayList<>();
        for (int i = 0; i < nSources; i++) {
            double angle = 2 * Math.PI * i / nSources;
            double r = 2.0 + (i % 10) / 10.0;
            PointSource s = WStackingTest.at(c, r * Math.cos(angle), r * Math.sin(angle), 0.05);
            outliers.add(new OutlierSubtraction.Outlier("b" + i, s, 0.01, r));
        }
        double[][] pointing = {vis.phaseCentreRa(), vis.phaseCentreDec()};
        long samples = (long) vis.nBlt() * vis.nChan();
        System.out.printf(Locale.ROOT, "%d antennas, %d blt x %d channels = %d samples, %d sources, %d cores%n",
                layout.size(), vis.nBlt(), vis.nChan(), samples, nSources, Runtime.getRuntime().availableProcessors());
        for (int p = 0; p < passes; p++) {
            long t0 = System.nanoTime();
            OutlierSubtraction.subtract(vis, pointing, outliers, PrimaryBeam.dsa110());
            double s = (System.nanoTime() - t0) / 1e9;
            double perTerm = s * 1e9 / (samples * (double) nSources);
            System.out.printf(Locale.ROOT, "pass %d: %.2f s, %.2f ns per source-sample (wall, all cores); a full "
                    + "group (96 antennas: 4560 baselines x 24 integrations x 768 channels = 8.40e7 "
                    + "samples) with %d sources: %.0f s%n", p + 1, s, perTerm, nSources,
                    perTerm * 8.40e7 * nSources / 1e9);
        }
    }
}
