package org.dsa110.contimg.science.sim;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.dsa110.contimg.science.radio.ArrayLayout;
import org.dsa110.contimg.science.radio.DriftScan;

/**
 * What {@link GroupSimulator} simulates. Start from {@link #defaults(Path)} (a full-size DSA-110 group: 96
 * antennas, 16 subbands × 48 channels, 24 × 12.88 s integrations) and change fields with the {@code with…}
 * methods.
 *
 * @param outputDir           where subband files go
 * @param start               earliest start of the first group (UTC); a calibrator group starts at the next
 *                            transit of the calibrator instead
 * @param groups              number of groups
 * @param antennas            antennas used ({@link ArrayLayout#selectDefault}: all outriggers, then evenly
 *                            spaced core stations)
 * @param subbands            subband files per group (16 for DSA-110; sb00 is the highest frequency)
 * @param channelsPerSubband  channels per subband; the subband always spans 11.71875 MHz, so fewer channels
 *                            are wider
 * @param integrations        integrations per group
 * @param integrationSec      integration time [s]
 * @param groupCadenceSec     start-to-start spacing of consecutive groups [s]
 * @param pointingDecDeg      pointing (and phase-centre) declination [deg]
 * @param sefdJy              system equivalent flux density per antenna [Jy]; 0 = noiseless
 * @param seed                seed of every random choice (catalog, gains, noise, jitter)
 * @param calibratorGroups    group indices positioned so that the calibrator transits at their centre
 * @param calibratorName      VLA calibrator (J2000 or alternative name); null = the best one for the pointing
 * @param ese                 injected ESE-like events
 * @param gains               true = per-antenna complex gains; false = unit gains
 * @param catalogMinFluxMjy   faintest catalog source [mJy at 1.4 GHz]
 * @param modelMinApparentMjy catalog sources whose beam-weighted flux stays below this in a group are left out
 *                            of that group's visibilities (they are far below the noise)
 * @param jitterSec           file-name timestamps differ from the group start by less than this [s]
 * @param catalogName         catalog name the hub loads the catalog under (source ids are {@code <name> J…})
 * @param catalogFile         catalog CSV; null = {@code outputDir/sim_catalog.csv}
 * @param truthFile           truth JSON; null = {@code outputDir/sim_truth.json}
 * @param fixedSky            null = a synthetic NVSS-like catalog; otherwise exactly these sources (the
 *                            calibrator is added when there are calibrator groups)
 */
public record SimConfig(Path outputDir, Instant start, int groups, int antennas, int subbands,
                        int channelsPerSubband, int integrations, double integrationSec, double groupCadenceSec,
                        double pointingDecDeg, double sefdJy, long seed, Set<Integer> calibratorGroups,
                        String calibratorName, List<EseInjection> ese, boolean gains, double catalogMinFluxMjy,
                        double modelMinApparentMjy, double jitterSec, String catalogName, Path catalogFile,
                        Path truthFile, List<SkySource> fixedSky) {

    /** DSA-110 subbands per group. */
    public static final int DSA110_SUBBANDS = 16;
    /** DSA-110 channels per subband. */
    public static final int DSA110_CHANNELS = 48;
    /** Nominal spacing of consecutive groups [s]. */
    public static final double DSA110_CADENCE_SEC = 309.0;
    /** Most common DSA-110 pointing declination [deg]. */
    public static final double DEFAULT_DEC_DEG = 54.57;
    /** Default SEFD [Jy]: T_sys ≈ 25 K over a 4.7 m dish at ~70 % aperture efficiency. */
    public static final double DEFAULT_SEFD_JY = 5800.0;

    public SimConfig {
        Objects.requireNonNull(outputDir, "outputDir");
        Objects.requireNonNull(start, "start");
        require(groups >= 1, "groups must be >= 1");
        require(antennas >= 2 && antennas <= 117, "antennas must be in 2..117");
        require(subbands >= 1 && subbands <= 100, "subbands must be in 1..100");
        require(channelsPerSubband >= 1, "channels per subband must be >= 1");
        require(integrations >= 1, "integrations must be >= 1");
        require(integrationSec > 0, "integration time must be positive");
        // DSA-110 itself: 24 × 12.885 s = 309.2 s of data every 309 s
        require(groupCadenceSec >= 0.5 * integrations * integrationSec,
                "group cadence must be at least half the group's duration (integrations × integration time)");
        require(pointingDecDeg > -90 && pointingDecDeg < 90, "pointing declination must be in (-90, 90)");
        require(sefdJy >= 0 && Double.isFinite(sefdJy), "SEFD must be >= 0");
        calibratorGroups = Set.copyOf(new TreeSet<>(calibratorGroups == null ? Set.of() : calibratorGroups));
        for (int g : calibratorGroups) {
            require(g >= 0 && g < groups, "calibrator group " + g + " is outside 0.." + (groups - 1));
        }
        ese = List.copyOf(ese == null ? List.of() : ese);
        require(catalogMinFluxMjy > 0, "catalog minimum flux must be positive");
        require(modelMinApparentMjy >= 0, "model minimum apparent flux must be >= 0");
        require(jitterSec >= 0 && jitterSec < groupCadenceSec / 2, "jitter must be in [0, cadence/2)");
        catalogName = catalogName == null || catalogName.isBlank() ? "NVSS" : catalogName.trim();
        fixedSky = fixedSky == null ? null : List.copyOf(fixedSky);
    }

    /** A full-size DSA-110 simulation of one group at the default declination, seed 1, written to {@code dir}. */
    public static SimConfig defaults(Path dir) {
        return new SimConfig(dir, Instant.parse("2026-01-15T08:00:00Z"), 1, ArrayLayout.DEFAULT_ANTENNA_COUNT,
                DSA110_SUBBANDS, DSA110_CHANNELS, 24, DriftScan.DSA110_INTEGRATION_SEC, DSA110_CADENCE_SEC,
                DEFAULT_DEC_DEG, DEFAULT_SEFD_JY, 1L, Set.of(), null, List.of(), true, 5.0, 1.0, 30.0, "NVSS",
                null, null, null);
    }

    public Path catalogPath() {
        return catalogFile != null ? catalogFile : outputDir.resolve("sim_catalog.csv");
    }

    public Path truthPath() {
        return truthFile != null ? truthFile : outputDir.resolve("sim_truth.json");
    }

    /** Duration of one group's data [s]. */
    public double groupDurationSec() {
        return integrations * integrationSec;
    }

    public SimConfig withOutputDir(Path v) {
        return new SimConfig(v, start, groups, antennas, subbands, channelsPerSubband, integrations, integrationSec,
                groupCadenceSec, pointingDecDeg, sefdJy, seed, calibratorGroups, calibratorName, ese, gains,
                catalogMinFluxMjy, modelMinApparentMjy, jitterSec, catalogName, catalogFile, truthFile, fixedSky);
    }

    public SimConfig withStart(Instant v) {
        return new SimConfig(outputDir, v, groups, antennas, subbands, channelsPerSubband, integrations,
                integrationSec, groupCadenceSec, pointingDecDeg, sefdJy, seed, calibratorGroups, calibratorName, ese,
                gains, catalogMinFluxMjy, modelMinApparentMjy, jitterSec, catalogName, catalogFile, truthFile,
                fixedSky);
    }

    public SimConfig withGroups(int v) {
        return new SimConfig(outputDir, start, v, antennas, subbands, channelsPerSubband, integrations,
                integrationSec, groupCadenceSec, pointingDecDeg, sefdJy, seed, calibratorGroups, calibratorName, ese,
                gains, catalogMinFluxMjy, modelMinApparentMjy, jitterSec, catalogName, catalogFile, truthFile,
                fixedSky);
    }

    public SimConfig withAntennas(int v) {
        return new SimConfig(outputDir, start, groups, v, subbands, channelsPerSubband, integrations,
                integrationSec, groupCadenceSec, pointingDecDeg, sefdJy, seed, calibratorGroups, calibratorName, ese,
                gains, catalogMinFluxMjy, modelMinApparentMjy, jitterSec, catalogName, catalogFile, truthFile,
                fixedSky);
    }

    public SimConfig withSubbands(int v) {
        return new SimConfig(outputDir, start, groups, antennas, v, channelsPerSubband, integrations,
                integrationSec, groupCadenceSec, pointingDecDeg, sefdJy, seed, calibratorGroups, calibratorName, ese,
                gains, catalogMinFluxMjy, modelMinApparentMjy, jitterSec, catalogName, catalogFile, truthFile,
                fixedSky);
    }

    public SimConfig withChannelsPerSubband(int v) {
        return new SimConfig(outputDir, start, groups, antennas, subbands, v, integrations, integrationSec,
                groupCadenceSec, pointingDecDeg, sefdJy, seed, calibratorGroups, calibratorName, ese, gains,
                catalogMinFluxMjy, modelMinApparentMjy, jitterSec, catalogName, catalogFile, truthFile, fixedSky);
    }

    public SimConfig withIntegrations(int v) {
        return new SimConfig(outputDir, start, groups, antennas, subbands, channelsPerSubband, v, integrationSec,
                groupCadenceSec, pointingDecDeg, sefdJy, seed, calibratorGroups, calibratorName, ese, gains,
                catalogMinFluxMjy, modelMinApparentMjy, jitterSec, catalogName, catalogFile, truthFile, fixedSky);
    }

    public SimConfig withPointingDecDeg(double v) {
        return new SimConfig(outputDir, start, groups, antennas, subbands, channelsPerSubband, integrations,
                integrationSec, groupCadenceSec, v, sefdJy, seed, calibratorGroups, calibratorName, ese, gains,
                catalogMinFluxMjy, modelMinApparentMjy, jitterSec, catalogName, catalogFile, truthFile, fixedSky);
    }

    public SimConfig withSefdJy(double v) {
        return new SimConfig(outputDir, start, groups, antennas, subbands, channelsPerSubband, integrations,
                integrationSec, groupCadenceSec, pointingDecDeg, v, seed, calibratorGroups, calibratorName, ese,
                gains, catalogMinFluxMjy, modelMinApparentMjy, jitterSec, catalogName, catalogFile, truthFile,
                fixedSky);
    }

    public SimConfig withSeed(long v) {
        return new SimConfig(outputDir, start, groups, antennas, subbands, channelsPerSubband, integrations,
                integrationSec, groupCadenceSec, pointingDecDeg, sefdJy, v, calibratorGroups, calibratorName, ese,
                gains, catalogMinFluxMjy, modelMinApparentMjy, jitterSec, catalogName, catalogFile, truthFile,
                fixedSky);
    }

    public SimConfig withCalibratorGroups(Set<Integer> v) {
        return new SimConfig(outputDir, start, groups, antennas, subbands, channelsPerSubband, integrations,
                integrationSec, groupCadenceSec, pointingDecDeg, sefdJy, seed, v, calibratorName, ese, gains,
                catalogMinFluxMjy, modelMinApparentMjy, jitterSec, catalogName, catalogFile, truthFile, fixedSky);
    }

    public SimConfig withCalibratorName(String v) {
        return new SimConfig(outputDir, start, groups, antennas, subbands, channelsPerSubband, integrations,
                integrationSec, groupCadenceSec, pointingDecDeg, sefdJy, seed, calibratorGroups, v, ese, gains,
                catalogMinFluxMjy, modelMinApparentMjy, jitterSec, catalogName, catalogFile, truthFile, fixedSky);
    }

    public SimConfig withEse(List<EseInjection> v) {
        return new SimConfig(outputDir, start, groups, antennas, subbands, channelsPerSubband, integrations,
                integrationSec, groupCadenceSec, pointingDecDeg, sefdJy, seed, calibratorGroups, calibratorName, v,
                gains, catalogMinFluxMjy, modelMinApparentMjy, jitterSec, catalogName, catalogFile, truthFile,
                fixedSky);
    }

    public SimConfig withGains(boolean v) {
        return new SimConfig(outputDir, start, groups, antennas, subbands, channelsPerSubband, integrations,
                integrationSec, groupCadenceSec, pointingDecDeg, sefdJy, seed, calibratorGroups, calibratorName, ese,
                v, catalogMinFluxMjy, modelMinApparentMjy, jitterSec, catalogName, catalogFile, truthFile, fixedSky);
    }

    public SimConfig withCatalogMinFluxMjy(double v) {
        return new SimConfig(outputDir, start, groups, antennas, subbands, channelsPerSubband, integrations,
                integrationSec, groupCadenceSec, pointingDecDeg, sefdJy, seed, calibratorGroups, calibratorName, ese,
                gains, v, modelMinApparentMjy, jitterSec, catalogName, catalogFile, truthFile, fixedSky);
    }

    public SimConfig withModelMinApparentMjy(double v) {
        return new SimConfig(outputDir, start, groups, antennas, subbands, channelsPerSubband, integrations,
                integrationSec, groupCadenceSec, pointingDecDeg, sefdJy, seed, calibratorGroups, calibratorName, ese,
                gains, catalogMinFluxMjy, v, jitterSec, catalogName, catalogFile, truthFile, fixedSky);
    }

    public SimConfig withJitterSec(double v) {
        return new SimConfig(outputDir, start, groups, antennas, subbands, channelsPerSubband, integrations,
                integrationSec, groupCadenceSec, pointingDecDeg, sefdJy, seed, calibratorGroups, calibratorName, ese,
                gains, catalogMinFluxMjy, modelMinApparentMjy, v, catalogName, catalogFile, truthFile, fixedSky);
    }

    public SimConfig withCatalogName(String v) {
        return new SimConfig(outputDir, start, groups, antennas, subbands, channelsPerSubband, integrations,
                integrationSec, groupCadenceSec, pointingDecDeg, sefdJy, seed, calibratorGroups, calibratorName, ese,
                gains, catalogMinFluxMjy, modelMinApparentMjy, jitterSec, v, catalogFile, truthFile, fixedSky);
    }

    public SimConfig withCatalogFile(Path v) {
        return new SimConfig(outputDir, start, groups, antennas, subbands, channelsPerSubband, integrations,
                integrationSec, groupCadenceSec, pointingDecDeg, sefdJy, seed, calibratorGroups, calibratorName, ese,
                gains, catalogMinFluxMjy, modelMinApparentMjy, jitterSec, catalogName, v, truthFile, fixedSky);
    }

    public SimConfig withTruthFile(Path v) {
        return new SimConfig(outputDir, start, groups, antennas, subbands, channelsPerSubband, integrations,
                integrationSec, groupCadenceSec, pointingDecDeg, sefdJy, seed, calibratorGroups, calibratorName, ese,
                gains, catalogMinFluxMjy, modelMinApparentMjy, jitterSec, catalogName, catalogFile, v, fixedSky);
    }

    public SimConfig withFixedSky(List<SkySource> v) {
        return new SimConfig(outputDir, start, groups, antennas, subbands, channelsPerSubband, integrations,
                integrationSec, groupCadenceSec, pointingDecDeg, sefdJy, seed, calibratorGroups, calibratorName, ese,
                gains, catalogMinFluxMjy, modelMinApparentMjy, jitterSec, catalogName, catalogFile, truthFile, v);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
