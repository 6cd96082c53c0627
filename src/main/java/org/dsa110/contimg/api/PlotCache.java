package org.dsa110.contimg.api;

import java.util.function.Supplier;
import org.dsa110.contimg.monitoring.HubCache;
import org.dsa110.contimg.plots.Plot;

/**
 * Serves plots through the {@link HubCache}. A key names the plot, its parameters and a version stamp of the data
 * it draws (e.g. the newest history row), so new data is drawn at once and unchanged data is rendered once per
 * cache lifetime. The response says in {@code X-Plot-Empty} whether it is the "no data" image.
 */
public final class PlotCache {
    public static final String EMPTY_HEADER = "X-Plot-Empty";
    public static final String PREFIX = "plot:";

    private final HubCache cache;

    public PlotCache(HubCache cache) {
        this.cache = cache;
    }

    /** Key {@code plot:<name>:<params>:v=<version>}; no characters that need escaping in a URL path but ':'. */
    public static String key(String name, String params, String version) {
        return PREFIX + name + ":" + params + ":v=" + version.replaceAll("[\\s?#%]", "_");
    }

    public ApiResponse png(String key, Supplier<Plot> render) {
        Plot plot = cache.get(key, render);
        return ApiResponse.png(plot.png()).withHeader(EMPTY_HEADER, String.valueOf(plot.empty()));
    }
}
