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
import org.dsa110.contimg.store.Db;

/**
 * Table/column/row summary of the files the pipeline writes (CasaTableInfo of the legacy API): calibration tables
 * (FITS binary tables) and visibility files (UVFITS random groups), read header by header (no data is read).
 * Every HDU is listed; the top-level num_rows/columns describe the first table HDU (or the random groups, whose
 * "columns" are the group parameters plus DATA). Callers confine the path to the data roots first.
 */
public final class FitsTableInfo {
    private static final Pattern TFORM = Pattern.compile("(\\d*)([LXBIJKAEDCMPQ])(.*)");
    private static final Map<Character, String> TYPES = Map.ofEntries(Map.entry('L', "bool"),
            Map.entry('X', "bit"), Map.entry('B', "uint8"), Map.entry('I', "int16"), Map.entry('J', "int32"),
            Map.entry('K', "int64"), Map.entry('A', "string"), Map.entry('E', "float32"), Map.entry('D', "float64"),
            Map.entry('C', "complex64"), Map.entry('M', "complex128"), Map.entry('P', "varlen32"),
            Map.entry('Q', "varlen64"));

    private final Db db;

    public FitsTableInfo(Db db) {
        this.db = db;
    }

    /**
     * CasaTableInfo. The operators' dashboard reads {@code exists, nrows, columns} (column names),
     * {@code keywords, subtables, is_writable, error}; the hub's own fields sit beside ({@code num_rows},
     * {@code column_details} with dtype and shape, {@code hdus}, the registered {@code caltable}).
     * {@code is_writable} is false: the view never writes.
     */
    public record TableInfo(String path, boolean exists, String tableType, Long nrows, Long numRows, int numColumns,
            List<String> columns, List<Map<String, Object>> columnDetails, Map<String, Object> keywords,
            List<String> subtables, Boolean isWritable, Long sizeBytes, List<Map<String, Object>> hdus,
            Map<String, Object> caltable, String error) {
    }

    /** The answer for a path that does not exist: {@code exists} false and why, nothing else known. */
    public static TableInfo missing(String path, String error) {
        return new TableInfo(path, false, null, null, null, 0, null, null, null, null, null, null, null, null, error);
    }

    /** Structural cards, which {@code keywords} leaves out. */
    private static final Pattern STRUCTURAL = Pattern.compile("SIMPLE|BITPIX|NAXIS\\d*|EXTEND|XTENSION|PCOUNT|GCOUNT|"
            + "GROUPS|TFIELDS|T(TYPE|FORM|UNIT|DIM|SCAL|ZERO|NULL|DISP)\\d+|P(TYPE|SCAL|ZERO)\\d+|END|COMMENT|HISTORY|");

    /**
     * CasaTableInfo of {@code file}, a real path the caller has confined to the data roots. A FITS table or UVFITS
     * file is described HDU by HDU; a CASA table directory (which the hub cannot read without casacore) lists its
     * subtables; anything else answers with {@code error}.
     */
    public TableInfo info(Path file) {
        if (Files.isDirectory(file)) {
            List<String> sub = new ArrayList<>();
            try (var dirs = Files.list(file)) {
                dirs.filter(d -> Files.isRegularFile(d.resolve("table.dat"))).map(d -> d.getFileName().toString())
                        .sorted().forEach(sub::add);
            } catch (IOException e) {
                // an unreadable directory lists no subtables
            }
            boolean casa = Files.isRegularFile(file.resolve("table.dat"));
            return new TableInfo(file.toString(), true, casa ? "CASA" : null, null, null, 0, List.of(), List.of(),
                    Map.of(), sub, false, null, List.of(), null, casa
                            ? "a CASA table: the hub reads FITS tables and UVFITS only (no casacore); subtables listed"
                            : "a directory, not a table");
        }
        List<Map<String, Object>> hdus = new ArrayList<>();
        List<Header> headers = new ArrayList<>();
        if (startsLikeFits(file)) {
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
                    headers.add(h);
                    in.seek(in.getFilePointer() + h.getDataSize());
                }
            } catch (IOException | RuntimeException e) {
                // the HDUs read before the damage are still described
            }
        }
        if (hdus.isEmpty()) {
            return new TableInfo(file.toString(), true, null, null, null, 0, List.of(), List.of(), Map.of(),
                    List.of(), false, sizeOf(file), List.of(), null, "not a FITS table or UVFITS file: "
                            + file.getFileName());
        }
        int mainIndex = 0;
        for (int i = 0; i < hdus.size(); i++) {
            if (hdus.get(i).containsKey("columns")) {
                mainIndex = i;
                break;
            }
        }
        Map<String, Object> main = hdus.get(mainIndex);
        Map<String, Object> registered = db.one("SELECT id, table_type, set_name, ms_path, status, refant, "
                + "n_antennas, valid_start_mjd, valid_end_mjd FROM caltables WHERE path = ?", file.toString())
                .orElse(null);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> cols = (List<Map<String, Object>>) main.getOrDefault("columns", List.of());
        Long rows = main.get("num_rows") instanceof Number n ? n.longValue() : 0L;
        Map<String, Object> keywords = new LinkedHashMap<>();
        for (var it = headers.get(mainIndex).iterator(); it.hasNext();) {
            nom.tam.fits.HeaderCard c = it.next();
            String key = c.getKey() == null ? "" : c.getKey().trim();
            if (!STRUCTURAL.matcher(key).matches() && c.getValue() != null) {
                keywords.put(key, c.getValue().trim());
            }
        }
        String type = registered != null ? (String) registered.get("table_type")
                : main.get("kind").equals("random_groups") ? "UVFITS"
                        : String.valueOf(main.getOrDefault("extname", main.get("kind")));
        return new TableInfo(file.toString(), true, type, rows, rows, cols.size(),
                cols.stream().map(c -> String.valueOf(c.get("name"))).toList(), cols, keywords,
                hdus.stream().skip(1).map(h -> String.valueOf(h.getOrDefault("extname", "HDU" + h.get("index"))))
                        .toList(), false, sizeOf(file), hdus, registered, null);
    }

    /** A FITS file starts with the SIMPLE card. */
    public static boolean startsLikeFits(Path file) {
        try (var in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(9);
            return new String(head, java.nio.charset.StandardCharsets.US_ASCII).equals("SIMPLE  =");
        } catch (IOException e) {
            return false;
        }
    }

    private static Long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return null;
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

    /** The NumPy-style type of a FITS BITPIX ("unknown" for an invalid one). */
    public static String bitpixType(int bitpix) {
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
