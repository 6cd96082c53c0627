package org.dsa110.contimg.science.radio;

/**
 * Stokes I model visibilities of a visibility block, computed one baseline-time at a time (so a solver need not
 * hold a model copy of the whole block). Implementations are safe for concurrent calls on different blts.
 */
@FunctionalInterface
public interface StokesIModel {

    /**
     * Writes the model of blt {@code b} for every channel into {@code re}/{@code im} (length nChan); a channel
     * without a model gets NaN in {@code re} (the sample is then ignored).
     */
    void stokesI(int b, double[] re, double[] im);

    /** The Stokes I ({@link Visibilities#stokesI}) of a model held as a visibility block. */
    static StokesIModel of(Visibilities model) {
        return (b, re, im) -> {
            double[] m = new double[3];
            for (int c = 0; c < model.nChan(); c++) {
                if (model.stokesI(b, c, m)) {
                    re[c] = m[0];
                    im[c] = m[1];
                } else {
                    re[c] = Double.NaN;
                    im[c] = 0;
                }
            }
        };
    }
}
