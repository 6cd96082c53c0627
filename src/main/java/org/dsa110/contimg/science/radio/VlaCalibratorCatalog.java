package org.dsa110.contimg.science.radio;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the VLA calibrator list ({@code data/vla_calibrators.csv}: one row per calibrator and band with columns
 * J2000_NAME, …, RA_J2000 ({@code 00h03m21.9969s}), DEC_J2000 ({@code -17d27'11.781"}), ALT_NAME, BAND, …,
 * FLUX_JY, …). Only the {@code 20cm} rows are kept, and only those with a finite positive flux.
 */
public final class VlaCalibratorCatalog {

    public static final String RESOURCE = "/data/vla_calibrators.csv";
    public static final String L_BAND = "20cm";

    private VlaCalibratorCatalog() {
    }

    /** The bundled VLA list, L-band rows. */
    public static List<VlaCalibrator> loadLBand() {
        try (InputStream in = VlaCalibratorCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return parse(in, L_BAND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a VLA-list CSV keeping the rows of one band (e.g. {@code 20cm}). */
    public static List<VlaCalibrator> parse(InputStream csv, String band) throws IOException {
        List<VlaCalibrator> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(csv, StandardCharsets.UTF_8))) {
            String header = r.readLine();
            if (header == null) {
                return out;
            }
            List<String> cols = splitCsv(header);
            int iName = cols.indexOf("J2000_NAME");
            int iRa = cols.indexOf("RA_J2000");
            int iDec = cols.indexOf("DEC_J2000");
            int iAlt = cols.indexOf("ALT_NAME");
            int iBand = cols.indexOf("BAND");
            int iFlux = cols.indexOf("FLUX_JY");
            if (iName < 0 || iRa < 0 || iDec < 0 || iBand < 0 || iFlux < 0) {
                throw new IOException("VLA calibrator CSV lacks required columns: " + header);
            }
            String line;
            while ((line = r.readLine()) != null) {
                List<String> f = splitCsv(line);
                if (f.size() <= iFlux || !band.equals(f.get(iBand).trim())) {
                    continue;
                }
                double flux;
                try {
                    flux = Double.parseDouble(f.get(iFlux).trim());
                } catch (NumberFormatException e) {
                    continue;
                }
                if (!(flux > 0) || Double.isInfinite(flux)) {
                    continue;
                }
                String alt = iAlt >= 0 ? f.get(iAlt).trim() : "";
                out.add(new VlaCalibrator(f.get(iName).trim(), "NaN".equals(alt) ? "" : alt,
                    SkyGeometry.parseRa(f.get(iRa)), SkyGeometry.parseDec(f.get(iDec)), flux));
            }
        }
        return out;
    }

    /** Minimal RFC 4180 splitter: quoted fields with doubled quotes. */
    static List<String> splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
