package org.dsa110.contimg.science.hdf5;

/**
 * A UVH5 file the hub cannot interpret: the message names the file's field (e.g.
 * {@code Header/phase_center_catalog/1/cat_type}) and says what is wrong and what is accepted, after the file (or
 * subband) it concerns. Stages report it as invalid input (a retry cannot fix it).
 */
public final class Uvh5FormatException extends IllegalArgumentException {
    private final String field;
    private final String problem;

    public Uvh5FormatException(String field, String problem) {
        this(null, field, problem);
    }

    private Uvh5FormatException(String source, String field, String problem) {
        super((source == null ? "" : source + ": ") + field + ": " + problem);
        this.field = field;
        this.problem = problem;
    }

    /** The same problem, said of {@code source} (a file, a subband). */
    public Uvh5FormatException in(String source) {
        return new Uvh5FormatException(source, field, problem);
    }

    /** The offending field, as a path in the file. */
    public String field() {
        return field;
    }
}
