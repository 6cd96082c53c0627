package org.dsa110.contimg.science.hdf5;

import java.util.Objects;

/** A dataset with contiguous storage; empty {@code dims} is a scalar. */
public final class Hdf5Dataset extends Hdf5Node {

    private final Hdf5Type type;
    private final long[] dims;
    private final Hdf5Data data;

    Hdf5Dataset(String name, Hdf5Type type, long[] dims, Hdf5Data data) {
        super(name);
        this.type = Objects.requireNonNull(type);
        this.dims = dims.clone();
        this.data = Objects.requireNonNull(data);
        checkShape(name, type, this.dims, data);
    }

    public Hdf5Type type() {
        return type;
    }

    public long[] dims() {
        return dims.clone();
    }

    public Hdf5Data data() {
        return data;
    }

    /** Size of the raw data in bytes. */
    public long byteLength() {
        return data.byteLength();
    }
}
