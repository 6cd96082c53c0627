package org.dsa110.contimg.science.hdf5;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.SortedMap;
import java.util.TreeMap;
import org.dsa110.contimg.core.Json;

/**
 * Reads the phase-centre fields of a UVH5 header into {@link Uvh5PhaseCentres} (and writes them, for
 * {@link Uvh5Writer}). The catalog has two layouts: a group per entry named by its id holding {@code cat_*}
 * datasets (pyuvdata ≥ 2.3; absent values are empty datasets), or, in the first UVH5 1.0 files, one dataset per
 * entry named by {@code cat_name} holding a JSON object with {@code cat_id} and the other {@code cat_*} keys.
 */
final class Uvh5PhaseCentreFields {
    private static final String CATALOG = "phase_center_catalog";

    private Uvh5PhaseCentreFields() {
    }

    static Uvh5PhaseCentres read(Group h, int nBlts) {
        String phaseType = Uvh5Reader.has(h, "phase_type") ? Uvh5Reader.string(h, "phase_type", null) : null;
        SortedMap<Integer, Uvh5PhaseCentres.Entry> catalog = new TreeMap<>();
        if (h.getChildren().get(CATALOG) instanceof Group g) {
            for (Node n : g.getChildren().values()) {
                Uvh5PhaseCentres.Entry e = n instanceof Group entry ? fromGroup(entry) : fromJson(n);
                if (catalog.put(e.id(), e) != null) {
                    throw new Uvh5FormatException(field(n.getName()), "phase centre id " + e.id() + " used twice");
                }
            }
            if (catalog.isEmpty()) {
                throw new Uvh5FormatException("Header/" + CATALOG, "the catalog is empty");
            }
        }
        return new Uvh5PhaseCentres(phaseType, number(h, "phase_center_ra", "Header/"),
                number(h, "phase_center_dec", "Header/"),
                Uvh5Reader.has(h, "phase_center_frame") ? Uvh5Reader.string(h, "phase_center_frame", null) : null,
                number(h, "phase_center_epoch", "Header/"), catalog,
                perBlt(h, "phase_center_id_array", nBlts, Uvh5Reader::ints),
                perBlt(h, "phase_center_app_ra", nBlts, Uvh5Reader::doubles),
                perBlt(h, "phase_center_app_dec", nBlts, Uvh5Reader::doubles),
                perBlt(h, "phase_center_frame_pa", nBlts, Uvh5Reader::doubles));
    }

    /** Writes {@code p} into the header group {@code h}: the catalog layout pyuvdata 2.4 writes, or the legacy keys. */
    static void write(Uvh5PhaseCentres p, Hdf5Group h) {
        if (p.hasCatalog()) {
            Hdf5Group cat = h.group(CATALOG);
            for (Uvh5PhaseCentres.Entry e : p.catalog().values()) {
                Hdf5Group g = cat.group(Integer.toString(e.id()));
                g.scalar("cat_name", e.name());
                g.scalar("cat_type", e.type());
                if (e.frame() != null) {
                    g.scalar("cat_frame", e.frame());
                }
                if (e.lon() != null) {
                    g.scalar("cat_lon", e.lon());
                }
                if (e.lat() != null) {
                    g.scalar("cat_lat", e.lat());
                }
                if (e.epoch() != null) {
                    g.scalar("cat_epoch", e.epoch());
                }
                g.scalar("info_source", "user");
            }
            h.scalar("Nphase", (long) p.catalog().size());
        } else if (p.phaseType() != null) {
            h.scalar("phase_type", p.phaseType());
            writeIfSet(h, "phase_center_ra", p.legacyRa());
            writeIfSet(h, "phase_center_dec", p.legacyDec());
            writeIfSet(h, "phase_center_epoch", p.legacyEpoch());
            if (p.legacyFrame() != null) {
                h.scalar("phase_center_frame", p.legacyFrame());
            }
        }
        if (p.idArray() != null) {
            h.dataset("phase_center_id_array", java.util.Arrays.stream(p.idArray()).asLongStream().toArray());
        }
        // apparent coordinates are optional (pyuvdata recomputes them): written only when all are known
        if (finite(p.appRa()) && finite(p.appDec()) && finite(p.framePa())) {
            h.dataset("phase_center_app_ra", p.appRa());
            h.dataset("phase_center_app_dec", p.appDec());
            h.dataset("phase_center_frame_pa", p.framePa());
        }
    }

    private static boolean finite(double[] a) {
        return a != null && java.util.Arrays.stream(a).allMatch(Double::isFinite);
    }

    private static void writeIfSet(Hdf5Group h, String name, Double v) {
        if (v != null) {
            h.scalar(name, v);
        }
    }

    private static Uvh5PhaseCentres.Entry fromGroup(Group g) {
        int id;
        try {
            id = Integer.parseInt(g.getName().trim());
        } catch (NumberFormatException e) {
            throw new Uvh5FormatException(field(g.getName()), "catalog entries are named by their integer id");
        }
        String type = text(g, "cat_type");
        if (type == null) {
            throw new Uvh5FormatException(field(g.getName()) + "/cat_type", "missing");
        }
        String name = text(g, "cat_name");
        String at = field(g.getName()) + "/";
        return new Uvh5PhaseCentres.Entry(id, name == null ? g.getName() : name, type, text(g, "cat_frame"),
                number(g, "cat_lon", at), number(g, "cat_lat", at), number(g, "cat_epoch", at));
    }

    private static Uvh5PhaseCentres.Entry fromJson(Node n) {
        String json = n instanceof Dataset ds && ds.getData() instanceof String s ? s : null;
        JsonNode o;
        try {
            o = json == null ? null : Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            o = null;
        }
        if (o == null || !o.isObject() || !o.path("cat_id").canConvertToInt() || !o.path("cat_type").isTextual()) {
            throw new Uvh5FormatException(field(n.getName()),
                    "neither a catalog group nor a JSON entry with cat_id and cat_type");
        }
        return new Uvh5PhaseCentres.Entry(o.get("cat_id").asInt(), n.getName(), o.get("cat_type").asText(),
                o.path("cat_frame").isTextual() ? o.get("cat_frame").asText() : null, json(o, "cat_lon"),
                json(o, "cat_lat"), json(o, "cat_epoch"));
    }

    private static Double json(JsonNode o, String key) {
        JsonNode v = o.get(key);
        return v != null && v.isNumber() ? v.asDouble() : null;
    }

    private static String field(String entry) {
        return "Header/" + CATALOG + "/" + entry;
    }

    /** A scalar string dataset, or null (absent or empty). */
    private static String text(Group g, String name) {
        String s = Uvh5Reader.has(g, name) ? Uvh5Reader.string(g, name, null) : null;
        return s == null ? null : s.trim();
    }

    /** A scalar number dataset, or null when absent or empty (h5py's None). */
    private static Double number(Group g, String name, String at) {
        if (!(g.getChildren().get(name) instanceof Dataset ds) || ds.isEmpty()) {
            return null;
        }
        Object v = ds.getData();
        if (v instanceof Number num) {
            return num.doubleValue();
        }
        if (v != null && v.getClass().isArray() && java.lang.reflect.Array.getLength(v) == 1
                && java.lang.reflect.Array.get(v, 0) instanceof Number num) {
            return num.doubleValue();
        }
        throw new Uvh5FormatException(at + name, "not a number");
    }

    /** A per-blt dataset read with {@code read}, or null when absent; its length must be Nblts. */
    private static <T> T perBlt(Group h, String name, int n, java.util.function.Function<Node, T> read) {
        if (!Uvh5Reader.has(h, name)) {
            return null;
        }
        T a = read.apply(h.getChild(name));
        int len = java.lang.reflect.Array.getLength(a);
        if (len != n) {
            throw new Uvh5FormatException("Header/" + name, len + " values for " + n + " baseline-times");
        }
        return a;
    }
}
