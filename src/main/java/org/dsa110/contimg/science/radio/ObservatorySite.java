package org.dsa110.contimg.science.radio;

/** Geodetic position of an observatory reference point (WGS84 degrees, metres). */
public record ObservatorySite(String name, double latitudeDeg, double longitudeDeg, double altitudeM) {

    /** DSA-110 array reference point used by the pipeline (science.md): 37.2314°, −118.2817°, 1222 m. */
    public static final ObservatorySite DSA110 = new ObservatorySite("DSA-110", 37.2314, -118.2817, 1222.0);

    /** Dish diameter of a DSA-110 antenna (m). */
    public static final double DSA110_DISH_DIAMETER_M = 4.7;

    public double latitudeRad() {
        return Math.toRadians(latitudeDeg);
    }

    public double longitudeRad() {
        return Math.toRadians(longitudeDeg);
    }

    /** ECEF position of the reference point (m). */
    public double[] ecef() {
        return Geodesy.geodeticToEcef(latitudeDeg, longitudeDeg, altitudeM);
    }
}
