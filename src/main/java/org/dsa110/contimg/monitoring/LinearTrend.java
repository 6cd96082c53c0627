package org.dsa110.contimg.monitoring;

/**
 * Ordinary least-squares straight line y = intercept + slope * x. With x in seconds and y in bytes the slope is
 * the fill rate in bytes per second.
 */
public record LinearTrend(double slope, double intercept, int n) {

    /** The fit of {@code (x, y)}; null with fewer than two points or when every x is the same. */
    public static LinearTrend fit(double[] x, double[] y) {
        int n = Math.min(x.length, y.length);
        if (n < 2) {
            return null;
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < n; i++) {
            sxx += (x[i] - mx) * (x[i] - mx);
            sxy += (x[i] - mx) * (y[i] - my);
        }
        if (sxx == 0) {
            return null;
        }
        double slope = sxy / sxx;
        return new LinearTrend(slope, my - slope * mx, n);
    }

    public double at(double x) {
        return intercept + slope * x;
    }

    /**
     * The x at which the line reaches {@code level}, or NaN when it never will (slope not positive). A line
     * already past the level gives an x at or before the present.
     */
    public double reaches(double level) {
        return slope > 0 ? (level - intercept) / slope : Double.NaN;
    }
}
