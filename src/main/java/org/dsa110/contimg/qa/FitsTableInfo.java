package org.dsa110.contimg.qa;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nom.tam.fits.Header;
import nom.tam.util.FitsFile;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.core.DataRoots;
import org.dsa110.contimg.store.Db;

/**
 * Table/column/row summary of the files the pipeline writes (CasaTableInfo of the legacy API): calibration tables
 * (FITS binary tables) and visibility files (UVFITS random groups), read header by header (no data is read).
 * Every HDU is listed; the top-level num_rows/columns describe the first table HDU (or the random groups, whose
 * "columns" are the group parameters plus DATA). Only files under the data roots are read.
 */
public final class FitsTableInfo {
    private static final Pattern TFORM = Pattern.compile("(\\d*)([LXBIJKAEDCMPQ])(.*)");
    private static final Map<Character, String> TYPES = Map.ofEntries(Map.entry('L', "bool"),
            Map.entry('X', "bit"), Map.entry('B', "uint8"), Map.entry('I', "int16"), Map.entry('J', "int32"),
            Map.entry('K', "int64"), Map.entry('A', "string"), Map.entry('E', "float32"), Map.entry('D', "float64"),
            Map.entry('C', "complex64"), Map.entry('M', "complex128"), Map.entry('P', "varlen32"),
            Map.entry('Q', "varlen64"));

    private final Db db;
    private final DataRoots roots;

    public FitsTableInfo(Db db, DataRoots roots) {
        this.db = db;
        this.roots = roots;
    }

    /** CasaTableInfo of the file at {@code path}; 404 when it is not a file under the roots, 422 when not FITS. */
    public Map<String, Object> info(String path) {
        Path file = roots.resolve(path).orElseThrow(() -> HubException.notFound("table file", path));
        if (!startsLikeFits(file)) {
            throw HubException.unprocessable("not a FITS file: " + file.getFileName(), Map.of("path", path));
        }
        List<Map<String, Object>> hdus = new ArrayList<>();
        try (FitsFile in = new FitsFile(file.toFile(), "r")) {
            for (int index = 0; ; index++) {
                if (in.getFilePointer() >= in.length()) {
                    break;
                }
                Header h = Header.readHeader(in);
                if (h == null) {
                    break;
                }
                hdus.add(describe(index, h));
                in.seek(in.getFilePointer() + h.getDataSize());
            }
        } catch (IOException | RuntimeException e) {
            if (hdus.isEmpty()) {
                throw HubException.unprocessable("not a FITS file: " + file.getFileName() + " (" + e.getMessage()
                        + ")", Map.of("path", path));
            }
        }
        if (hdus.isEmpty()) {
            throw HubException.unprocessable("not a FITS file: " + file.getFileName(), Map.of("path", path));
        }
        Map<String, Object> main = hdus.stream().filter(h -> h.containsKey("columns")).findFirst().orElse(hdus.get(0));
        Map<String, Object> registered = db.one("SELECT id, table_type, set_name, ms_path, status, refant, "
                + "n_antennas, valid_start_mjd, valid_end_mjd FROM caltables WHERE path = ? OR path = ?", path,
                file.toString()).orElse(null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("path", file.toString());
        out.put("table_type", registered != null ? registered.get("table_type")
                : main.get("kind").equals("random_groups") ? "UVFITS" : main.getOrDefault("extname", main.get("kind")));
        out.put("num_rows", main.getOrDefault("num_rows", 0));
        out.put("num_columns", main.containsKey("columns") ? ((List<?>) main.get("columns")).size() : 0);
        out.put("columns", main.getOrDefault("columns", List.of()));
        out.put("size_bytes", sizeOf(file));
        out.put("hdus", hdus);
        out.put("caltable", registered);
        return out;
    }

    /** A FITS file starts with the SIMPLE card. */
    private static boolean startsLikeFits(Path file) {
        try (var in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(9);
            return new String(head, java.nio.charset.StandardCharsets.US_ASCII).equals("SIMPLE  =");
        } catch (IOException e) {
            return false;
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    static Map<String, Object> describe(int index, Header h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", index);
        String xtension = h.getStringValue("XTENSION");
        boolean groups = xtension == null && h.getBooleanValue("GROUPS", false) && h.getIntValue("NAXIS1", -1) == 0;
        String kind = xtension == null ? (groups ? "random_groups" : "primary")
                : switch (xtension.trim().toUpperCase(Locale.ROOT)) {
                    case "BINTABLE", "A3DTABLE" -> "binary_table";
                    case "TABLE" -> "ascii_table";
                    case "IMAGE" -> "image";
                    default -> xtension.trim().toLowerCase(Locale.ROOT);
                };
        m.put("kind", kind);
        String extname = h.getStringValue("EXTNAME");
        if (extname != null) {
            m.put("extname", extname.trim());
        }
        int naxis = h.getIntValue("NAXIS", 0);
        if ("binary_table".equals(kind) || "ascii_table".equals(kind)) {
            int nCols = h.getIntValue("TFIELDS", 0);
            m.put("num_rows", h.getLongValue("NAXIS2", 0));
            List<Map<String, Object>> cols = new ArrayList<>();
            for (int c = 1; c <= nCols; c++) {
                cols.add(column(h, c, "binary_table".equals(kind)));
            }
            m.put("columns", cols);
        } else if ("random_groups".equals(kind)) {
            long gcount = h.getLongValue("GCOUNT", 1);
            int pcount = h.getIntValue("PCOUNT", 0);
            List<Integer> shape = new ArrayList<>();
            for (int a = naxis; a >= 2; a--) {
                shape.add(h.getIntValue("NAXIS" + a, 0));
            }
            String dtype = bitpixType(h.getIntValue("BITPIX", 0));
            m.put("num_rows", gcount);
            List<Map<String, Object>> cols = new ArrayList<>();
            for (int p = 1; p <= pcount; p++) {
                Map<String, Object> c = new LinkedHashMap<>();
                String name = h.getStringValue("PTYPE" + p);
                c.put("name", name == null ? "PARAM" + p : name.trim());
                c.put("dtype", dtype);
                c.put("shape", List.of());
                cols.add(c);
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("name", "DATA");
            data.put("dtype", dtype);
            data.put("shape", shape);
            cols.add(data);
            List<String> axes = new ArrayList<>();
            for (int a = 2; a <= naxis; a++) {
                String ctype = h.getStringValue("CTYPE" + a);
                axes.add(ctype == null ? "" : ctype.trim());
            }
            m.put("axes", axes);
            m.put("columns", cols);
            m.put("object", h.getStringValue("OBJECT"));
            m.put("telescope", h.getStringValue("TELESCOP"));
        } else {
            List<Integer> shape = new ArrayList<>();
            for (int a = naxis; a >= 1; a--) {
                shape.add(h.getIntValue("NAXIS" + a, 0));
            }
            m.put("shape", shape);
            m.put("dtype", naxis == 0 ? null : bitpixType(h.getIntValue("BITPIX", 0)));
        }
        return m;
    }

    private static Map<String, Object> column(Header h, int c, boolean binary) {
        Map<String, Object> col = new LinkedHashMap<>();
        String name = h.getStringValue("TTYPE" + c);
        col.put("name", name == null ? "COL" + c : name.trim());
        String tform = h.getStringValue("TFORM" + c);
        String dtype = tform == null ? null : tform.trim();
        List<Integer> shape = List.of();
        if (binary && tform != null) {
            Matcher m = TFORM.matcher(tform.trim());
            if (m.matches()) {
                dtype = TYPES.get(m.group(2).charAt(0));
                int repeat = m.group(1).isEmpty() ? 1 : Integer.parseInt(m.group(1));
                String tdim = h.getStringValue("TDIM" + c);
                if (tdim != null && tdim.trim().startsWith("(")) {
                    List<Integer> dims = new ArrayList<>();
                    for (String d : tdim.trim().replaceAll("[()\\s]", "").split(",")) {
                        dims.add(0, Integer.parseInt(d)); // FITS order is fastest-first; report C order
                    }
                    shape = dims;
                } else if (repeat != 1 && !"string".equals(dtype)) {
                    shape = List.of(repeat);
                }
            }
        }
        col.put("dtype", dtype);
        col.put("shape", shape);
        String unit = h.getStringValue("TUNIT" + c);
        if (unit != null && !unit.isBlank()) {
            col.put("unit", unit.trim());
        }
        return col;
    }

    private static String bitpixType(int bitpix) {
        return switch (bitpix) {
            case 8 -> "uint8";
            case 16 -> "int16";
            case 32 -> "int32";
            case 64 -> "int64";
            case -32 -> "float32";
            case -64 -> "float64";
            default -> "unknown";
        };
    }
}
