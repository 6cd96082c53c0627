package org.dsa110.contimg.science.uvfits;

import org.jastronomy.jsofa.JSOFA;
import org.jastronomy.jsofa.JSOFAIllegalParameter;
import org.jastronomy.jsofa.JSOFAInternalError;

/**
 * Time keywords of the AIPS AN table (AIPS Memo 117): GSTIA0 and DEGPDY. GSTIA0 is the sidereal time at 0h UTC
 * of the reference day, so it uses UT1 = UTC + UT1UTC (the Earth orientation the hub is configured with; the
 * table's UT1UTC keyword carries the same value).
 */
final class AntennaTableTimes {
    /** Earth rotation in degrees per UTC day (the value AIPS and CASA write). */
    static final double DEGREES_PER_DAY = 360.985644973;

    private AntennaTableTimes() {
    }

    /** Greenwich apparent sidereal time (IAU 2006/2000A, radians) at 0h UTC of the day starting at {@code jd0}. */
    static double gstAt0h(double jd0) {
        return gstAt0h(jd0, 0.0);
    }

    /** The same with UT1 − UTC = {@code ut1MinusUtcSec}. */
    static double gstAt0h(double jd0, double ut1MinusUtcSec) {
        try {
            JSOFA.JulianDate tai = JSOFA.jauUtctai(jd0, 0.0);
            JSOFA.JulianDate tt = JSOFA.jauTaitt(tai.djm0, tai.djm1);
            return JSOFA.jauGst06a(jd0, ut1MinusUtcSec / 86400.0, tt.djm0, tt.djm1);
        } catch (JSOFAIllegalParameter | JSOFAInternalError e) {
            throw new IllegalArgumentException("cannot compute GSTIA0 for JD " + jd0 + ": " + e.getMessage(), e);
        }
    }
}
