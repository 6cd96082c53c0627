package org.dsa110.contimg.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.dsa110.contimg.monitoring.HubCache;
import org.dsa110.contimg.api.PlotCache;
import org.dsa110.contimg.monitoring.QueueHealth;
import org.dsa110.contimg.monitoring.TimeWindow;
import org.dsa110.contimg.plots.Plot;
import org.dsa110.contimg.plots.Plots;

/** /api/queue-health/metrics and plots, from the recorded group state transitions. */
public class QueueHealthApi extends ApiRoutes {

    @Override
    public void configure() {
        QueueHealth queue = lookup("queueHealth", QueueHealth.class);
        PlotCache plots = new PlotCache(lookup("hubCache", HubCache.class));

        get("/queue-health/metrics", "queue-health.metrics",
                "Queue depth, transitions, completion/failure rates and time to completion (hours)",
                req -> queue.metrics(PerformanceApi.hours(req)))
                .queryInt("hours", 24, 1, 24 * 365).returns(QueueHealth.QueueHealthReport.class);
        plot(plots, queue, "depth-trends", "PNG: groups in each queued state over time", w -> depth(queue, w));
        plot(plots, queue, "processing-rate", "PNG: groups completed and failed per hour", w -> rate(queue, w));
        plot(plots, queue, "state-transitions", "PNG: transitions by kind", w -> transitions(queue, w));
        plot(plots, queue, "time-to-completion", "PNG: distribution of time to completion (min)",
                w -> timeToCompletion(queue, w));
    }

    private void plot(PlotCache plots, QueueHealth queue, String name, String summary,
            Function<TimeWindow, Plot> render) {
        get("/queue-health/plots/" + name, "queue-health.plots." + name, summary, req -> {
            int hours = PerformanceApi.hours(req);
            return plots.png(PlotCache.key("queue-health/" + name, "hours=" + hours, queue.dataVersion()),
                    () -> render.apply(TimeWindow.lastHours(hours)));
        })
                .queryInt("hours", 24, 1, 24 * 365)
                .returnsMedia(200, "image/png", "Plot (X-Plot-Empty: true when there is no data)");
    }

    static Plot depth(QueueHealth queue, TimeWindow w) {
        List<Map<String, Object>> transitions = queue.transitions(w);
        Map<String, double[]> depth = queue.depthPerBin(w, transitions);
        String title = PerformanceApi.title("Queue depth", w);
        boolean any = transitions.size() > 0 || depth.values().stream()
                .anyMatch(d -> java.util.Arrays.stream(d).anyMatch(v -> v > 0));
        if (!any) {
            return Plots.noData(title, "no groups in the queue during the window");
        }
        List<Plots.TimeSeries> lines = new ArrayList<>();
        List<java.time.Instant> ends = new ArrayList<>();
        for (int i = 0; i < w.binCount(); i++) {
            ends.add(w.start().plus(w.bin().multipliedBy(i + 1L)));
        }
        depth.forEach((state, values) -> lines.add(new Plots.TimeSeries(state, ends,
                java.util.Arrays.stream(values).boxed().toList())));
        return Plots.timeSeries(title, "Groups in state", lines);
    }

    static Plot rate(QueueHealth queue, TimeWindow w) {
        List<Map<String, Object>> transitions = queue.transitions(w);
        String title = PerformanceApi.title("Processing rate", w);
        double perHour = w.bin().toMinutes() / 60.0;
        List<Plots.TimeSeries> lines = new ArrayList<>();
        boolean any = false;
        for (String state : List.of("completed", "failed")) {
            double[] counts = queue.arrivalsPerBin(w, transitions, state);
            any |= java.util.Arrays.stream(counts).anyMatch(c -> c > 0);
            lines.add(new Plots.TimeSeries(state, w.binCentres(),
                    java.util.Arrays.stream(counts).map(c -> c / perHour).boxed().toList()));
        }
        return any ? Plots.timeSeries(title, "Groups per hour", lines)
                : Plots.noData(title, "no group completed or failed in the window");
    }

    static Plot transitions(QueueHealth queue, TimeWindow w) {
        List<String> kinds = new ArrayList<>();
        List<Double> counts = new ArrayList<>();
        for (QueueHealth.TransitionCount t : queue.transitionCounts(w)) {
            kinds.add((t.fromState() == null ? "created" : t.fromState()) + " -> " + t.toState());
            counts.add((double) t.count());
        }
        String title = PerformanceApi.title("State transitions", w);
        Map<String, List<Double>> series = new LinkedHashMap<>();
        series.put("transitions", counts);
        return kinds.isEmpty() ? Plots.noData(title, "no state transitions in the window")
                : Plots.bars(title, "Transition", "Count (groups)", kinds, series);
    }

    static Plot timeToCompletion(QueueHealth queue, TimeWindow w) {
        double[] minutes = java.util.Arrays.stream(queue.timesToCompletion(w)).map(s -> s / 60.0).toArray();
        return Plots.histogram(PerformanceApi.title("Time to completion", w), "Time to completion (min)",
                "Groups", minutes, 12);
    }
}
