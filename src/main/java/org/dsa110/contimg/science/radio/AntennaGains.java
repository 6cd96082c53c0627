package org.dsa110.contimg.science.radio;

/** Complex gain of an antenna (station number) at a time and channel, written to {@code reIm[0..1]}. */
@FunctionalInterface
public interface AntennaGains {

    void gain(int antenna, double timeJd, int chan, double[] reIm);
}
