package org.dsa110.contimg.science.hdf5;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a UVH5 header states about the phase centre, as written (interpreted by {@link Uvh5Phasing}):
 * <ul>
 * <li>the UVH5 1.x phase-centre catalog ({@code Header/phase_center_catalog/<id>/cat_*}, or the older form of one
 * JSON string per entry named after it) with {@code phase_center_id_array} and, when the writer computed them,
 * {@code phase_center_app_ra}, {@code phase_center_app_dec} and {@code phase_center_frame_pa};</li>
 * <li>the pre-catalog keys: {@code phase_type} ("drift" or "phased") and, for phased files,
 * {@code phase_center_ra}, {@code phase_center_dec} (radians), {@code phase_center_frame},
 * {@code phase_center_epoch}.</li>
 * </ul>
 * DSA-110's own statement ({@code extra_keywords/phase_center_dec}, {@code ha_phase_center}) stays in the extra
 * keywords. Absent values are null; arrays have length Nblts.
 *
 * @param phaseType  legacy {@code phase_type}, or null
 * @param legacyRa   legacy {@code phase_center_ra} [rad], or null
 * @param legacyDec  legacy {@code phase_center_dec} [rad], or null
 * @param legacyFrame legacy {@code phase_center_frame}, or null
 * @param legacyEpoch legacy {@code phase_center_epoch} [Julian years], or null
 * @param catalog    catalog entries by id (empty when the file has no catalog)
 * @param idArray    {@code phase_center_id_array}, or null
 * @param appRa      {@code phase_center_app_ra} [rad], or null
 * @param appDec     {@code phase_center_app_dec} [rad], or null
 * @param framePa    {@code phase_center_frame_pa} [rad], or null
 */
public record Uvh5PhaseCentres(String phaseType, Double legacyRa, Double legacyDec, String legacyFrame,
        Double legacyEpoch, SortedMap<Integer, Entry> catalog, int[] idArray, double[] appRa, double[] appDec,
        double[] framePa) {

    /** UVH5 catalog types (pyuvdata's {@code cat_type}). */
    public static final String SIDEREAL = "sidereal";
    public static final String DRIFTSCAN = "driftscan";
    public static final String UNPROJECTED = "unprojected";

    /** Nothing stated. */
    public static final Uvh5PhaseCentres NONE = new Uvh5PhaseCentres(null, null, null, null, null, null, null, null,
            null, null);

    /**
     * One catalog entry ({@code cat_name}, {@code cat_type}, {@code cat_frame}, {@code cat_lon}, {@code cat_lat}
     * [rad], {@code cat_epoch}); absent values null.
     */
    public record Entry(int id, String name, String type, String frame, Double lon, Double lat, Double epoch) {
    }

    public Uvh5PhaseCentres {
        catalog = catalog == null ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(
                new TreeMap<>(catalog));
    }

    /**
     * The statement of a DSA-110 meridian drift scan in the UVH5 1.x catalog: one {@code driftscan} entry fixed in
     * alt-az at the meridian (azimuth 0 when the declination is north of the zenith, π south of it; elevation
     * π/2 − |Dec − latitude|), apparent RA = LST, apparent Dec = the pointing declination and frame position
     * angle 0 on every blt, as pyuvdata derives them from such an entry. The uvw of such data are those of the
     * meridian at that declination.
     *
     * @param name      {@code cat_name} (the object name)
     * @param decRad    apparent declination of the meridian phase centre
     * @param latRad    geodetic latitude of the telescope
     * @param lstRad    apparent LST of every blt
     */
    public static Uvh5PhaseCentres meridian(String name, double decRad, double latRad, double[] lstRad) {
        boolean north = decRad >= latRad;
        double el = Math.PI / 2 - Math.abs(decRad - latRad);
        Entry e = new Entry(0, name, DRIFTSCAN, "altaz", north ? 0.0 : Math.PI, el, null);
        int n = lstRad.length;
        double[] dec = new double[n];
        Arrays.fill(dec, decRad);
        return new Uvh5PhaseCentres(null, null, null, null, null, new TreeMap<>(Map.of(0, e)), new int[n],
                lstRad.clone(), dec, new double[n]);
    }

    /**
     * Data phased to one ICRS position: a {@code sidereal} catalog entry with the apparent place and frame position
     * angle of every blt (uvw along ICRS east and north, as pyuvdata's {@code phase()} writes them).
     */
    public static Uvh5PhaseCentres sidereal(String name, double raRad, double decRad, double[] appRa,
                                            double[] appDec, double[] framePa) {
        Entry e = new Entry(0, name, SIDEREAL, "icrs", raRad, decRad, 2000.0);
        return new Uvh5PhaseCentres(null, null, null, null, null, new TreeMap<>(Map.of(0, e)),
                new int[appRa.length], appRa.clone(), appDec.clone(), framePa.clone());
    }

    /** An unprojected (not phased: zenith) statement, one catalog entry. */
    public static Uvh5PhaseCentres unprojected(String name, int nBlts) {
        Entry e = new Entry(0, name, UNPROJECTED, null, null, null, null);
        return new Uvh5PhaseCentres(null, null, null, null, null, new TreeMap<>(Map.of(0, e)), new int[nBlts], null,
                null, null);
    }

    public boolean hasCatalog() {
        return !catalog.isEmpty();
    }

    /** The same statement with the per-blt arrays taken in {@code order} (blt i of the result = blt order[i]). */
    public Uvh5PhaseCentres reordered(int[] order) {
        return new Uvh5PhaseCentres(phaseType, legacyRa, legacyDec, legacyFrame, legacyEpoch, catalog,
                pick(idArray, order), pick(appRa, order), pick(appDec, order), pick(framePa, order));
    }

    /** {@code a} (an int[] or double[], or null) with its elements taken in {@code order}. */
    @SuppressWarnings("unchecked")
    private static <T> T pick(T a, int[] order) {
        if (a == null) {
            return null;
        }
        Object out = java.lang.reflect.Array.newInstance(a.getClass().getComponentType(), order.length);
        for (int i = 0; i < order.length; i++) {
            java.lang.reflect.Array.set(out, i, java.lang.reflect.Array.get(a, order[i]));
        }
        return (T) out;
    }
}
