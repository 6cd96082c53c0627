package org.dsa110.contimg.demo;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.LoggingLevel;
import org.apache.camel.StartupListener;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.PropertiesComponent;
import org.dsa110.contimg.HubSettings;
import org.dsa110.contimg.products.ReferenceCatalog;
import org.dsa110.contimg.science.sim.EseInjection;
import org.dsa110.contimg.science.sim.SimConfig;

/**
 * Demo mode ({@code hub.demo=true}, {@code --demo} or {@code HUB_DEMO=true}): a timer route that drops one small
 * simulated group into the incoming directory every {@code hub.demo.interval.seconds}. At start the demo catalog and
 * truth file are written to {@code hub.demo.dir} and, when {@code hub.catalog.file} is empty, the catalog is loaded
 * as the reference catalog.
 *
 * <p>Observing pattern: cycles of {@code hub.demo.cycle.groups} groups; the first group of each cycle is placed at the
 * transit of a VLA calibrator (so each cycle starts a sidereal day after the previous one and the cycle's other
 * groups re-observe the same fields daily). With {@code hub.demo.ese=true} the brightest source near the centre of
 * the second group of the cycle gets an ESE-like dip centred on cycle {@code hub.demo.ese.cycle}, lasting
 * {@code hub.demo.ese.cycles} cycles, of fractional depth {@code hub.demo.ese.depth}.
 */
public class DemoRoutes extends RouteBuilder {

    public static final String ROUTE_ID = "demo.feeder";

    @Override
    public void configure() throws Exception {
        if (!bool("hub.demo", false)) {
            return;
        }
        HubSettings settings = getContext().getRegistry().lookupByNameAndType("hubSettings", HubSettings.class);
        if (settings == null) {
            throw new IllegalStateException("demo mode needs the hubSettings bean");
        }
        String dir = text("hub.demo.dir", "");
        Path demoDir = dir.isBlank() ? settings.dataDir().resolve("demo") : Path.of(dir).toAbsolutePath();
        DemoFeeder feeder = new DemoFeeder(demoConfig(demoDir), settings.incomingDir());
        getContext().getRegistry().bind("demoFeeder", feeder);
        boolean loadCatalog = text("hub.catalog.file", "").isBlank();
        getContext().addStartupListener((StartupListener) (ctx, alreadyStarted) -> {
            Path catalog = feeder.prepare();
            if (loadCatalog) {
                ReferenceCatalog ref = ctx.getRegistry().lookupByNameAndType("referenceCatalog",
                        ReferenceCatalog.class);
                if (ref != null) {
                    ref.loadIfEmpty(catalog);
                }
            }
        });

        long periodMs = Math.round(number("hub.demo.interval.seconds", 30) * 1000);
        long delayMs = Math.round(number("hub.demo.first.delay.seconds", 5) * 1000);
        if (periodMs < 100 || delayMs < 0) {
            throw new IllegalArgumentException("hub.demo.interval.seconds must be >= 0.1 and the first delay >= 0");
        }
        onException(Exception.class).handled(true)
                .log(LoggingLevel.WARN, "demo feeder failed: ${exception.message}");
        from("timer:demo-feeder?delay=" + delayMs + "&period=" + periodMs)
                .routeId(ROUTE_ID)
                .process(e -> e.getMessage().setBody(feeder.feedNext().map(List::size).orElse(0)));
    }

    /** The demo simulation from the {@code hub.demo.*} keys. */
    SimConfig demoConfig(Path demoDir) {
        int cycle = (int) number("hub.demo.cycle.groups", 2);
        int groups = (int) number("hub.demo.groups", 80);
        if (cycle < 1) {
            throw new IllegalArgumentException("hub.demo.cycle.groups must be >= 1");
        }
        Set<Integer> calibratorGroups = new LinkedHashSet<>();
        if (bool("hub.demo.calibrator", true)) {
            for (int g = 0; g < groups; g += cycle) {
                calibratorGroups.add(g);
            }
        }
        SimConfig cfg = SimConfig.defaults(demoDir)
                .withStart(Instant.parse(text("hub.demo.start", "2026-01-15T08:00:00Z")))
                .withGroups(groups)
                .withAntennas((int) number("hub.demo.antennas", 24))
                .withChannelsPerSubband((int) number("hub.demo.channels", 4))
                .withIntegrations((int) number("hub.demo.integrations", 6))
                .withPointingDecDeg(number("hub.demo.dec", SimConfig.DEFAULT_DEC_DEG))
                .withSefdJy(number("hub.demo.sefd", SimConfig.DEFAULT_SEFD_JY))
                .withSeed((long) number("hub.demo.seed", 1))
                .withCatalogMinFluxMjy(number("hub.demo.catalog.min.flux.mjy", 5))
                .withModelMinApparentMjy(number("hub.demo.model.min.flux.mjy", 2))
                .withCatalogName(text("hub.catalog.name", "NVSS"))
                .withCalibratorGroups(calibratorGroups);
        if (bool("hub.demo.ese", true) && cycle >= 2) {
            int eseCycle = (int) number("hub.demo.ese.cycle", 30);
            int eseCycles = (int) number("hub.demo.ese.cycles", 2);
            // the ESE field is the second group of each cycle: centre the dip on that group of cycle eseCycle
            int centre = eseCycle * cycle + 1;
            int duration = eseCycles * cycle;
            int start = Math.max(0, centre - duration / 2);
            cfg = cfg.withEse(List.of(new EseInjection(EseInjection.AUTO, start, duration,
                    number("hub.demo.ese.depth", 0.6))));
        }
        return cfg;
    }

    private Optional<String> setting(String key) {
        PropertiesComponent pc = getContext().getPropertiesComponent();
        return pc.resolveProperty(key).map(String::trim);
    }

    private String text(String key, String def) {
        return setting(key).orElse(def);
    }

    private boolean bool(String key, boolean def) {
        return setting(key).filter(s -> !s.isEmpty()).map(Boolean::parseBoolean).orElse(def);
    }

    private double number(String key, double def) {
        String v = setting(key).orElse("");
        if (v.isEmpty()) {
            return def;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + v + "'");
        }
    }
}
