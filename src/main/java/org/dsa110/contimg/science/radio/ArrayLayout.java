package org.dsa110.contimg.science.radio;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DSA-110 antenna layout: station positions from {@code data/dsa110_station_coordinates.csv} (117 stations,
 * 1-102 the T-shaped core, 103-117 outriggers) converted to ECEF and to ENU relative to the array reference point.
 *
 * <p>The station table gives geodetic latitude/longitude and an elevation; the elevation is used as WGS84 height.
 * One station (DSA-117) has no elevation in the table: it gets the median elevation of the other stations
 * (the stations span only ~8 m in elevation, so the error in w is of that order at worst).
 *
 * <p>Instances are immutable; {@link #select(int...)} and {@link #selectDefault(int)} return sub-layouts.
 */
public final class ArrayLayout {

    public static final String STATION_RESOURCE = "/data/dsa110_station_coordinates.csv";
    /** Typical number of active DSA-110 antennas (science.md). */
    public static final int DEFAULT_ANTENNA_COUNT = 96;

    private final ObservatorySite site;
    private final List<Station> stations;
    private final Map<Integer, Integer> indexByNumber = new LinkedHashMap<>();

    public ArrayLayout(ObservatorySite site, List<Station> stations) {
        this.site = site;
        this.stations = List.copyOf(stations);
        for (int i = 0; i < this.stations.size(); i++) {
            if (indexByNumber.put(this.stations.get(i).number(), i) != null) {
                throw new IllegalArgumentException("duplicate station " + this.stations.get(i).number());
            }
        }
    }

    /** All 117 DSA-110 stations relative to {@link ObservatorySite#DSA110}. */
    public static ArrayLayout loadDsa110() {
        try (InputStream in = ArrayLayout.class.getResourceAsStream(STATION_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + STATION_RESOURCE);
            }
            return parse(in, ObservatorySite.DSA110);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses the station CSV (rows {@code ,DSA-NNN,lat,lon,elevation}; header and blank rows ignored). */
    public static ArrayLayout parse(InputStream csv, ObservatorySite site) throws IOException {
        List<double[]> rows = new ArrayList<>(); // number, lat, lon, elevation (NaN if missing)
        try (BufferedReader r = new BufferedReader(new InputStreamReader(csv, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split(",", -1);
                if (f.length < 4 || !f[1].trim().matches("DSA-\\d+")) {
                    continue;
                }
                int number = Integer.parseInt(f[1].trim().substring(4));
                double elev = f.length > 4 && !f[4].isBlank() ? Double.parseDouble(f[4].trim()) : Double.NaN;
                rows.add(new double[] {number, Double.parseDouble(f[2].trim()), Double.parseDouble(f[3].trim()), elev});
            }
        }
        double fallbackElevation = medianElevation(rows);
        double[] refEcef = site.ecef();
        List<Station> stations = new ArrayList<>(rows.size());
        for (double[] row : rows) {
            double elev = Double.isNaN(row[3]) ? fallbackElevation : row[3];
            double[] ecef = Geodesy.geodeticToEcef(row[1], row[2], elev);
            double[] enu = Geodesy.ecefToEnu(ecef, refEcef, site.latitudeDeg(), site.longitudeDeg());
            stations.add(new Station((int) row[0], row[1], row[2], elev, ecef, enu));
        }
        return new ArrayLayout(site, stations);
    }

    private static double medianElevation(List<double[]> rows) {
        double[] e = rows.stream().mapToDouble(r -> r[3]).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (e.length == 0) {
            throw new IllegalArgumentException("no station elevations in table");
        }
        return e.length % 2 == 1 ? e[e.length / 2] : 0.5 * (e[e.length / 2 - 1] + e[e.length / 2]);
    }

    /** Sub-layout with exactly the given station numbers, in the given order. */
    public ArrayLayout select(int... stationNumbers) {
        List<Station> out = new ArrayList<>(stationNumbers.length);
        for (int n : stationNumbers) {
            out.add(station(n));
        }
        return new ArrayLayout(site, out);
    }

    /**
     * The stations within {@code radiusM} (horizontal distance) of the stations' mean position: a compact core for
     * wide-field, low-resolution snapshots (e.g. 450 m gives the 900 m core and a ~1′ beam).
     */
    public ArrayLayout within(double radiusM) {
        double[] c = new double[3];
        for (Station s : stations) {
            for (int i = 0; i < 3; i++) {
                c[i] += s.enu()[i] / stations.size();
            }
        }
        return new ArrayLayout(site, stations.stream()
                .filter(s -> Math.hypot(s.enu()[0] - c[0], s.enu()[1] - c[1]) < radiusM).toList());
    }

    /**
     * Default selection of {@code n} antennas. Rule: every outrigger (103-117, up to n of them, so the reference
     * antenna chain 103…117 is available), then the remaining {@code n − outriggers} taken from the core
     * stations (1-102) at evenly spaced positions in station-number order, so both arms of the T are sampled.
     * Result sorted by station number. {@code n ≥} the station count returns everything.
     */
    public ArrayLayout selectDefault(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("n must be positive");
        }
        if (n >= stations.size()) {
            return this;
        }
        List<Station> outriggers = stations.stream().filter(Station::isOutrigger).toList();
        List<Station> core = stations.stream().filter(s -> !s.isOutrigger()).toList();
        List<Station> chosen = new ArrayList<>(outriggers.subList(0, Math.min(n, outriggers.size())));
        int nCore = n - chosen.size();
        for (int k = 0; k < nCore; k++) {
            // centre of the k-th of nCore equal slices of the core list
            int idx = (int) Math.floor((k + 0.5) * core.size() / nCore);
            chosen.add(core.get(idx));
        }
        chosen.sort((a, b) -> Integer.compare(a.number(), b.number()));
        return new ArrayLayout(site, chosen);
    }

    public ObservatorySite site() {
        return site;
    }

    public List<Station> stations() {
        return Collections.unmodifiableList(stations);
    }

    public int size() {
        return stations.size();
    }

    public Station station(int stationNumber) {
        Integer i = indexByNumber.get(stationNumber);
        if (i == null) {
            throw new IllegalArgumentException("no station " + stationNumber + " in layout");
        }
        return stations.get(i);
    }

    /** Index of a station in this layout, or −1. */
    public int indexOf(int stationNumber) {
        return indexByNumber.getOrDefault(stationNumber, -1);
    }

    /** Station numbers in layout order. */
    public int[] numbers() {
        return stations.stream().mapToInt(Station::number).toArray();
    }

    /** ECEF positions [antenna][xyz] (m), layout order. */
    public double[][] ecef() {
        return stations.stream().map(s -> s.ecef().clone()).toArray(double[][]::new);
    }

    /** ENU offsets [antenna][enu] (m), layout order. */
    public double[][] enu() {
        return stations.stream().map(s -> s.enu().clone()).toArray(double[][]::new);
    }

    /**
     * Antenna positions relative to the array reference point in the ECEF axes (pyuvdata's
     * {@code antenna_positions} convention), [antenna][xyz] metres.
     */
    public double[][] relativeEcef() {
        double[] ref = site.ecef();
        return stations.stream()
            .map(s -> new double[] {s.ecef()[0] - ref[0], s.ecef()[1] - ref[1], s.ecef()[2] - ref[2]})
            .toArray(double[][]::new);
    }

    @Override
    public String toString() {
        return "ArrayLayout[" + site.name() + ", " + stations.size() + " stations " + Arrays.toString(numbers()) + "]";
    }
}
