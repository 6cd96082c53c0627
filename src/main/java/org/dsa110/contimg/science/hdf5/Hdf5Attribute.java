package org.dsa110.contimg.science.hdf5;

import java.util.Objects;

/**
 * An attribute: a small named value stored inside its object's header. Empty {@code dims} means a
 * scalar. Attribute messages are limited to 64 KiB, which the writer checks.
 */
public record Hdf5Attribute(String name, Hdf5Type type, long[] dims, Hdf5Data data) {

    public Hdf5Attribute {
        Objects.requireNonNull(name);
        Objects.requireNonNull(type);
        dims = dims.clone();
        Hdf5Node.checkShape(name, type, dims, data);
        long encoded = HeaderMessages.attributeLength(name, type, dims, data);
        if (encoded > 0xffff) {
            throw new IllegalArgumentException("attribute '" + name + "' needs " + encoded
                    + " bytes, more than a header message holds; store it as a dataset instead");
        }
    }
}
