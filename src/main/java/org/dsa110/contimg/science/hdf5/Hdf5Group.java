package org.dsa110.contimg.science.hdf5;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A group holding named child groups and datasets, in insertion order. Array convenience methods
 * take an optional shape; without one the dataset is one-dimensional. Arrays are referenced, not
 * copied, until the file is written, so do not modify them in between.
 */
public final class Hdf5Group extends Hdf5Node {

    private final Map<String, Hdf5Node> children = new LinkedHashMap<>();

    Hdf5Group(String name) {
        super(name);
    }

    public List<Hdf5Node> children() {
        return Collections.unmodifiableList(new ArrayList<>(children.values()));
    }

    /** The child group {@code name}, created if absent. */
    public Hdf5Group group(String name) {
        Hdf5Node existing = children.get(name);
        if (existing instanceof Hdf5Group g) {
            return g;
        }
        if (existing != null) {
            throw new IllegalArgumentException("'" + name + "' is already a dataset");
        }
        return add(new Hdf5Group(checkName(name)));
    }

    /** General dataset of any supported type and shape. */
    public Hdf5Dataset dataset(String name, Hdf5Type type, long[] dims, Hdf5Data data) {
        if (children.containsKey(name)) {
            throw new IllegalArgumentException("'" + name + "' already exists in group " + name());
        }
        return add(new Hdf5Dataset(checkName(name), type, dims, data));
    }

    public Hdf5Dataset dataset(String name, double[] values, long... dims) {
        return dataset(name, Hdf5Type.FLOAT64, shape(dims, values.length), Hdf5Data.of(values));
    }

    public Hdf5Dataset dataset(String name, float[] values, long... dims) {
        return dataset(name, Hdf5Type.FLOAT32, shape(dims, values.length), Hdf5Data.of(values));
    }

    public Hdf5Dataset dataset(String name, long[] values, long... dims) {
        return dataset(name, Hdf5Type.INT64, shape(dims, values.length), Hdf5Data.of(values));
    }

    public Hdf5Dataset dataset(String name, int[] values, long... dims) {
        return dataset(name, Hdf5Type.INT32, shape(dims, values.length), Hdf5Data.of(values));
    }

    public Hdf5Dataset dataset(String name, short[] values, long... dims) {
        return dataset(name, Hdf5Type.INT16, shape(dims, values.length), Hdf5Data.of(values));
    }

    /** Signed 8-bit integers. */
    public Hdf5Dataset dataset(String name, byte[] values, long... dims) {
        return dataset(name, Hdf5Type.INT8, shape(dims, values.length), Hdf5Data.of(values));
    }

    /** Booleans as the h5py bool enumeration. */
    public Hdf5Dataset dataset(String name, boolean[] values, long... dims) {
        return dataset(name, Hdf5Type.BOOL, shape(dims, values.length), Hdf5Data.of(values));
    }

    /** Strings as a fixed-length, null-padded array as wide as the longest one (numpy {@code S} dtype). */
    public Hdf5Dataset dataset(String name, String[] values, long... dims) {
        Hdf5Type.FixedString type = stringType(values);
        return dataset(name, type, shape(dims, values.length), Hdf5Data.of(values, type.size()));
    }

    /** Complex float32 from interleaved (re, im) pairs, stored as compound {r, i}. */
    public Hdf5Dataset complexDataset(String name, float[] interleaved, long... dims) {
        return dataset(name, Hdf5Type.COMPLEX64, shape(dims, interleaved.length / 2), Hdf5Data.complexOf(interleaved));
    }

    public Hdf5Dataset scalar(String name, double value) {
        return dataset(name, Hdf5Type.FLOAT64, new long[0], Hdf5Data.of(new double[] {value}));
    }

    public Hdf5Dataset scalar(String name, long value) {
        return dataset(name, Hdf5Type.INT64, new long[0], Hdf5Data.of(new long[] {value}));
    }

    public Hdf5Dataset scalar(String name, int value) {
        return dataset(name, Hdf5Type.INT32, new long[0], Hdf5Data.of(new int[] {value}));
    }

    public Hdf5Dataset scalar(String name, boolean value) {
        return dataset(name, Hdf5Type.BOOL, new long[0], Hdf5Data.of(new boolean[] {value}));
    }

    /** Scalar fixed-length string exactly as long as the text, like h5py's {@code np.bytes_} scalars. */
    public Hdf5Dataset scalar(String name, String value) {
        Hdf5Type.FixedString type = stringType(value);
        return dataset(name, type, new long[0], Hdf5Data.of(new String[] {value}, type.size()));
    }

    private <T extends Hdf5Node> T add(T node) {
        children.put(node.name(), node);
        return node;
    }

    private static long[] shape(long[] dims, long length) {
        return dims.length == 0 ? new long[] {length} : dims;
    }

    private static String checkName(String name) {
        if (name == null || name.isEmpty() || name.contains("/") || name.equals(".")) {
            throw new IllegalArgumentException("invalid HDF5 link name: '" + name + "'");
        }
        return name;
    }
}
