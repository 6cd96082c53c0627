package org.dsa110.contimg.science.sim;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.dsa110.contimg.science.radio.CalibratorMatcher;
import org.dsa110.contimg.science.radio.PrimaryBeam;
import org.dsa110.contimg.science.radio.SkyGeometry;
import org.dsa110.contimg.science.radio.VlaCalibrator;
import org.dsa110.contimg.science.radio.VlaCalibratorCatalog;
import org.dsa110.contimg.science.sky.SkyCoords;

/**
 * A synthetic NVSS-like reference catalog and the VLA calibrators of the simulated sky.
 *
 * <p>Source counts follow a power law close to the NVSS integral counts at 1.4 GHz,
 * N(&gt;S) = {@value #COUNT_AT_2_5_MJY} deg⁻² · (S / 2.5 mJy)^−{@value #COUNT_SLOPE} (≈ 1.8 million sources above
 * 2.5 mJy over the NVSS sky), drawn as a Poisson number of sources placed uniformly on the sphere inside the given
 * regions, fluxes capped at {@value #MAX_FLUX_JY} Jy, spectral indices N(−0.7, 0.2). Positions are J2000. A source
 * with another within {@value #CONFUSION_ARCSEC}″ is marked confused; catalog SNR is flux / 0.45 mJy (the NVSS rms).
 */
public final class SyntheticCatalog {

    public static final double COUNT_AT_2_5_MJY = 52.0;
    public static final double COUNT_SLOPE = 0.9;
    public static final double MAX_FLUX_JY = 2.0;
    public static final double CONFUSION_ARCSEC = 60.0;
    public static final double NVSS_RMS_MJY = 0.45;
    /** Header the hub's catalog loader reads ({@code products.ReferenceCatalog}). */
    public static final String CSV_HEADER = "id,ra,dec,flux_mjy,snr,resolved,confused";

    /** A region of sky: RA from {@code raStartDeg} eastwards over {@code raSpanDeg}, Dec in [decMin, decMax]. */
    public record Region(double raStartDeg, double raSpanDeg, double decMinDeg, double decMaxDeg) {

        public double areaDeg2() {
            double sr = Math.toRadians(raSpanDeg) * (Math.sin(Math.toRadians(decMaxDeg))
                    - Math.sin(Math.toRadians(decMinDeg)));
            return sr * Math.pow(180 / Math.PI, 2);
        }

        public boolean contains(double raDeg, double decDeg) {
            double d = ((raDeg - raStartDeg) % 360 + 360) % 360;
            return d <= raSpanDeg && decDeg >= decMinDeg && decDeg <= decMaxDeg;
        }
    }

    private SyntheticCatalog() {
    }

    /** The bundled VLA L-band list, parsed once (5,500 rows). */
    private static final class VlaList {
        static final List<VlaCalibrator> L_BAND = List.copyOf(VlaCalibratorCatalog.loadLBand());
    }

    /** Expected number of sources per deg² above {@code minFluxMjy}. */
    public static double densityPerDeg2(double minFluxMjy) {
        return COUNT_AT_2_5_MJY * Math.pow(minFluxMjy / 2.5, -COUNT_SLOPE);
    }

    /**
     * Draws the catalog over the regions (which must not overlap). Source ids are {@code <catalogName> Jhhmmss.s+ddmmss}
     * as the hub computes them; display names {@code SIM Jhhmmss.s+ddmmss}. Duplicate ids are dropped.
     */
    public static List<SkySource> generate(List<Region> regions, double minFluxMjy, String catalogName, long seed) {
        Well19937c counts = new Well19937c(seed);
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        double minJy = minFluxMjy / 1000.0;
        List<SkySource> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Region r : regions) {
            double mean = r.areaDeg2() * densityPerDeg2(minFluxMjy);
            int n = mean <= 0 ? 0 : new PoissonDistribution(counts, mean, PoissonDistribution.DEFAULT_EPSILON,
                    PoissonDistribution.DEFAULT_MAX_ITERATIONS).sample();
            double s1 = Math.sin(Math.toRadians(r.decMinDeg()));
            double s2 = Math.sin(Math.toRadians(r.decMaxDeg()));
            for (int i = 0; i < n; i++) {
                // rounded as written to the CSV, so the id computed here is the one the hub computes on loading
                double ra = round7(SkyCoords.normalizeDeg(r.raStartDeg() + rng.nextDouble() * r.raSpanDeg()));
                double dec = round7(Math.toDegrees(Math.asin(s1 + rng.nextDouble() * (s2 - s1))));
                double flux;
                do {
                    flux = minJy * Math.pow(1.0 - rng.nextDouble(), -1.0 / COUNT_SLOPE);
                } while (flux > MAX_FLUX_JY);
                double alpha = -0.7 + 0.2 * rng.nextGaussian();
                String id = SkyCoords.iauName(catalogName, ra / 15.0, dec);
                if (ids.add(id)) {
                    String name = "SIM" + id.substring(id.indexOf(' '));
                    out.add(new SkySource(id, name, ra, dec, flux, alpha, false, false));
                }
            }
        }
        return markConfused(out);
    }

    /** VLA L-band calibrators inside the regions, as flat-spectrum sky sources named by their J2000 name. */
    public static List<SkySource> calibratorsIn(List<Region> regions, String catalogName) {
        List<SkySource> out = new ArrayList<>();
        for (VlaCalibrator c : VlaList.L_BAND) {
            for (Region r : regions) {
                if (r.contains(c.raDeg(), c.decDeg())) {
                    out.add(calibratorSource(c, catalogName));
                    break;
                }
            }
        }
        return out;
    }

    public static SkySource calibratorSource(VlaCalibrator c, String catalogName) {
        double ra = round7(c.raDeg());
        double dec = round7(c.decDeg());
        return new SkySource(SkyCoords.iauName(catalogName, ra / 15.0, dec), c.name(), ra, dec, c.fluxJy(), 0.0,
                true, false);
    }

    /** Degrees rounded to the 7 decimals of the CSV (1e-7° ≈ 0.4 mas). */
    static double round7(double deg) {
        return Math.round(deg * 1e7) / 1e7;
    }

    /**
     * The calibrator for calibrator groups: the named one (J2000 or alternative name), or the one maximising
     * flux × primary-beam response at its declination offset among those within
     * {@link CalibratorMatcher#DEC_TOLERANCE_DEG} of the pointing.
     */
    public static VlaCalibrator chooseCalibrator(String name, double pointingDecDeg) {
        List<VlaCalibrator> all = VlaList.L_BAND;
        if (name != null && !name.isBlank()) {
            String n = name.trim();
            return all.stream().filter(c -> c.name().equalsIgnoreCase(n) || c.altName().equalsIgnoreCase(n))
                    .max(Comparator.comparingDouble(VlaCalibrator::fluxJy))
                    .orElseThrow(() -> new IllegalArgumentException("no L-band VLA calibrator named " + n));
        }
        PrimaryBeam beam = PrimaryBeam.dsa110();
        return all.stream()
                .filter(c -> Math.abs(c.decDeg() - pointingDecDeg) <= CalibratorMatcher.DEC_TOLERANCE_DEG)
                .max(Comparator.comparingDouble(c -> c.fluxJy() * beam.response(
                        Math.toRadians(c.decDeg() - pointingDecDeg), CalibratorMatcher.DSA110_CENTRE_FREQ_HZ)))
                .orElseThrow(() -> new IllegalArgumentException("no L-band VLA calibrator within "
                        + CalibratorMatcher.DEC_TOLERANCE_DEG + " deg of declination " + pointingDecDeg));
    }

    /**
     * The target of an automatic ESE: the brightest non-calibrator source of at least {@code minFluxJy} within
     * {@code radiusDeg} of the field centre; empty if there is none.
     */
    public static Optional<SkySource> pickEseTarget(List<SkySource> sky, double raDeg, double decDeg,
                                                    double radiusDeg, double minFluxJy) {
        double r = Math.toRadians(radiusDeg);
        return sky.stream().filter(s -> !s.calibrator() && !s.confused() && s.fluxJy() >= minFluxJy)
                .filter(s -> SkyGeometry.separationRad(s.raRad(), s.decRad(), Math.toRadians(raDeg),
                        Math.toRadians(decDeg)) <= r)
                .max(Comparator.comparingDouble(SkySource::fluxJy));
    }

    /** Writes the catalog CSV the hub loads ({@code hub.catalog.file}), atomically. */
    public static void writeCsv(List<SkySource> sources, Path csv) throws IOException {
        Path parent = csv.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".catalog", ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write(CSV_HEADER);
            w.newLine();
            for (SkySource s : sources) {
                double mjy = s.fluxJy() * 1000.0;
                w.write(String.format(Locale.ROOT, "%s,%.7f,%.7f,%.3f,%.1f,false,%s", s.name().replace(',', ' '),
                        s.raDeg(), s.decDeg(), mjy, mjy / NVSS_RMS_MJY, s.confused()));
                w.newLine();
            }
        }
        Files.move(tmp, csv, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static List<SkySource> markConfused(List<SkySource> sources) {
        List<SkySource> sorted = new ArrayList<>(sources);
        sorted.sort(Comparator.comparingDouble(SkySource::decDeg));
        boolean[] confused = new boolean[sorted.size()];
        double lim = Math.toRadians(CONFUSION_ARCSEC / 3600.0);
        for (int i = 0; i < sorted.size(); i++) {
            SkySource a = sorted.get(i);
            for (int k = i + 1; k < sorted.size() && sorted.get(k).decDeg() - a.decDeg() <= CONFUSION_ARCSEC / 3600.0;
                 k++) {
                SkySource b = sorted.get(k);
                if (SkyGeometry.separationRad(a.raRad(), a.decRad(), b.raRad(), b.decRad()) <= lim) {
                    confused[i] = true;
                    confused[k] = true;
                }
            }
        }
        List<SkySource> out = new ArrayList<>(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            out.add(confused[i] ? sorted.get(i).withConfused(true) : sorted.get(i));
        }
        out.sort(Comparator.comparingDouble(SkySource::raDeg));
        return out;
    }
}
