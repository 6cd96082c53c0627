package org.dsa110.contimg.validation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The validation report (issue 15 point 8): runs the reference group, N simulated groups and E epochs of a steady
 * field through the hub's own stages in-process, compares with the truth from outside the pipeline (the reference
 * group's truth.json; the simulator's injected sky and gains) and with WSClean on the same visibilities, and writes
 * {@code docs/validation.md}. Not a test: {@code bench/validate.sh [--full] [options]} runs it (usage: --help).
 */
public final class ValidationReport {
    /** What to run; {@link #parse} documents the flags. */
    record Options(boolean full, int groups, int epochs, long seed, int threads, boolean wsclean, Path referenceDir,
                   int referenceMaxSize, int antennas, int channels, int integrations, int maxSize, int epochAntennas,
                   int epochChannels, int epochIntegrations, int epochMaxSize, Path out, Path work, boolean keep,
                   boolean reference, boolean simulated, boolean steady, String command) {
    }

    static final String USAGE = """
            usage: bench/validate.sh [--full] [--groups N] [--epochs E] [--seed S] [--threads T] [--no-wsclean]
                                     [--reference DIR] [--out FILE] [--work DIR] [--keep]
                                     [--reference-max-size PX] [--max-size PX] [--epoch-max-size PX]
                                     [--skip-reference] [--skip-simulated] [--skip-epochs]
              (imaging max-size caps: 0 = the pipeline's own size, the 3.5 deg field)
              default: reference group (imaging capped at 2048 px), 1 small simulated target group (24 antennas,
                       16 x 4 channels, 6 integrations, 2048 px), 40 steady epochs of the same size (2048 px)
              --full:  reference and 1 full-size group (96 antennas, 16 x 48 channels, 24 integrations) at the
                       pipeline's own image size (3.5 deg field); needs a heap > 6 GB (BENCH_XMX, default 14g)
            """;

    private ValidationReport() {
    }

    public static void main(String[] args) throws Exception {
        int status = 0;
        try {
            Options o = parse(args);
            if (o != null) {
                run(o);
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            status = 2;
        } catch (Throwable t) {
            t.printStackTrace();
            status = 1;
        }
        System.exit(status); // H2 file stores keep non-daemon threads alive
    }

    static Options parse(String[] args) {
        boolean full = List.of(args).contains("--full");
        int groups = 1, epochs = 40, threads = 2;
        int refMax = full ? 0 : 2048, maxSize = full ? 0 : 2048, epochMax = 2048;
        long seed = 11;
        boolean wsclean = true, keep = false, ref = true, sim = true, steady = true;
        Path refDir = Path.of("src/test/resources/reference-group");
        Path out = Path.of("docs/validation.md");
        Path work = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--full" -> { }
                case "--groups" -> groups = Integer.parseInt(value(args, ++i, a));
                case "--epochs" -> epochs = Integer.parseInt(value(args, ++i, a));
                case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
                case "--threads" -> threads = Integer.parseInt(value(args, ++i, a));
                case "--reference-max-size" -> refMax = Integer.parseInt(value(args, ++i, a));
                case "--max-size" -> maxSize = Integer.parseInt(value(args, ++i, a));
                case "--epoch-max-size" -> epochMax = Integer.parseInt(value(args, ++i, a));
                case "--no-wsclean" -> wsclean = false;
                case "--reference" -> refDir = Path.of(value(args, ++i, a));
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--work" -> work = Path.of(value(args, ++i, a));
                case "--keep" -> keep = true;
                case "--skip-reference" -> ref = false;
                case "--skip-simulated" -> sim = false;
                case "--skip-epochs" -> steady = false;
                case "--help", "-h" -> {
                    System.out.print(USAGE);
                    return null;
                }
                default -> throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        if (groups < 1 || epochs < 0 || threads < 1 || refMax < 0 || maxSize < 0 || epochMax < 0) {
            throw new IllegalArgumentException("need --groups >= 1, --epochs >= 0, --threads >= 1, sizes >= 0");
        }
        return new Options(full, groups, epochs, seed, threads, wsclean, refDir, refMax, full ? 96 : 24,
                full ? 48 : 4, full ? 24 : 6, maxSize, 24, 4, 6, epochMax, out, work, keep, ref, sim, steady,
                "bench/validate.sh " + String.join(" ", args));
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    static void run(Options o) throws Exception {
        Instant started = Instant.now();
        String commit = commit(); // what is measured: the tree as the run starts
        String machine = machine();
        Path work = o.work() != null ? Files.createDirectories(o.work()) : Files.createTempDirectory("validate");
        log("validation run in %s: %s", work, o);
        long t0 = System.nanoTime();
        try {
            // the report is rewritten after each section and every few epochs, so a run stopped early still
            // leaves a report of what it measured (the report says which parts are missing)
            Progress p = new Progress(o, started, machine, commit, t0);
            p.ref = o.reference() ? ReferenceSection.run(o, work) : null;
            p.tRef = (System.nanoTime() - t0) / 1e9;
            p.write(false);
            p.sim = o.simulated() ? SimulatedSection.run(o, work) : null;
            p.tSim = (System.nanoTime() - t0) / 1e9 - p.tRef;
            p.write(false);
            if (o.steady() && o.epochs() > 0) {
                p.steady = SteadyEpochs.run(o, work, partial -> {
                    p.steady = partial;
                    p.write(false);
                });
            }
            p.write(true);
            log("wrote %s (%.0f s)", o.out(), (System.nanoTime() - t0) / 1e9);
        } finally {
            if (!o.keep() && o.work() == null) {
                try (var files = Files.walk(work)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /** The outcomes so far and the report they make. */
    private static final class Progress {
        final Options o;
        final Instant started;
        final String machine;
        final String commit;
        final long t0;
        ReferenceSection.Outcome ref;
        SimulatedSection.Outcome sim;
        SteadyEpochs.Outcome steady;
        double tRef;
        double tSim;

        Progress(Options o, Instant started, String machine, String commit, long t0) {
            this.o = o;
            this.started = started;
            this.machine = machine;
            this.commit = commit;
            this.t0 = t0;
        }

        void write(boolean complete) throws IOException {
            String md = ReportWriter.write(o, new ReportWriter.Run(started, (System.nanoTime() - t0) / 1e9, tRef,
                    tSim, machine, commit, complete), ref, sim, steady);
            Path parent = o.out().toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, ".validation", ".md");
            Files.writeString(tmp, md, StandardCharsets.UTF_8);
            Files.move(tmp, o.out(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** The CLEAN outcome of a builtin imaging stage, from its metrics. */
    /** Iterations, major cycles and whether the threshold stopped it, from either imager's metrics. */
    static String cleanNote(Map<String, Object> m) {
        if (m.get("clean_iterations") == null) {
            return "niter " + m.get("niter") + " (iterations not reported)";
        }
        return String.format(Locale.ROOT, "%s iterations, %s major cycles, %s", m.get("clean_iterations"),
                m.get("major_cycles"), Boolean.TRUE.equals(m.get("clean_converged")) ? "threshold reached"
                        : "stopped by a safety cap");
    }

    static void log(String fmt, Object... args) {
        System.out.printf(Locale.ROOT, "[%s] %s%n", Instant.now().truncatedTo(ChronoUnit.SECONDS),
                String.format(Locale.ROOT, fmt, args));
        System.out.flush();
    }

    /** Cores, memory, OS, JVM and load: what the figures were measured on. */
    static String machine() {
        Runtime rt = Runtime.getRuntime();
        String load = "";
        try {
            load = ", load average at start " + Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            // not Linux: no load figure
        }
        return String.format(Locale.ROOT, "%d cores, max heap %d MB, %s %s (%s), Java %s%s", rt.availableProcessors(),
                rt.maxMemory() >> 20, System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("os.arch"), System.getProperty("java.version"), load);
    }

    /** The commit the run measured, with "+ uncommitted changes" when the tree is dirty. */
    static String commit() {
        String head = git("rev-parse", "--short=12", "HEAD");
        if (head == null) {
            return "unknown (not a git checkout)";
        }
        String dirty = git("status", "--porcelain", "--untracked-files=no", "--", "src", "processors", "config");
        return head + (dirty != null && !dirty.isBlank() ? " + uncommitted changes" : "");
    }

    private static String git(String... args) {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String outText = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? outText : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
