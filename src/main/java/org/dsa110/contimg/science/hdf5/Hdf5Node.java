package org.dsa110.contimg.science.hdf5;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An HDF5 object (group or dataset) with a name inside its parent and attributes. */
public abstract sealed class Hdf5Node permits Hdf5Group, Hdf5Dataset {

    private final String name;
    private final Map<String, Hdf5Attribute> attributes = new LinkedHashMap<>();

    protected Hdf5Node(String name) {
        this.name = name;
    }

    /** Link name inside the parent group ("/" for the root group). */
    public String name() {
        return name;
    }

    public List<Hdf5Attribute> attributes() {
        return Collections.unmodifiableList(new ArrayList<>(attributes.values()));
    }

    /** Adds or replaces an attribute. */
    public void attribute(Hdf5Attribute attribute) {
        attributes.put(attribute.name(), attribute);
    }

    public void attribute(String attrName, Hdf5Type type, long[] dims, Hdf5Data data) {
        attribute(new Hdf5Attribute(attrName, type, dims, data));
    }

    /** Scalar string attribute (fixed length, exactly as long as the text). */
    public void attribute(String attrName, String value) {
        Hdf5Type.FixedString type = stringType(value);
        attribute(attrName, type, new long[0], Hdf5Data.of(new String[] {value}, type.size()));
    }

    public void attribute(String attrName, double value) {
        attribute(attrName, Hdf5Type.FLOAT64, new long[0], Hdf5Data.of(new double[] {value}));
    }

    public void attribute(String attrName, long value) {
        attribute(attrName, Hdf5Type.INT64, new long[0], Hdf5Data.of(new long[] {value}));
    }

    public void attribute(String attrName, int value) {
        attribute(attrName, Hdf5Type.INT32, new long[0], Hdf5Data.of(new int[] {value}));
    }

    public void attribute(String attrName, boolean value) {
        attribute(attrName, Hdf5Type.BOOL, new long[0], Hdf5Data.of(new boolean[] {value}));
    }

    public void attribute(String attrName, double[] values) {
        attribute(attrName, Hdf5Type.FLOAT64, new long[] {values.length}, Hdf5Data.of(values));
    }

    public void attribute(String attrName, long[] values) {
        attribute(attrName, Hdf5Type.INT64, new long[] {values.length}, Hdf5Data.of(values));
    }

    /** Smallest fixed-length string type holding {@code value}; UTF-8 only if it is not plain ASCII. */
    static Hdf5Type.FixedString stringType(String... values) {
        int max = 1;
        boolean utf8 = false;
        for (String v : values) {
            byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
            max = Math.max(max, bytes.length);
            utf8 |= bytes.length != v.length();
        }
        return Hdf5Type.string(max, utf8);
    }

    /** Checks that the data provides exactly one element of the type's size per dataspace element. */
    static void checkShape(String what, Hdf5Type type, long[] dims, Hdf5Data data) {
        long count = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException(what + ": negative dimension");
            }
            count = Math.multiplyExact(count, d);
        }
        if (data.elementSize() != type.size()) {
            throw new IllegalArgumentException(what + ": data element size " + data.elementSize()
                    + " does not match type size " + type.size());
        }
        if (data.elementCount() != count) {
            throw new IllegalArgumentException(what + ": " + data.elementCount()
                    + " elements given for dataspace of " + count);
        }
    }
}
