package org.dsa110.contimg.science.hdf5;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.science.radio.Astrometry;
import org.dsa110.contimg.science.radio.Baselines;
import org.dsa110.contimg.science.radio.JulianDate;
import org.dsa110.contimg.science.radio.ObservatorySite;

/**
 * The phase centre of every blt of a UVH5 file as the hub takes it, from what the header states
 * ({@link Uvh5PhaseCentres}, DSA-110's extra keywords), checked against the data:
 * <ul>
 * <li><b>DSA-110 drift scan</b> ({@code extra_keywords/phase_center_dec}, with the legacy {@code phase_type =
 * "drift"}, no catalog or an all-unprojected one): the apparent meridian of each integration, RA = LST −
 * {@code ha_phase_center}, Dec = {@code phase_center_dec};</li>
 * <li><b>{@code driftscan}</b> catalog entry (alt-az, what {@link Uvh5Writer} writes): (HA, Dec) from the azimuth and
 * elevation, RA = LST − HA;</li>
 * <li><b>{@code sidereal}</b> entry, or legacy {@code phase_type = "phased"} with {@code phase_center_ra/dec}: a fixed
 * ICRS position (FK5 J2000 converted), its apparent place and frame position angle from the file's
 * {@code phase_center_app_*} arrays when present (they are what the writer phased with), else from
 * {@link Astrometry};</li>
 * <li><b>unprojected</b> ({@code phase_type = "drift"} without DSA-110's keyword, or an {@code unprojected} entry):
 * pyuvdata's meaning, the zenith (RA = LST, Dec = latitude) with uvw in east-north-up and samples carrying no w phase
 * at all (pyuvdata phases them from w = 0).</li>
 * </ul>
 * LST is the file's {@code lst_array}, else computed. The statement must agree with the data: the uvw recomputed from
 * the antenna positions for those centres must equal the stored ones within {@value #UVW_TOLERANCE_M} m rms
 * (pyuvdata's tolerance; a wrong statement is off by hundreds of metres). DSA-110 files whose header was rewritten
 * by pyuvdata carry both DSA-110's keyword and an unprojected catalog: the reading the uvw agree with is taken.
 * Anything else (other catalog types such as {@code ephem}, unknown frames, a missing statement, uvw that fit no
 * statement) is rejected with a {@link Uvh5FormatException} naming the field.
 *
 * @param statement   what was understood, for logs (e.g. "DSA-110 meridian drift scan at Dec +54.570°")
 * @param appRa       apparent RA of each blt's phase centre [rad]
 * @param appDec      apparent Dec of each blt's phase centre [rad]
 * @param framePa     angle by which the stored (u, v) are turned from that apparent frame [rad] ({@code
 *                    phase_center_frame_pa}: 0 for drift scans)
 * @param unprojected per blt: the samples carry no w phase (pyuvdata's unprojected data)
 * @param icrsRa      ICRS RA of the phase centre for sidereal entries, NaN otherwise [rad]
 * @param icrsDec     ICRS Dec of the phase centre for sidereal entries, NaN otherwise [rad]
 * @param pointingRa  apparent RA of the pointing (primary-beam centre) [rad]: the DSA-110 meridian when the file
 *                    has {@code phase_center_dec}, else the phase centre
 * @param pointingDec apparent Dec of the pointing [rad]
 * @param lst         apparent LST of each blt [rad]: the file's {@code lst_array}, else computed
 */
public record Uvh5Phasing(String statement, double[] appRa, double[] appDec, double[] framePa, boolean[] unprojected,
        double[] icrsRa, double[] icrsDec, double[] pointingRa, double[] pointingDec, double[] lst) {

    /** Largest rms difference between stored and recomputed uvw accepted [m] (pyuvdata's check). */
    public static final double UVW_TOLERANCE_M = 1.0;

    private static final String DSA_DEC = "phase_center_dec";

    /** Interprets {@code d}'s statement (Earth orientation from {@code astrometry}, at the file's site). */
    public static Uvh5Phasing of(Uvh5Data d, Astrometry astrometry) {
        Astrometry a = astrometry.at(new ObservatorySite(d.telescope().name(),
                d.telescope().latitudeDeg(), d.telescope().longitudeDeg(), d.telescope().altitudeM()));
        Uvh5PhaseCentres p = d.phaseCentres();
        double[] lst = lst(d, a);
        Double dsaDec = d.extraKeywords().get(DSA_DEC) instanceof Number n ? n.doubleValue() : null;
        boolean allUnprojected = p.catalog().values().stream()
                .allMatch(e -> Uvh5PhaseCentres.UNPROJECTED.equals(e.type()));
        List<Uvh5Phasing> candidates = new ArrayList<>();
        if (p.hasCatalog() && !(allUnprojected && dsaDec != null)) {
            candidates.add(fromCatalog(d, p, lst, a));
        } else if (!p.hasCatalog() && "phased".equals(p.phaseType())) {
            candidates.add(sidereal(d, lst, a, new String[] {"Header/phase_center_ra", "Header/phase_center_dec",
                "Header/phase_center_frame"}, p.legacyRa(), p.legacyDec(), p.legacyFrame(), p.legacyEpoch(),
                    allBlts(d)));
        } else if (p.hasCatalog() || p.phaseType() == null || "drift".equals(p.phaseType())) {
            if (dsaDec != null) {
                candidates.add(dsaMeridian(d, lst, dsaDec));
            } else if (p.phaseType() == null && !p.hasCatalog()) {
                throw new Uvh5FormatException("Header/phase_type", "missing, and neither Header/phase_center_catalog"
                        + " nor Header/extra_keywords/phase_center_dec states the phase centre");
            }
            candidates.add(unprojectedAll(d, lst));
        } else {
            throw new Uvh5FormatException("Header/phase_type", "'" + p.phaseType()
                    + "' is neither \"drift\" nor \"phased\"");
        }
        double best = Double.POSITIVE_INFINITY;
        for (Uvh5Phasing c : candidates) {
            double rms = c.uvwRmsError(d);
            if (rms <= UVW_TOLERANCE_M) {
                if (dsaDec != null) {
                    // DSA-110 states where the dishes point (the meridian at phase_center_dec), whatever the phasing
                    System.arraycopy(c.lst, 0, c.pointingRa, 0, c.lst.length);
                    java.util.Arrays.fill(c.pointingDec, dsaDec);
                }
                return c;
            }
            best = Math.min(best, rms);
        }
        throw new Uvh5FormatException("Header/uvw_array", String.format(java.util.Locale.ROOT,
                "differs by %.1f m rms from the uvw of the antenna positions for the stated phase centre (%s)", best,
                candidates.get(0).statement()));
    }

    /** {@code uvw} (3 per blt) with (u, v) turned back into the apparent frame of each blt's centre. */
    public double[] apparentUvw(double[] uvw) {
        double[] out = uvw.clone();
        for (int b = 0; b < appRa.length; b++) {
            if (framePa[b] != 0) {
                double c = Math.cos(framePa[b]), s = Math.sin(framePa[b]);
                double u = uvw[3 * b], v = uvw[3 * b + 1];
                out[3 * b] = u * c + v * s;
                out[3 * b + 1] = -u * s + v * c;
            }
        }
        return out;
    }

    /** The ICRS centre shared by every blt, or null when the blts are not all phased to one sidereal position. */
    public double[] commonIcrsCentre() {
        for (int b = 0; b < icrsRa.length; b++) {
            if (!Double.isFinite(icrsRa[b]) || icrsRa[b] != icrsRa[0] || icrsDec[b] != icrsDec[0]) {
                return null;
            }
        }
        return icrsRa.length == 0 ? null : new double[] {icrsRa[0], icrsDec[0]};
    }

    /** rms over blts of |stored uvw − uvw of the antenna positions for these centres| [m]. */
    double uvwRmsError(Uvh5Data d) {
        Uvh5Data.Telescope t = d.telescope();
        Map<Integer, Integer> index = new HashMap<>();
        for (int i = 0; i < t.antennaNumbers().length; i++) {
            index.put(t.antennaNumbers()[i], i);
        }
        double lon = Math.toRadians(t.longitudeDeg());
        double co = Math.cos(lon), so = Math.sin(lon);
        double[] pos = t.antennaPositionsM();
        double[] b = new double[3];
        double[] uvw = new double[3];
        double sum = 0;
        int n = d.nBlts();
        for (int k = 0; k < n; k++) {
            int i = index.get(d.blts().ant1()[k]), j = index.get(d.blts().ant2()[k]);
            for (int c = 0; c < 3; c++) {
                b[c] = pos[3 * j + c] - pos[3 * i + c];
            }
            double h = lst[k] - appRa[k];
            Baselines.project(b, 0, co, so, Math.sin(h), Math.cos(h), Math.sin(appDec[k]), Math.cos(appDec[k]), uvw,
                    0);
            double cp = Math.cos(framePa[k]), sp = Math.sin(framePa[k]);
            double du = uvw[0] * cp - uvw[1] * sp - d.blts().uvwM()[3 * k];
            double dv = uvw[0] * sp + uvw[1] * cp - d.blts().uvwM()[3 * k + 1];
            double dw = uvw[2] - d.blts().uvwM()[3 * k + 2];
            sum += du * du + dv * dv + dw * dw;
        }
        return Math.sqrt(sum / n);
    }

    private static Uvh5Phasing fromCatalog(Uvh5Data d, Uvh5PhaseCentres p, double[] lst, Astrometry a) {
        int n = d.nBlts();
        int[] ids = p.idArray();
        if (ids == null) {
            if (p.catalog().size() > 1) {
                throw new Uvh5FormatException("Header/phase_center_id_array", "missing with "
                        + p.catalog().size() + " catalog entries");
            }
            ids = new int[n];
            java.util.Arrays.fill(ids, p.catalog().firstKey());
        }
        Uvh5Phasing out = blank(n, lst);
        List<String> said = new ArrayList<>();
        for (Uvh5PhaseCentres.Entry e : p.catalog().values()) {
            boolean[] mine = new boolean[n];
            boolean any = false;
            for (int b = 0; b < n; b++) {
                if (!p.catalog().containsKey(ids[b])) {
                    throw new Uvh5FormatException("Header/phase_center_id_array", "id " + ids[b] + " (blt " + b
                            + ") is not in the catalog");
                }
                mine[b] = ids[b] == e.id();
                any |= mine[b];
            }
            if (!any) {
                continue;
            }
            String at = "Header/phase_center_catalog/" + e.id() + "/";
            Uvh5Phasing part = switch (e.type()) {
                case Uvh5PhaseCentres.SIDEREAL -> sidereal(d, lst, a, new String[] {at + "cat_lon", at + "cat_lat",
                    at + "cat_frame"}, e.lon(), e.lat(), e.frame(), e.epoch(), mine);
                case Uvh5PhaseCentres.DRIFTSCAN -> driftscan(d, lst, at, e, mine);
                case Uvh5PhaseCentres.UNPROJECTED -> unprojected(d, lst, mine);
                default -> throw new Uvh5FormatException(at + "cat_type", "'" + e.type() + "' is not supported ("
                        + "sidereal, driftscan and unprojected phase centres are)");
            };
            out.fill(part, mine);
            said.add(part.statement());
        }
        return out.named(String.join("; ", said));
    }

    private static Uvh5Phasing dsaMeridian(Uvh5Data d, double[] lst, double dec) {
        double ha = d.extraKeywords().get("ha_phase_center") instanceof Number h ? h.doubleValue() : 0.0;
        int n = d.nBlts();
        Uvh5Phasing out = blank(n, lst);
        for (int b = 0; b < n; b++) {
            out.appRa[b] = JulianDate.wrap(lst[b] - ha);
            out.appDec[b] = dec;
            out.pointingRa[b] = lst[b];
            out.pointingDec[b] = dec;
        }
        return out.named(String.format(java.util.Locale.ROOT, "DSA-110 meridian drift scan at Dec %+.3f°",
                Math.toDegrees(dec)));
    }

    private static Uvh5Phasing driftscan(Uvh5Data d, double[] lst, String at, Uvh5PhaseCentres.Entry e,
                                         boolean[] mine) {
        if (e.frame() != null && !"altaz".equalsIgnoreCase(e.frame())) {
            throw new Uvh5FormatException(at + "cat_frame", "'" + e.frame() + "': driftscan centres are read in "
                    + "altaz");
        }
        if (e.lon() == null || e.lat() == null) {
            throw new Uvh5FormatException(at + (e.lon() == null ? "cat_lon" : "cat_lat"), "missing");
        }
        double[] hd = Astrometry.altAzToHaDec(e.lon(), e.lat(), Math.toRadians(d.telescope().latitudeDeg()));
        int n = d.nBlts();
        Uvh5Phasing out = blank(n, lst);
        for (int b = 0; b < n; b++) {
            if (mine[b]) {
                out.appRa[b] = JulianDate.wrap(lst[b] - hd[0]);
                out.appDec[b] = hd[1];
                out.pointingRa[b] = out.appRa[b];
                out.pointingDec[b] = hd[1];
            }
        }
        return out.named(String.format(java.util.Locale.ROOT, "drift scan at HA %+.4f°, Dec %+.3f°",
                Math.toDegrees(hd[0]), Math.toDegrees(hd[1])));
    }

    /** @param fields the names of the longitude, latitude and frame fields, for messages */
    private static Uvh5Phasing sidereal(Uvh5Data d, double[] lst, Astrometry a, String[] fields, Double lon,
                                        Double lat, String frame, Double epoch, boolean[] mine) {
        if (lon == null || lat == null) {
            throw new Uvh5FormatException(fields[lon == null ? 0 : 1], "missing");
        }
        double[] icrs;
        String f = frame == null ? "icrs" : frame.trim().toLowerCase(java.util.Locale.ROOT);
        if ("icrs".equals(f)) {
            icrs = new double[] {lon, lat};
        } else if ("fk5".equals(f) && (epoch == null || Math.abs(epoch - 2000.0) < 1e-6)) {
            icrs = Astrometry.fk5J2000ToIcrs(lon, lat);
        } else {
            throw new Uvh5FormatException(fields[2], "'" + frame + "' (epoch " + epoch + ") is not supported "
                    + "(icrs, or fk5 at J2000)");
        }
        Uvh5PhaseCentres p = d.phaseCentres();
        boolean stated = p.appRa() != null && p.appDec() != null && p.framePa() != null;
        int n = d.nBlts();
        Uvh5Phasing out = blank(n, lst);
        Map<Double, double[]> perTime = new HashMap<>();
        for (int b = 0; b < n; b++) {
            if (!mine[b]) {
                continue;
            }
            double[] app = stated ? new double[] {p.appRa()[b], p.appDec()[b], p.framePa()[b]}
                    : perTime.computeIfAbsent(d.blts().timeJd()[b], jd -> {
                        Astrometry.Instant in = a.at(jd);
                        double[] x = in.icrsToApparent(icrs[0], icrs[1]);
                        return new double[] {x[0], x[1], in.framePositionAngle(icrs[0], icrs[1])};
                    });
            out.appRa[b] = app[0];
            out.appDec[b] = app[1];
            out.framePa[b] = app[2];
            out.icrsRa[b] = icrs[0];
            out.icrsDec[b] = icrs[1];
            out.pointingRa[b] = app[0];
            out.pointingDec[b] = app[1];
        }
        return out.named(String.format(java.util.Locale.ROOT, "phased to ICRS (%.5f°, %+.5f°)",
                Math.toDegrees(icrs[0]), Math.toDegrees(icrs[1])));
    }

    private static Uvh5Phasing unprojectedAll(Uvh5Data d, double[] lst) {
        return unprojected(d, lst, allBlts(d));
    }

    private static Uvh5Phasing unprojected(Uvh5Data d, double[] lst, boolean[] mine) {
        double lat = Math.toRadians(d.telescope().latitudeDeg());
        int n = d.nBlts();
        Uvh5Phasing out = blank(n, lst);
        for (int b = 0; b < n; b++) {
            if (mine[b]) {
                out.appRa[b] = JulianDate.wrap(lst[b]);
                out.appDec[b] = lat;
                out.unprojected[b] = true;
                out.pointingRa[b] = out.appRa[b];
                out.pointingDec[b] = lat;
            }
        }
        return out.named("unprojected (zenith)");
    }

    private static boolean[] allBlts(Uvh5Data d) {
        boolean[] all = new boolean[d.nBlts()];
        java.util.Arrays.fill(all, true);
        return all;
    }

    private static Uvh5Phasing blank(int n, double[] lst) {
        double[] nan1 = new double[n];
        double[] nan2 = new double[n];
        java.util.Arrays.fill(nan1, Double.NaN);
        java.util.Arrays.fill(nan2, Double.NaN);
        return new Uvh5Phasing("", new double[n], new double[n], new double[n], new boolean[n], nan1, nan2,
                new double[n], new double[n], lst);
    }

    private Uvh5Phasing named(String s) {
        return new Uvh5Phasing(s, appRa, appDec, framePa, unprojected, icrsRa, icrsDec, pointingRa, pointingDec, lst);
    }

    private void fill(Uvh5Phasing part, boolean[] mine) {
        for (int b = 0; b < mine.length; b++) {
            if (mine[b]) {
                appRa[b] = part.appRa[b];
                appDec[b] = part.appDec[b];
                framePa[b] = part.framePa[b];
                unprojected[b] = part.unprojected[b];
                icrsRa[b] = part.icrsRa[b];
                icrsDec[b] = part.icrsDec[b];
                pointingRa[b] = part.pointingRa[b];
                pointingDec[b] = part.pointingDec[b];
            }
        }
    }

    /** The file's LSTs where finite, else computed. */
    private static double[] lst(Uvh5Data d, Astrometry a) {
        double[] lst = d.blts().lstRad().clone();
        Map<Double, Double> computed = new HashMap<>();
        for (int b = 0; b < lst.length; b++) {
            if (!Double.isFinite(lst[b])) {
                lst[b] = computed.computeIfAbsent(d.blts().timeJd()[b], a::lastRad);
            }
        }
        return lst;
    }
}
