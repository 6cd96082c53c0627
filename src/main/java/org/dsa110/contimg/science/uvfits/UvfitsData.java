package org.dsa110.contimg.science.uvfits;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dsa110.contimg.science.radio.Visibilities;

/**
 * One multi-source UVFITS visibility file (AIPS random-groups convention, AIPS Memo 117): the samples in
 * {@link #vis()}, and the antenna (AIPS AN) and source (AIPS SU) tables that describe them.
 *
 * <p>Frames: field centres and the per-blt phase centres of {@code vis} are ICRS and {@code vis.uvw()} points along
 * ICRS east, north and the phase centre; in memory uvw = x(ant2) − x(ant1) in metres and the samples follow the
 * hub's (standard) convention ({@link Visibilities}); {@link UvfitsWriter} and {@link UvfitsReader} convert to and
 * from the UVFITS one (docs/conventions.md). Each field also has a pointing (the primary-beam centre: for a
 * DSA-110 drift scan, the ICRS position of the meridian during that integration), written to the SU table's
 * RAOBS/DECOBS. Antennas are identified by their AIPS numbers (1-based), which are the
 * station numbers for DSA-110 data. Polarisations are AIPS Stokes codes (−5 XX, −6 YY, −7 XY, −8 YX), consecutive
 * with step −1. Channel frequencies must be uniformly spaced (one FREQ axis, one IF).
 *
 * @param telescope        TELESCOP / ARRNAM
 * @param instrument       INSTRUME
 * @param object           OBJECT (the group id for pipeline data)
 * @param arrayCentreEcef  ITRF position of the array reference point [m] (ARRAYX/Y/Z)
 * @param antennaNumbers   AIPS antenna numbers (NOSTA), ≥ 1
 * @param antennaNames     ANNAME
 * @param antennaXyz       STABXYZ: position relative to the array centre in ITRF axes [m], 3 per antenna
 * @param fieldNames       SU SOURCE names, index = source id − 1
 * @param fieldRaRad       ICRS RA of each field's phase centre
 * @param fieldDecRad      ICRS Dec of each field's phase centre
 * @param fieldPointingRaRad  ICRS RA of each field's pointing (beam centre)
 * @param fieldPointingDecRad ICRS Dec of each field's pointing
 * @param bltField         field index (0-based) of each blt
 * @param integrationSec   INTTIM of each blt [s]
 * @param polarizations    AIPS Stokes codes, e.g. {−5, −6}
 * @param vis              the samples; a sample is flagged in the file by a non-positive weight
 * @param keywords         extra primary-header cards (String, Number or Boolean values, keys ≤ 8 characters)
 */
public record UvfitsData(String telescope, String instrument, String object, double[] arrayCentreEcef,
        int[] antennaNumbers, String[] antennaNames, double[] antennaXyz, String[] fieldNames, double[] fieldRaRad,
        double[] fieldDecRad, double[] fieldPointingRaRad, double[] fieldPointingDecRad, int[] bltField,
        double[] integrationSec, int[] polarizations, Visibilities vis, Map<String, Object> keywords) {

    /** Fields pointed at their phase centres. */
    public UvfitsData(String telescope, String instrument, String object, double[] arrayCentreEcef,
            int[] antennaNumbers, String[] antennaNames, double[] antennaXyz, String[] fieldNames, double[] fieldRaRad,
            double[] fieldDecRad, int[] bltField, double[] integrationSec, int[] polarizations, Visibilities vis,
            Map<String, Object> keywords) {
        this(telescope, instrument, object, arrayCentreEcef, antennaNumbers, antennaNames, antennaXyz, fieldNames,
                fieldRaRad, fieldDecRad, fieldRaRad.clone(), fieldDecRad.clone(), bltField, integrationSec,
                polarizations, vis, keywords);
    }

    public UvfitsData {
        int nAnt = antennaNumbers.length;
        require(antennaNames.length == nAnt && antennaXyz.length == 3 * nAnt, "antenna table lengths differ");
        for (int a : antennaNumbers) {
            require(a >= 1, "AIPS antenna numbers start at 1: " + a);
        }
        int nField = fieldNames.length;
        require(nField > 0 && fieldRaRad.length == nField && fieldDecRad.length == nField
                && fieldPointingRaRad.length == nField && fieldPointingDecRad.length == nField,
                "source table lengths differ");
        require(bltField.length == vis.nBlt() && integrationSec.length == vis.nBlt(), "per-blt array lengths differ");
        for (int f : bltField) {
            require(f >= 0 && f < nField, "blt field index out of range: " + f);
        }
        require(polarizations.length == vis.nPol(), "polarization codes must match the data");
        for (int p = 1; p < polarizations.length; p++) {
            require(polarizations[p] == polarizations[0] - p, "polarization codes must step by -1");
        }
        require(arrayCentreEcef.length == 3, "array centre needs x, y, z");
        keywords = keywords == null ? Map.of() : new LinkedHashMap<>(keywords);
    }

    /** A copy with other samples (same metadata) and keywords merged over these. */
    public UvfitsData withVisibilities(Visibilities other, Map<String, Object> moreKeywords) {
        Map<String, Object> k = new LinkedHashMap<>(keywords);
        if (moreKeywords != null) {
            k.putAll(moreKeywords);
        }
        return new UvfitsData(telescope, instrument, object, arrayCentreEcef, antennaNumbers, antennaNames,
                antennaXyz, fieldNames, fieldRaRad, fieldDecRad, fieldPointingRaRad, fieldPointingDecRad, bltField,
                integrationSec, polarizations, other, k);
    }

    /** Pointing (beam centre) of every blt: its field's pointing. */
    public double[][] bltPointing() {
        double[] ra = new double[bltField.length];
        double[] dec = new double[bltField.length];
        for (int b = 0; b < ra.length; b++) {
            ra[b] = fieldPointingRaRad[bltField[b]];
            dec[b] = fieldPointingDecRad[bltField[b]];
        }
        return new double[][] {ra, dec};
    }

    public int nFields() {
        return fieldNames.length;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
