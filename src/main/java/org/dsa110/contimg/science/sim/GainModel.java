package org.dsa110.contimg.science.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.dsa110.contimg.science.radio.AntennaGains;

/**
 * Injected per-antenna complex gains: a constant complex gain, a slow linear phase drift and a sinusoidal
 * bandpass ripple in amplitude and phase,
 * <pre>
 *   g(t, ν) = A · (1 + r_a · sin(2π(ν − ν_ref)/P + ψ)) · exp(i · [φ0 + ω·(t − t_ref) + r_p · sin(2π(ν − ν_ref)/P + ψ)])
 * </pre>
 * with t in hours, ν_ref = 1.4 GHz and t_ref the simulation's reference time. The parameters of each antenna are
 * drawn once from the seed: A ~ 1 + 0.1·N(0,1) (clipped to 0.7…1.3), φ0 uniform in [−180°, 180°),
 * ω ~ N(0, 5°/h), r_a and r_p uniform in [0.01, 0.05] (r_p in radians), P uniform in [20, 60] MHz, ψ uniform.
 *
 * <p>Calibration solutions are defined up to one phase: compare solutions with {@code g_i·conj(g_ref)/|g_ref|}.
 */
public final class GainModel {

    /** Reference frequency of the ripple phase [Hz]. */
    public static final double REF_FREQ_HZ = 1.4e9;

    /** The parameters of one antenna (angles in degrees, rate in degrees per hour, period in Hz). */
    public record AntennaGain(int antenna, double amplitude, double phaseDeg, double phaseRateDegPerHour,
                              double rippleAmplitude, double ripplePhaseAmplitudeRad, double ripplePeriodHz,
                              double rippleOffsetDeg) {

        /** Writes the complex gain at (jd, ν) into {@code out[0..1]}. */
        public void gain(double jd, double freqHz, double refJd, double[] out) {
            double arg = 2 * Math.PI * (freqHz - REF_FREQ_HZ) / ripplePeriodHz + Math.toRadians(rippleOffsetDeg);
            double s = Math.sin(arg);
            double amp = amplitude * (1 + rippleAmplitude * s);
            double hours = (jd - refJd) * 24.0;
            double phase = Math.toRadians(phaseDeg + phaseRateDegPerHour * hours) + ripplePhaseAmplitudeRad * s;
            out[0] = amp * Math.cos(phase);
            out[1] = amp * Math.sin(phase);
        }
    }

    private final Map<Integer, AntennaGain> byAntenna;
    private final double refJd;
    private final boolean unit;

    private GainModel(Map<Integer, AntennaGain> byAntenna, double refJd, boolean unit) {
        this.byAntenna = byAntenna;
        this.refJd = refJd;
        this.unit = unit;
    }

    /** Random gains for the given antennas (station numbers), reproducible from {@code seed}. */
    public static GainModel random(int[] antennas, double refJd, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<Integer, AntennaGain> m = new LinkedHashMap<>();
        for (int a : antennas) {
            double amp = Math.max(0.7, Math.min(1.3, 1 + 0.1 * rng.nextGaussian()));
            double ph = rng.nextDouble(-180, 180);
            double rate = 5.0 * rng.nextGaussian();
            double ra = rng.nextDouble(0.01, 0.05);
            double rp = rng.nextDouble(0.01, 0.05);
            double period = rng.nextDouble(20e6, 60e6);
            double offset = rng.nextDouble(0, 360);
            m.put(a, new AntennaGain(a, amp, ph, rate, ra, rp, period, offset));
        }
        return new GainModel(Collections.unmodifiableMap(m), refJd, false);
    }

    /** g ≡ 1 for every antenna. */
    public static GainModel unit(int[] antennas, double refJd) {
        Map<Integer, AntennaGain> m = new LinkedHashMap<>();
        for (int a : antennas) {
            m.put(a, new AntennaGain(a, 1, 0, 0, 0, 0, 1e9, 0));
        }
        return new GainModel(Collections.unmodifiableMap(m), refJd, true);
    }

    public boolean isUnit() {
        return unit;
    }

    /** Reference time t_ref of the phase drift (JD). */
    public double refJd() {
        return refJd;
    }

    public List<AntennaGain> antennas() {
        return new ArrayList<>(byAntenna.values());
    }

    public AntennaGain antenna(int number) {
        AntennaGain g = byAntenna.get(number);
        if (g == null) {
            throw new IllegalArgumentException("no gains for antenna " + number);
        }
        return g;
    }

    /** Complex gain {re, im} of an antenna at (jd, ν). */
    public double[] gain(int antenna, double jd, double freqHz) {
        double[] out = new double[2];
        antenna(antenna).gain(jd, freqHz, refJd, out);
        return out;
    }

    /**
     * The gains as the {@link AntennaGains} of a visibility block with these channel frequencies and integration
     * times (null if unit gains). Values are tabulated once per (antenna, time, channel).
     */
    public AntennaGains forBlock(double[] freqHz, double[] timesJd) {
        if (unit) {
            return null;
        }
        double[] times = java.util.Arrays.stream(timesJd).distinct().sorted().toArray();
        int maxAnt = byAntenna.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
        double[][][] table = new double[maxAnt + 1][][];
        double[] tmp = new double[2];
        for (AntennaGain g : byAntenna.values()) {
            double[][] perTime = new double[times.length][2 * freqHz.length];
            for (int t = 0; t < times.length; t++) {
                for (int c = 0; c < freqHz.length; c++) {
                    g.gain(times[t], freqHz[c], refJd, tmp);
                    perTime[t][2 * c] = tmp[0];
                    perTime[t][2 * c + 1] = tmp[1];
                }
            }
            table[g.antenna()] = perTime;
        }
        return (ant, jd, chan, reIm) -> {
            int t = java.util.Arrays.binarySearch(times, jd);
            double[][] perTime = ant >= 0 && ant < table.length ? table[ant] : null;
            if (perTime == null || t < 0) {
                antenna(ant).gain(jd, freqHz[chan], refJd, reIm);
                return;
            }
            reIm[0] = perTime[t][2 * chan];
            reIm[1] = perTime[t][2 * chan + 1];
        };
    }
}
