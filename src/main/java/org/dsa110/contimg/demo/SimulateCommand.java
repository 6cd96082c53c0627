package org.dsa110.contimg.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.dsa110.contimg.science.sim.EseInjection;
import org.dsa110.contimg.science.sim.GroupSimulator;
import org.dsa110.contimg.science.sim.SimConfig;

/**
 * The {@code simulate} command: {@code java -jar contimg-hub.jar simulate --out DIR --groups N [options]} writes
 * simulated subband files, the catalog CSV and the truth JSON. Exit codes: 0 done, 1 the simulation failed,
 * 2 bad arguments (usage on stderr).
 */
public final class SimulateCommand {

    public static final String NAME = "simulate";
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    static final String USAGE = String.join("\n",
            "usage: contimg-hub simulate --out DIR [options]",
            "  --out DIR                 directory for the subband files (created; required)",
            "  --groups N                number of groups (default 1)",
            "  --antennas N              antennas, 2-117 (default 96)",
            "  --channels N              channels per subband (default 48)",
            "  --subbands N              subband files per group (default 16)",
            "  --integrations N          integrations per group (default 24, 12.88 s each)",
            "  --start UTC               earliest start, e.g. 2026-01-15T08:00:00Z (default that)",
            "  --dec DEG                 pointing declination (default 54.57)",
            "  --sefd JY                 system equivalent flux density, 0 = no noise (default 5800)",
            "  --seed N                  random seed (default 1)",
            "  --calibrator-groups LIST  group indices placed at a calibrator transit, e.g. 0,2",
            "  --calibrator NAME         VLA calibrator to use (default: best for the declination)",
            "  --ese SOURCE_ID|auto      inject an ESE-like dip on a source (repeatable)",
            "  --ese-start G             first group of the dip (default 0)",
            "  --ese-duration N          length of the dip in groups (default: all groups)",
            "  --ese-depth D             fractional depth of the dip, 0-1 (default 0.5)",
            "  --no-gains                unit antenna gains",
            "  --catalog-min-flux MJY    faintest catalog source (default 5)",
            "  --model-min-flux MJY      faintest beam-weighted flux put in the visibilities (default 1)",
            "  --catalog FILE            catalog CSV (default DIR/sim_catalog.csv)",
            "  --truth FILE              truth JSON (default DIR/sim_truth.json)",
            "  --help                    this text");

    /** Bad command-line arguments. */
    public static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    private SimulateCommand() {
    }

    /** Runs the command; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        SimConfig cfg;
        try {
            if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
                out.println(USAGE);
                return EXIT_OK;
            }
            cfg = parse(args);
        } catch (UsageException | IllegalArgumentException e) {
            err.println("simulate: " + e.getMessage());
            err.println(USAGE);
            return EXIT_USAGE;
        }
        try {
            long t0 = System.nanoTime();
            GroupSimulator sim = new GroupSimulator(cfg);
            GroupSimulator.SimulationResult r = sim.run();
            double sec = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "simulated %d group(s) of %d subbands in %.1f s into %s%n", cfg.groups(),
                    cfg.subbands(), sec, cfg.outputDir().toAbsolutePath());
            for (int g = 0; g < sim.groups().size(); g++) {
                out.printf(Locale.ROOT, "  group %d  %s  %d model sources%s%n", g, sim.groups().get(g).groupId(),
                        sim.modelSources(g).size(), sim.groups().get(g).calibratorTransit()
                                ? "  calibrator " + sim.calibrator().orElseThrow().name() : "");
            }
            for (EseInjection e : sim.ese()) {
                out.printf(Locale.ROOT, "  ESE on %s: groups %d-%d, depth %.2f%n", e.sourceId(), e.startGroup(),
                        e.startGroup() + e.durationGroups(), e.depth());
            }
            out.println("catalog: " + r.catalogFile().toAbsolutePath());
            out.println("truth:   " + r.truthFile().toAbsolutePath());
            return EXIT_OK;
        } catch (IllegalArgumentException e) {
            err.println("simulate: " + e.getMessage());
            return EXIT_USAGE;
        } catch (IOException | RuntimeException e) {
            err.println("simulate failed: " + e);
            return EXIT_FAILED;
        }
    }

    /** Parses the arguments (after the command name) into a configuration. */
    public static SimConfig parse(String[] args) throws UsageException {
        Path out = null;
        SimConfig cfg = SimConfig.defaults(Path.of("."));
        List<String> eseSources = new ArrayList<>();
        Integer eseStart = null;
        Integer eseDuration = null;
        double eseDepth = 0.5;
        Set<Integer> calibratorGroups = Set.of();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--no-gains" -> cfg = cfg.withGains(false);
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--groups" -> cfg = cfg.withGroups(intValue(args, ++i, a));
                case "--antennas" -> cfg = cfg.withAntennas(intValue(args, ++i, a));
                case "--channels" -> cfg = cfg.withChannelsPerSubband(intValue(args, ++i, a));
                case "--subbands" -> cfg = cfg.withSubbands(intValue(args, ++i, a));
                case "--integrations" -> cfg = cfg.withIntegrations(intValue(args, ++i, a));
                case "--start" -> cfg = cfg.withStart(instant(value(args, ++i, a)));
                case "--dec" -> cfg = cfg.withPointingDecDeg(doubleValue(args, ++i, a));
                case "--sefd" -> cfg = cfg.withSefdJy(doubleValue(args, ++i, a));
                case "--seed" -> cfg = cfg.withSeed(longValue(args, ++i, a));
                case "--calibrator-groups" -> calibratorGroups = intList(value(args, ++i, a), a);
                case "--calibrator" -> cfg = cfg.withCalibratorName(value(args, ++i, a));
                case "--ese" -> eseSources.add(value(args, ++i, a));
                case "--ese-start" -> eseStart = intValue(args, ++i, a);
                case "--ese-duration" -> eseDuration = intValue(args, ++i, a);
                case "--ese-depth" -> eseDepth = doubleValue(args, ++i, a);
                case "--catalog-min-flux" -> cfg = cfg.withCatalogMinFluxMjy(doubleValue(args, ++i, a));
                case "--model-min-flux" -> cfg = cfg.withModelMinApparentMjy(doubleValue(args, ++i, a));
                case "--catalog" -> cfg = cfg.withCatalogFile(Path.of(value(args, ++i, a)));
                case "--truth" -> cfg = cfg.withTruthFile(Path.of(value(args, ++i, a)));
                default -> throw new UsageException("unknown argument '" + a + "'");
            }
        }
        if (out == null) {
            throw new UsageException("--out DIR is required");
        }
        if (eseSources.isEmpty() && (eseStart != null || eseDuration != null)) {
            throw new UsageException("--ese-start/--ese-duration need --ese SOURCE_ID");
        }
        for (int g : calibratorGroups) {
            if (g < 0 || g >= cfg.groups()) {
                throw new UsageException("--calibrator-groups: group " + g + " is outside 0.." + (cfg.groups() - 1));
            }
        }
        cfg = cfg.withCalibratorGroups(calibratorGroups);
        List<EseInjection> ese = new ArrayList<>();
        for (String s : eseSources) {
            int start = eseStart == null ? 0 : eseStart;
            int duration = eseDuration == null ? Math.max(1, cfg.groups() - start) : eseDuration;
            ese.add(new EseInjection(s, start, duration, eseDepth));
        }
        return cfg.withOutputDir(out).withEse(ese);
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    private static int intValue(String[] args, int i, String option) throws UsageException {
        String v = value(args, i, option);
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(option + " needs an integer, got '" + v + "'");
        }
    }

    private static long longValue(String[] args, int i, String option) throws UsageException {
        String v = value(args, i, option);
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(option + " needs an integer, got '" + v + "'");
        }
    }

    private static double doubleValue(String[] args, int i, String option) throws UsageException {
        String v = value(args, i, option);
        try {
            double d = Double.parseDouble(v.trim());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " needs a number, got '" + v + "'");
        }
    }

    private static Set<Integer> intList(String v, String option) throws UsageException {
        Set<Integer> out = new LinkedHashSet<>();
        for (String p : v.split(",")) {
            if (p.isBlank()) {
                continue;
            }
            try {
                out.add(Integer.parseInt(p.trim()));
            } catch (NumberFormatException e) {
                throw new UsageException(option + " needs comma-separated group indices, got '" + v + "'");
            }
        }
        return out;
    }

    private static Instant instant(String v) throws UsageException {
        try {
            return Instant.parse(v.endsWith("Z") ? v : v + "Z");
        } catch (DateTimeParseException e) {
            throw new UsageException("--start needs a UTC time like 2026-01-15T08:00:00Z, got '" + v + "'");
        }
    }
}
