package org.dsa110.contimg.science.hdf5;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Contents of one UVH5 visibility file (the pyuvdata HDF5 format), single spectral window, the phase
 * centre as the header states it ({@link Uvh5PhaseCentres}), with the modern array shapes: {@code freq_array} and
 * {@code channel_width} are 1-D and the data arrays are (Nblts, Nfreqs, Npols).
 *
 * <p>Flattened arrays are row-major (C order, as numpy/HDF5): the data index of baseline-time
 * {@code b}, channel {@code f}, polarization {@code p} is {@code (b * Nfreqs + f) * Npols + p};
 * {@code visibilities} holds two floats (re, im) per such index. Arrays are referenced, not copied.
 *
 * @param telescope      site and antenna table
 * @param objectName     source/field name ({@code object_name})
 * @param history        free-text processing history
 * @param visUnits       "uncalib", "Jy" or "K str" (pyuvdata's allowed values)
 * @param blts           per baseline-time metadata
 * @param freqHz         channel centre frequencies [Hz], length Nfreqs
 * @param channelWidthHz channel widths [Hz], length Nfreqs
 * @param polarizations  AIPS polarization codes, e.g. -5, -6 for XX, YY (pyuvdata convention)
 * @param visibilities   interleaved (re, im), length 2·Nblts·Nfreqs·Npols
 * @param flags          true = flagged, length Nblts·Nfreqs·Npols
 * @param nsamples       samples per visibility, length Nblts·Nfreqs·Npols
 * @param extraKeywords  {@code Header/extra_keywords}: Double, Float, Long, Integer, Boolean,
 *                       String, double[], long[] or int[] values (e.g. phase_center_dec in radians)
 * @param phaseCentres   what the header states about the phase centre ({@link Uvh5Phasing} interprets it)
 */
public record Uvh5Data(Telescope telescope, String objectName, String history, String visUnits,
                       BaselineTimes blts, double[] freqHz, double[] channelWidthHz, int[] polarizations,
                       float[] visibilities, boolean[] flags, float[] nsamples,
                       Map<String, Object> extraKeywords, Uvh5PhaseCentres phaseCentres) {

    /**
     * Contents whose phase centre is stated the DSA-110 way in {@code extraKeywords} ({@code phase_center_dec},
     * meridian): written as a UVH5 1.x {@code driftscan} catalog entry ({@link Uvh5PhaseCentres#meridian}); without
     * that keyword, as unprojected.
     */
    public Uvh5Data(Telescope telescope, String objectName, String history, String visUnits, BaselineTimes blts,
                    double[] freqHz, double[] channelWidthHz, int[] polarizations, float[] visibilities,
                    boolean[] flags, float[] nsamples, Map<String, Object> extraKeywords) {
        this(telescope, objectName, history, visUnits, blts, freqHz, channelWidthHz, polarizations, visibilities,
                flags, nsamples, extraKeywords, extraKeywords != null
                        && extraKeywords.get("phase_center_dec") instanceof Number dec
                        ? Uvh5PhaseCentres.meridian(objectName, dec.doubleValue(),
                                Math.toRadians(telescope.latitudeDeg()), blts.lstRad())
                        : Uvh5PhaseCentres.unprojected(objectName, blts.count()));
    }

    /**
     * Telescope site and antennas.
     *
     * @param latitudeDeg       geodetic latitude [deg] (UVH5 stores degrees)
     * @param longitudeDeg      longitude [deg], east positive
     * @param altitudeM         height above the WGS84 ellipsoid [m]
     * @param antennaPositionsM ECEF positions relative to the telescope location [m], Nants×3 row-major
     */
    public record Telescope(String name, String instrument, double latitudeDeg, double longitudeDeg,
                            double altitudeM, String[] antennaNames, int[] antennaNumbers,
                            double[] antennaPositionsM) {
        public Telescope {
            Objects.requireNonNull(name);
            Objects.requireNonNull(instrument);
            int n = antennaNumbers.length;
            require(antennaNames.length == n, "antennaNames length must equal antennaNumbers length");
            require(antennaPositionsM.length == 3 * n, "antennaPositionsM must hold 3 values per antenna");
        }
    }

    /**
     * Per baseline-time (blt) metadata; all arrays have length Nblts (uvw: 3·Nblts).
     *
     * @param timeJd           centre time of each integration, Julian Date (UTC)
     * @param lstRad           apparent local sidereal time [rad] at timeJd
     * @param integrationTimeS integration time [s]
     * @param uvwM             baseline uvw [m] (pyuvdata sign convention: antenna 2 minus antenna 1)
     */
    public record BaselineTimes(int[] ant1, int[] ant2, double[] timeJd, double[] lstRad,
                                double[] integrationTimeS, double[] uvwM) {
        public BaselineTimes {
            int n = ant1.length;
            require(ant2.length == n && timeJd.length == n && lstRad.length == n && integrationTimeS.length == n,
                    "ant1, ant2, timeJd, lstRad and integrationTimeS must all have length Nblts");
            require(uvwM.length == 3 * n, "uvwM must hold 3 values per baseline-time");
        }

        public int count() {
            return ant1.length;
        }
    }

    public Uvh5Data {
        Objects.requireNonNull(telescope);
        Objects.requireNonNull(blts);
        Objects.requireNonNull(objectName);
        Objects.requireNonNull(history);
        Objects.requireNonNull(visUnits);
        phaseCentres = phaseCentres == null ? Uvh5PhaseCentres.NONE : phaseCentres;
        for (Object a : new Object[] {phaseCentres.idArray(), phaseCentres.appRa(), phaseCentres.appDec(),
            phaseCentres.framePa()}) {
            require(a == null || java.lang.reflect.Array.getLength(a) == blts.count(),
                    "phase-centre arrays must have length Nblts");
        }
        extraKeywords = extraKeywords == null ? Map.of() : new LinkedHashMap<>(extraKeywords);
        for (Map.Entry<String, Object> e : extraKeywords.entrySet()) {
            require(isSupportedKeyword(e.getValue()), "unsupported type for extra keyword '" + e.getKey() + "'");
        }
        require(blts.count() > 0 && freqHz.length > 0 && polarizations.length > 0, "empty data axes");
        require(channelWidthHz.length == freqHz.length, "channelWidthHz length must equal freqHz length");
        long cells = (long) blts.count() * freqHz.length * polarizations.length;
        require(visibilities.length == 2 * cells, "visibilities must hold 2·Nblts·Nfreqs·Npols floats");
        require(flags.length == cells, "flags must hold Nblts·Nfreqs·Npols values");
        require(nsamples.length == cells, "nsamples must hold Nblts·Nfreqs·Npols values");
        Set<Integer> known = new HashSet<>();
        for (int a : telescope.antennaNumbers()) {
            known.add(a);
        }
        for (int i = 0; i < blts.count(); i++) {
            if (!known.contains(blts.ant1()[i]) || !known.contains(blts.ant2()[i])) {
                require(false, "baseline-time " + i + " uses an antenna missing from the antenna table");
            }
        }
    }

    public int nBlts() {
        return blts.count();
    }

    public int nFreqs() {
        return freqHz.length;
    }

    public int nPols() {
        return polarizations.length;
    }

    public int nAntsTelescope() {
        return telescope.antennaNumbers().length;
    }

    /** Number of distinct integration times. */
    public int nTimes() {
        return (int) Arrays.stream(blts.timeJd()).distinct().count();
    }

    /** Number of distinct (ant1, ant2) pairs, autocorrelations included. */
    public int nBls() {
        Set<Long> pairs = new HashSet<>();
        for (int i = 0; i < blts.count(); i++) {
            pairs.add(((long) blts.ant1()[i] << 32) | (blts.ant2()[i] & 0xffffffffL));
        }
        return pairs.size();
    }

    /** Number of antennas that appear in at least one baseline. */
    public int nAntsData() {
        Set<Integer> ants = new HashSet<>();
        for (int i = 0; i < blts.count(); i++) {
            ants.add(blts.ant1()[i]);
            ants.add(blts.ant2()[i]);
        }
        return ants.size();
    }

    private static boolean isSupportedKeyword(Object v) {
        return v instanceof Double || v instanceof Float || v instanceof Long || v instanceof Integer
                || v instanceof Boolean || v instanceof String
                || v instanceof double[] || v instanceof long[] || v instanceof int[];
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
