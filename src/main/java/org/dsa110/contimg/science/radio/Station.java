package org.dsa110.contimg.science.radio;

/**
 * One antenna station.
 *
 * @param number station number (DSA-001 → 1); this is the antenna identifier used everywhere (ant_1/ant_2, refant)
 * @param latitudeDeg  geodetic latitude (WGS84)
 * @param longitudeDeg geodetic longitude (WGS84, east positive)
 * @param elevationM   height (m) as listed in the station table
 * @param ecef         ECEF/ITRF position (m)
 * @param enu          East-North-Up offset (m) from the array reference point
 */
public record Station(int number, double latitudeDeg, double longitudeDeg, double elevationM, double[] ecef, double[] enu) {

    /** Stations 103-117 are the outriggers; 1-102 form the T-shaped core. */
    public boolean isOutrigger() {
        return number >= 103;
    }
}
