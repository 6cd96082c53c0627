package org.dsa110.contimg.science.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dsa110.contimg.science.radio.ArrayLayout;
import org.dsa110.contimg.science.radio.Astrometry;
import org.dsa110.contimg.science.radio.PointSource;
import org.dsa110.contimg.science.radio.PrimaryBeam;
import org.dsa110.contimg.science.radio.SkyGeometry;
import org.dsa110.contimg.science.radio.VlaCalibrator;
import org.dsa110.contimg.science.sim.ObservingPlan.GroupPlan;

/**
 * Simulates DSA-110 drift-scan observations as UVH5 subband files, the way the correlator delivers them: one file
 * per subband, {@code YYYY-MM-DDTHH:MM:SS_sbNN.hdf5}, 16 per group, file-name timestamps jittered by less than
 * {@link SimConfig#jitterSec()} around the group start, groups {@link SimConfig#groupCadenceSec()} apart.
 *
 * <p>The sky is a synthetic NVSS-like catalog ({@link SyntheticCatalog}) over the drift strip of all groups, plus
 * the VLA calibrators in it; calibrator groups are placed at the transit of the chosen calibrator
 * ({@link ObservingPlan}). Visibilities are exact (see {@link SubbandWriter}):
 * V_ij = g_i conj(g_j) Σ_s S_s(ν) B(θ_s, ν) exp(+2πi(u l + v m + w(n − 1))/λ) + noise (the standard convention,
 * docs/conventions.md), predicted at the group's ICRS centre and rephased to the apparent meridian of each integration
 * as the correlator delivers them, Airy primary beam on the meridian, gains from {@link GainModel}, thermal noise
 * from the SEFD. Sidereal time and apparent places come from {@link Astrometry} (JSOFA, zero UT1 − UTC and polar
 * motion).
 * Everything random derives from {@link SimConfig#seed()}: the same configuration gives the same files.
 *
 * <p>Simulating three small groups with the calibrator transiting in group 1:
 * <pre>{@code
 * SimConfig cfg = SimConfig.defaults(dir)
 *         .withGroups(3).withAntennas(24).withChannelsPerSubband(4).withIntegrations(4)
 *         .withCalibratorGroups(Set.of(1));
 * SimulationResult r = new GroupSimulator(cfg).run();   // files, sim_catalog.csv, sim_truth.json in dir
 * r.files().get(1);                                     // the 16 subband files of group 1
 * r.simulator().gains().gain(103, r.simulator().groups().get(1).midJd(), 1.4e9);  // injected gain {re, im}
 * }</pre>
 * For a demo feed, build the simulator once, call {@link #writeCatalog()}, then {@link #writeGroup(int, Path)}
 * group by group.
 */
public final class GroupSimulator {

    /** Sky beyond this angle from the drift strip's meridian is not simulated (past the beam's first null). */
    public static final double SKY_MARGIN_DEG = 3.5;

    private final SimConfig config;
    private final ArrayLayout layout;
    private final Astrometry astrometry;
    private final PrimaryBeam beam = PrimaryBeam.dsa110();
    private final SkySource calibrator;
    private final List<GroupPlan> groups;
    private final List<SyntheticCatalog.Region> regions;
    private final List<SkySource> sky;
    private final List<EseInjection> ese;
    private final Map<String, List<EseInjection>> eseBySource = new HashMap<>();
    private final GainModel gains;
    private final Map<Integer, List<SkySource>> modelCache = new java.util.concurrent.ConcurrentHashMap<>();

    public GroupSimulator(SimConfig config) {
        this.config = config;
        this.layout = ArrayLayout.loadDsa110().selectDefault(config.antennas());
        this.astrometry = new Astrometry(layout.site(), Astrometry.EarthOrientation.ZERO);
        if (config.calibratorGroups().isEmpty()) {
            this.calibrator = null;
        } else {
            VlaCalibrator c = SyntheticCatalog.chooseCalibrator(config.calibratorName(), config.pointingDecDeg());
            this.calibrator = SyntheticCatalog.calibratorSource(c, config.catalogName());
        }
        this.groups = ObservingPlan.plan(config, calibrator, astrometry);
        this.regions = SkyRegions.driftStrips(groups, config.pointingDecDeg(), astrometry, SKY_MARGIN_DEG);
        List<SkySource> s = new ArrayList<>();
        if (config.fixedSky() == null) {
            s.addAll(SyntheticCatalog.generate(regions, config.catalogMinFluxMjy(), config.catalogName(),
                    config.seed()));
            s.addAll(SyntheticCatalog.calibratorsIn(regions, config.catalogName()));
        } else {
            s.addAll(config.fixedSky());
        }
        if (calibrator != null && s.stream().noneMatch(x -> x.sourceId().equals(calibrator.sourceId()))) {
            s.add(calibrator);
        }
        this.sky = List.copyOf(s);
        this.ese = resolveEse(config.ese());
        for (EseInjection e : ese) {
            eseBySource.computeIfAbsent(e.sourceId(), k -> new ArrayList<>()).add(e);
        }
        int[] ants = layout.numbers();
        this.gains = config.gains() ? GainModel.random(ants, groups.get(0).startJd(), config.seed() + 101)
                : GainModel.unit(ants, groups.get(0).startJd());
    }

    private List<EseInjection> resolveEse(List<EseInjection> requested) {
        List<EseInjection> out = new ArrayList<>();
        for (EseInjection e : requested) {
            if (e.isAuto()) {
                GroupPlan field = groups.stream().filter(g -> !g.calibratorTransit()).findFirst().orElse(groups.get(0));
                double[] c = phaseCentre(field.index());
                SkySource t = SyntheticCatalog.pickEseTarget(sky, Math.toDegrees(c[0]), Math.toDegrees(c[1]), 0.4,
                        0.02).orElseThrow(() -> new IllegalArgumentException("no source of at least 20 mJy within "
                        + "0.4 deg of the centre of group " + field.index() + " for an automatic ESE"));
                out.add(e.withSourceId(t.sourceId()));
            } else {
                SkySource t = findSource(e.sourceId()).orElseThrow(() -> new IllegalArgumentException(
                        "ESE source " + e.sourceId() + " is not in the simulated sky"));
                out.add(e.withSourceId(t.sourceId()));
            }
        }
        return List.copyOf(out);
    }

    /** A sky source by id or display name. */
    public Optional<SkySource> findSource(String idOrName) {
        String k = idOrName.trim();
        return sky.stream().filter(s -> s.sourceId().equalsIgnoreCase(k) || s.name().equalsIgnoreCase(k)).findFirst();
    }

    public SimConfig config() {
        return config;
    }

    public ArrayLayout layout() {
        return layout;
    }

    /** Sidereal time and apparent places of the simulation (the array's site, zero Earth-orientation terms). */
    public Astrometry astrometry() {
        return astrometry;
    }

    /** ICRS phase centre of group {@code g}: the apparent meridian at the pointing declination at its mid-time. */
    public double[] phaseCentre(int g) {
        return astrometry.meridianIcrs(groups.get(g).midJd(), Math.toRadians(config.pointingDecDeg()));
    }

    public PrimaryBeam beam() {
        return beam;
    }

    /** The calibrator placed in the calibrator groups, if there are any. */
    public Optional<SkySource> calibrator() {
        return Optional.ofNullable(calibrator);
    }

    public List<GroupPlan> groups() {
        return groups;
    }

    /** Sky regions the catalog covers (J2000). */
    public List<SyntheticCatalog.Region> regions() {
        return regions;
    }

    /** Every simulated source (catalog sources and calibrators). */
    public List<SkySource> sky() {
        return sky;
    }

    /** The ESE events, with resolved source ids. */
    public List<EseInjection> ese() {
        return ese;
    }

    public GainModel gains() {
        return gains;
    }

    /** Flux density of a source at 1.4 GHz in group {@code g}, ESE dips included [Jy]. */
    public double fluxJy(SkySource s, int g) {
        double f = s.fluxJy();
        for (EseInjection e : eseBySource.getOrDefault(s.sourceId(), List.of())) {
            f *= e.factor(g);
        }
        return f;
    }

    /** Channel centre frequencies of subband {@code sb} (descending: sb00 holds the highest frequencies). */
    public double[] subbandFrequencies(int sb) {
        return SubbandWriter.frequencies(sb, config.channelsPerSubband());
    }

    /** Channel width of every channel [Hz]. */
    public double channelWidthHz() {
        return SubbandWriter.SUBBAND_BANDWIDTH_HZ / config.channelsPerSubband();
    }

    /**
     * The sources in group {@code g}'s visibilities: those whose beam-weighted flux at band centre reaches
     * {@link SimConfig#modelMinApparentMjy()} at some integration.
     */
    public List<SkySource> modelSources(int g) {
        return modelCache.computeIfAbsent(g, this::selectModelSources);
    }

    private List<SkySource> selectModelSources(int g) {
        GroupPlan plan = groups.get(g);
        double decRad = Math.toRadians(config.pointingDecDeg());
        double[][] centres = new double[plan.timesJd().length][];
        for (int t = 0; t < centres.length; t++) {
            centres[t] = ObservingPlan.meridianIcrs(plan.timesJd()[t], decRad, astrometry);
        }
        double floorJy = config.modelMinApparentMjy() / 1000.0;
        double freq = SubbandWriter.BAND_CENTRE_HZ;
        List<SkySource> out = new ArrayList<>();
        for (SkySource s : sky) {
            double flux = fluxJy(s, g) * Math.pow(freq / SkySource.REF_FREQ_HZ, s.spectralIndex());
            double best = 0;
            for (double[] c : centres) {
                double sep = SkyGeometry.separationRad(s.raRad(), s.decRad(), c[0], c[1]);
                if (sep < Math.PI / 2) {
                    best = Math.max(best, beam.response(sep, freq) * flux);
                }
            }
            if (best >= floorJy && best > 0) {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }

    /** The point-source model of group {@code g} (ICRS positions, fluxes of the group). */
    public List<PointSource> pointSources(int g) {
        List<PointSource> out = new ArrayList<>();
        for (SkySource s : modelSources(g)) {
            out.add(new PointSource(s.raRad(), s.decRad(), fluxJy(s, g), s.spectralIndex(), SkySource.REF_FREQ_HZ));
        }
        return out;
    }

    /** Writes the catalog CSV ({@link SimConfig#catalogPath()}). */
    public Path writeCatalog() throws IOException {
        Path p = config.catalogPath();
        SyntheticCatalog.writeCsv(sky, p);
        return p;
    }

    /** Writes the truth JSON ({@link SimConfig#truthPath()}). */
    public Path writeTruth() throws IOException {
        Path p = config.truthPath();
        SimulationTruth.write(this, p);
        return p;
    }

    /** Writes group {@code g}'s subband files into {@link SimConfig#outputDir()}. */
    public List<Path> writeGroup(int g) throws IOException {
        return writeGroup(g, config.outputDir());
    }

    /** Writes group {@code g}'s subband files (sb00 first) into {@code dir}, each atomically; returns their paths. */
    public List<Path> writeGroup(int g, Path dir) throws IOException {
        if (g < 0 || g >= groups.size()) {
            throw new IllegalArgumentException("group " + g + " is outside 0.." + (groups.size() - 1));
        }
        Files.createDirectories(dir);
        return new SubbandWriter(this, g).writeAll(dir);
    }

    /** Catalog, every group and the truth file. */
    public SimulationResult run() throws IOException {
        Files.createDirectories(config.outputDir());
        Path catalog = writeCatalog();
        List<List<Path>> files = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            files.add(writeGroup(g));
        }
        Path truth = writeTruth();
        return new SimulationResult(this, files, catalog, truth);
    }

    /** What {@link #run()} wrote. */
    public record SimulationResult(GroupSimulator simulator, List<List<Path>> files, Path catalogFile,
                                   Path truthFile) {
    }
}
