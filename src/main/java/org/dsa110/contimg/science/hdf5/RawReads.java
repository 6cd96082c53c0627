package org.dsa110.contimg.science.hdf5;

import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.object.datatype.CompoundDataType;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FloatingPoint;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Fast paths for the large UVH5 data arrays of contiguous (unchunked) datasets: the values are decoded straight from
 * the dataset's bytes instead of through jhdf's nested Java arrays (which, for h5py booleans, means one String per
 * sample). Each method returns null when the dataset is not of the simple layout it handles; callers then fall back
 * to {@link Dataset#getData()}.
 */
final class RawReads {
    private RawReads() {
    }

    /** Compound {r, i} of two float32: interleaved (re, im), 2·n values. */
    static float[] complex(Dataset ds, int n) {
        if (!(ds instanceof ContiguousDataset c) || !(ds.getDataType() instanceof CompoundDataType ct)
                || ct.getSize() != 8 || ds.getSize() != n) {
            return null;
        }
        int offR = -1, offI = -1;
        ByteOrder order = null;
        for (CompoundDataType.CompoundDataMember m : ct.getMembers()) {
            if (!(m.getDataType() instanceof FloatingPoint fp) || fp.getSize() != 4) {
                return null;
            }
            order = fp.getByteOrder();
            if ("r".equals(m.getName())) {
                offR = m.getOffset();
            } else if ("i".equals(m.getName())) {
                offI = m.getOffset();
            }
        }
        if (offR < 0 || offI < 0) {
            return null;
        }
        ByteBuffer b = c.getBuffer().order(order);
        float[] out = new float[2 * n];
        if (offR == 0 && offI == 4) {
            // the file's layout is already (re, im) interleaved: one bulk copy
            b.asFloatBuffer().get(out);
            return out;
        }
        for (int i = 0; i < n; i++) {
            out[2 * i] = b.getFloat(8 * i + offR);
            out[2 * i + 1] = b.getFloat(8 * i + offI);
        }
        return out;
    }

    /** One-byte booleans (h5py's enum, int8, uint8): true when non-zero. */
    static boolean[] flags(Dataset ds, int n) {
        DataType t = ds.getDataType();
        if (!(ds instanceof ContiguousDataset c) || t.getSize() != 1 || ds.getSize() != n) {
            return null;
        }
        byte[] bytes = new byte[n];
        c.getBuffer().get(bytes);
        boolean[] out = new boolean[n];
        for (int i = 0; i < n; i++) {
            out[i] = bytes[i] != 0;
        }
        return out;
    }

    /** float32 values. */
    static float[] floats(Dataset ds, int n) {
        if (!(ds instanceof ContiguousDataset c) || !(ds.getDataType() instanceof FloatingPoint fp)
                || fp.getSize() != 4 || ds.getSize() != n) {
            return null;
        }
        float[] out = new float[n];
        c.getBuffer().order(fp.getByteOrder()).asFloatBuffer().get(out);
        return out;
    }
}
