package org.dsa110.contimg.files;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import nom.tam.fits.Header;
import nom.tam.fits.HeaderCard;
import nom.tam.util.FitsFile;
import org.dsa110.contimg.qa.FitsTableInfo;

/**
 * A FITS file's header summary for the dashboard's FITS viewer, read header by header with nom-tam-fits (no data
 * is read): the HDU table as {@code astropy.io.fits.info()} prints it, the primary image's shape (NumPy order,
 * slowest axis first) and its header keys and values.
 */
public final class FitsSummary {

    /** One HDU: dimensions in FITS order (NAXIS1 first), format from BITPIX or the table kind. */
    public record Hdu(int index, String name, String type, int cards, List<Integer> dimensions, String format) {
    }

    /**
     * GET /api/visualization/fits/info. {@code shape}, {@code naxis} and {@code header} describe the first HDU
     * holding an image (else the primary); {@code error} says why a file could not be read.
     */
    public record FitsInfo(String path, boolean exists, List<Integer> shape, String summary, List<String> headerKeys,
            Integer naxis, Map<String, Object> header, List<Hdu> hdus, String error) {
    }

    private FitsSummary() {
    }

    /** The summary of {@code file} (a real path inside the data roots). */
    public static FitsInfo read(Path file) {
        List<Header> headers = new ArrayList<>();
        String error = null;
        if (!FitsTableInfo.startsLikeFits(file)) {
            return new FitsInfo(file.toString(), true, null, null, null, null, null, List.of(),
                    "not a FITS file: " + file.getFileName());
        }
        try (FitsFile in = new FitsFile(file.toFile(), "r")) {
            while (in.getFilePointer() < in.length()) {
                Header h = Header.readHeader(in);
                if (h == null) {
                    break;
                }
                headers.add(h);
                in.seek(in.getFilePointer() + h.getDataSize());
            }
        } catch (IOException | RuntimeException e) {
            error = headers.isEmpty() ? "cannot read the FITS header: " + e.getMessage()
                    : "read " + headers.size() + " HDU(s); the rest is unreadable: " + e.getMessage();
        }
        if (headers.isEmpty()) {
            return new FitsInfo(file.toString(), true, null, null, null, null, null, List.of(), error);
        }
        List<Hdu> hdus = new ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
            hdus.add(hdu(i, headers.get(i)));
        }
        int image = 0;
        for (int i = 0; i < hdus.size(); i++) {
            if (hdus.get(i).type().endsWith("ImageHDU") || hdus.get(i).type().equals("PrimaryHDU")) {
                if (!hdus.get(i).dimensions().isEmpty()) {
                    image = i;
                    break;
                }
            }
        }
        Header h = headers.get(image);
        List<Integer> shape = new ArrayList<>(hdus.get(image).dimensions());
        java.util.Collections.reverse(shape);
        Map<String, Object> values = new LinkedHashMap<>();
        for (var it = h.iterator(); it.hasNext();) {
            HeaderCard c = it.next();
            String key = c.getKey() == null ? "" : c.getKey().trim();
            if (!key.isEmpty() && !key.equals("END") && !key.equals("COMMENT") && !key.equals("HISTORY")) {
                values.putIfAbsent(key, value(c));
            }
        }
        return new FitsInfo(file.toString(), true, shape, table(file, hdus), List.copyOf(values.keySet()),
                h.getIntValue("NAXIS", 0), values, hdus, error);
    }

    private static Object value(HeaderCard c) {
        Class<?> type = c.valueType();
        try {
            if (type == Boolean.class) {
                return c.getValue(Boolean.class, null);
            }
            if (type == Integer.class || type == Long.class) {
                return c.getValue(Long.class, null);
            }
            if (type == Double.class || type == Float.class || type == java.math.BigDecimal.class) {
                return c.getValue(Double.class, null);
            }
        } catch (RuntimeException e) {
            // fall through to the text
        }
        return c.getValue() == null ? null : c.getValue().trim();
    }

    private static Hdu hdu(int index, Header h) {
        String xtension = h.getStringValue("XTENSION");
        String type;
        String format;
        boolean groups = xtension == null && h.getBooleanValue("GROUPS", false);
        if (xtension == null) {
            type = groups ? "GroupsHDU" : "PrimaryHDU";
            format = bitpix(h.getIntValue("BITPIX", 0));
        } else {
            switch (xtension.trim().toUpperCase(Locale.ROOT)) {
                case "BINTABLE", "A3DTABLE" -> {
                    type = "BinTableHDU";
                    format = h.getIntValue("TFIELDS", 0) + "C";
                }
                case "TABLE" -> {
                    type = "TableHDU";
                    format = h.getIntValue("TFIELDS", 0) + "C";
                }
                default -> {
                    type = "ImageHDU";
                    format = bitpix(h.getIntValue("BITPIX", 0));
                }
            }
        }
        List<Integer> dims = new ArrayList<>();
        int naxis = h.getIntValue("NAXIS", 0);
        for (int a = groups ? 2 : 1; a <= naxis; a++) {
            dims.add(h.getIntValue("NAXIS" + a, 0));
        }
        if (type.endsWith("TableHDU")) {
            dims = List.of(h.getIntValue("NAXIS2", 0)); // rows
        }
        String name = h.getStringValue("EXTNAME");
        return new Hdu(index, name != null ? name.trim() : index == 0 ? "PRIMARY" : "", type,
                h.getNumberOfPhysicalCards(), dims, format);
    }

    /** The HDU table in the layout of astropy's {@code fits.info()}. */
    static String table(Path file, List<Hdu> hdus) {
        StringBuilder s = new StringBuilder("Filename: ").append(file).append('\n');
        s.append(String.format(Locale.ROOT, "%-4s %-12s %-13s %6s   %-24s %s%n", "No.", "Name", "Type", "Cards",
                "Dimensions", "Format"));
        for (Hdu h : hdus) {
            String dims = h.dimensions().isEmpty() ? "()" : h.dimensions().toString().replace('[', '(')
                    .replace(']', ')');
            s.append(String.format(Locale.ROOT, "%-4d %-12s %-13s %6d   %-24s %s%n", h.index(), h.name(), h.type(),
                    h.cards(), dims, h.format()));
        }
        return s.toString();
    }

    private static String bitpix(int bitpix) {
        String t = FitsTableInfo.bitpixType(bitpix);
        return "unknown".equals(t) ? "" : t;
    }
}
