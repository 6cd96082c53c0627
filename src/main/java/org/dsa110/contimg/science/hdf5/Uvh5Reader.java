package org.dsa110.contimg.science.hdf5;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a UVH5 file (pyuvdata's HDF5 layout, as {@link Uvh5Writer} writes it and as the DSA-110 correlator writes
 * it) into {@link Uvh5Data} with jhdf: single spectral window, data shaped (Nblts, Nfreqs, Npols); 2-D
 * (Nspws, Nfreqs) frequency arrays of older files are accepted. Flags may be h5py booleans (an HDF5 enum that jhdf
 * reports as "TRUE"/"FALSE"), booleans or integers. Missing {@code lst_array}, {@code integration_time} or
 * {@code nsamples} are tolerated (NaN, NaN and 1).
 *
 * <p>The phase-centre statement is read as written ({@link Uvh5PhaseCentres}: the UVH5 1.x catalog in either of its
 * two layouts, the pre-catalog keys); {@link Uvh5Phasing} interprets it. Baselines come back in the hub's order
 * ({@link Uvh5BaselineOrder}): blts grouped by time, ant1 ≤ ant2 (baselines stored the other way round are
 * conjugated), auto-correlations kept. A field the reader cannot make sense of raises {@link Uvh5FormatException}
 * naming it.
 */
public final class Uvh5Reader {

    private Uvh5Reader() {
    }

    public static Uvh5Data read(Path path) throws IOException {
        try (HdfFile f = new HdfFile(path)) {
            Group h = (Group) f.getChild("Header");
            Group d = (Group) f.getChild("Data");
            if (h == null || d == null) {
                throw new IOException(path + " lacks the Header or Data group of a UVH5 file");
            }
            double[] time = doubles(need(h, "time_array", path));
            int nBlts = time.length;
            int[] ant1 = ints(need(h, "ant_1_array", path));
            int[] ant2 = ints(need(h, "ant_2_array", path));
            double[] uvw = doubles(need(h, "uvw_array", path));
            double[] lst = has(h, "lst_array") ? doubles(h.getChild("lst_array")) : nan(nBlts);
            double[] inttime = has(h, "integration_time") ? doubles(h.getChild("integration_time")) : nan(nBlts);
            double[] freq = doubles(need(h, "freq_array", path));
            double[] width = has(h, "channel_width") ? doubles(h.getChild("channel_width")) : new double[0];
            if (width.length == 1 && freq.length > 1) {
                double w = width[0];
                width = new double[freq.length];
                java.util.Arrays.fill(width, w);
            } else if (width.length != freq.length) {
                width = new double[freq.length];
                for (int c = 0; c < freq.length; c++) {
                    width[c] = freq.length > 1 ? freq[Math.min(c + 1, freq.length - 1)] - freq[Math.max(c - 1, 0)]
                            : 0;
                }
            }
            int[] pols = ints(need(h, "polarization_array", path));
            String[] names = strings(need(h, "antenna_names", path));
            int[] numbers = ints(need(h, "antenna_numbers", path));
            double[] positions = doubles(need(h, "antenna_positions", path));
            double lat = scalar(h, "latitude", Double.NaN);
            double lon = scalar(h, "longitude", Double.NaN);
            double alt = scalar(h, "altitude", Double.NaN);
            String telescope = string(h, "telescope_name", "");
            String instrument = string(h, "instrument", telescope);
            String object = string(h, "object_name", "");
            String history = string(h, "history", "");
            String units = string(h, "vis_units", "uncalib");
            Map<String, Object> extra = new LinkedHashMap<>();
            if (has(h, "extra_keywords")) {
                for (Node n : ((Group) h.getChild("extra_keywords")).getChildren().values()) {
                    Object v = keyword(n);
                    if (v != null) {
                        extra.put(n.getName(), v);
                    }
                }
            }
            Dataset visDs = (Dataset) need(d, "visdata", path);
            int cells = nBlts * freq.length * pols.length;
            float[] vis = RawReads.complex(visDs, cells);
            Object raw = vis != null ? null : visDs.getData();
            if (vis != null) {
                // read straight from the file's bytes
            } else if (raw instanceof Map<?, ?> members) {
                vis = new float[2 * cells];
                float[] re = floats(members.get("r"));
                float[] im = floats(members.get("i"));
                for (int i = 0; i < re.length; i++) {
                    vis[2 * i] = re[i];
                    vis[2 * i + 1] = im[i];
                }
            } else {
                throw new IOException(path + ": Data/visdata is not the {r, i} compound type");
            }
            boolean[] flags = new boolean[cells];
            if (has(d, "flags")) {
                Dataset fd = (Dataset) d.getChild("flags");
                boolean[] rawFlags = RawReads.flags(fd, cells);
                flags = rawFlags != null ? rawFlags : booleans(fd.getData(), cells);
            }
            float[] nsamples;
            if (has(d, "nsamples")) {
                Dataset nd = (Dataset) d.getChild("nsamples");
                float[] rawN = RawReads.floats(nd, cells);
                nsamples = rawN != null ? rawN : floats(nd.getData());
            } else {
                nsamples = new float[vis.length / 2];
                java.util.Arrays.fill(nsamples, 1f);
            }
            Uvh5Data.Telescope tel = new Uvh5Data.Telescope(telescope, instrument, lat, lon, alt, names, numbers,
                    positions);
            return Uvh5BaselineOrder.canonical(new Uvh5Data(tel, object, history, units,
                    new Uvh5Data.BaselineTimes(ant1, ant2, time, lst, inttime, uvw), freq, width, pols, vis, flags,
                    nsamples, extra, Uvh5PhaseCentreFields.read(h, nBlts)));
        } catch (Uvh5FormatException e) {
            throw e.in(path.toString());
        } catch (RuntimeException e) {
            throw new IOException("cannot read UVH5 " + path + ": " + e.getMessage(), e);
        }
    }

    static boolean has(Group g, String name) {
        return g.getChildren().containsKey(name);
    }

    private static Node need(Group g, String name, Path path) throws IOException {
        Node n = g.getChildren().get(name);
        if (!(n instanceof Dataset)) {
            throw new IOException(path + " lacks " + g.getName() + "/" + name);
        }
        return n;
    }

    private static Object keyword(Node n) {
        if (!(n instanceof Dataset ds)) {
            return null;
        }
        Object v = ds.getData();
        if (v instanceof Number num) {
            return v instanceof Float || v instanceof Double ? (Object) num.doubleValue() : (Object) num.longValue();
        }
        if (v instanceof String || v instanceof Boolean) {
            return v;
        }
        if (v != null && v.getClass().isArray()) {
            Object flat = ds.getDataFlat();
            if (flat instanceof double[] || flat instanceof long[] || flat instanceof int[]) {
                return flat;
            }
            if (flat instanceof float[] fl) {
                double[] out = new double[fl.length];
                for (int i = 0; i < fl.length; i++) {
                    out[i] = fl[i];
                }
                return out;
            }
        }
        return null;
    }

    static double scalar(Group g, String name, double dflt) {
        Node n = g.getChildren().get(name);
        return n instanceof Dataset ds && ds.getData() instanceof Number v ? v.doubleValue() : dflt;
    }

    static String string(Group g, String name, String dflt) {
        Node n = g.getChildren().get(name);
        if (n instanceof Dataset ds) {
            Object v = ds.getData();
            if (v instanceof String s) {
                return s;
            }
            if (v instanceof String[] a && a.length > 0) {
                return a[0];
            }
        }
        return dflt;
    }

    static double[] doubles(Node n) {
        Object flat = ((Dataset) n).getDataFlat();
        int len = Array.getLength(flat);
        double[] out = new double[len];
        for (int i = 0; i < len; i++) {
            out[i] = ((Number) Array.get(flat, i)).doubleValue();
        }
        return out;
    }

    static int[] ints(Node n) {
        Object flat = ((Dataset) n).getDataFlat();
        int len = Array.getLength(flat);
        int[] out = new int[len];
        for (int i = 0; i < len; i++) {
            out[i] = ((Number) Array.get(flat, i)).intValue();
        }
        return out;
    }

    static String[] strings(Node n) {
        Object flat = ((Dataset) n).getDataFlat();
        int len = Array.getLength(flat);
        String[] out = new String[len];
        for (int i = 0; i < len; i++) {
            out[i] = String.valueOf(Array.get(flat, i)).trim();
        }
        return out;
    }

    /** Flattens a (nested) float array in C order. */
    static float[] floats(Object nested) {
        int n = count(nested);
        float[] out = new float[n];
        fill(nested, out, new int[1]);
        return out;
    }

    private static int count(Object a) {
        if (a instanceof float[] f) {
            return f.length;
        }
        int len = Array.getLength(a);
        int n = 0;
        for (int i = 0; i < len; i++) {
            n += count(Array.get(a, i));
        }
        return n;
    }

    private static void fill(Object a, float[] out, int[] pos) {
        if (a instanceof float[] f) {
            System.arraycopy(f, 0, out, pos[0], f.length);
            pos[0] += f.length;
            return;
        }
        if (a instanceof double[] dd) {
            for (double v : dd) {
                out[pos[0]++] = (float) v;
            }
            return;
        }
        int len = Array.getLength(a);
        for (int i = 0; i < len; i++) {
            fill(Array.get(a, i), out, pos);
        }
    }

    static boolean[] booleans(Object nested, int n) {
        boolean[] out = new boolean[n];
        int[] pos = new int[1];
        collect(nested, out, pos);
        if (pos[0] != n) {
            throw new IllegalArgumentException("flags hold " + pos[0] + " values, expected " + n);
        }
        return out;
    }

    private static void collect(Object a, boolean[] out, int[] pos) {
        if (a instanceof boolean[] b) {
            System.arraycopy(b, 0, out, pos[0], b.length);
            pos[0] += b.length;
            return;
        }
        if (a instanceof byte[] b) {
            for (byte x : b) {
                out[pos[0]++] = x != 0;
            }
            return;
        }
        if (a instanceof String[] s) {
            for (String x : s) {
                out[pos[0]++] = x != null && x.length() == 4 && "TRUE".equalsIgnoreCase(x);
            }
            return;
        }
        if (a != null && a.getClass().isArray()) {
            boolean leaf = a.getClass().getComponentType().isPrimitive();
            for (int i = 0; i < Array.getLength(a); i++) {
                Object e = Array.get(a, i);
                if (!leaf && e != null && e.getClass().isArray()) {
                    collect(e, out, pos);
                } else {
                    out[pos[0]++] = truthy(e);
                }
            }
            return;
        }
        out[pos[0]++] = truthy(a);
    }

    private static boolean truthy(Object e) {
        if (e instanceof Boolean b) {
            return b;
        }
        if (e instanceof Number n) {
            return n.doubleValue() != 0;
        }
        return e != null && "TRUE".equalsIgnoreCase(e.toString().trim());
    }

    private static double[] nan(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, Double.NaN);
        return a;
    }
}
