package org.dsa110.contimg.science.sim;

import java.util.Objects;

/**
 * An injected ESE-like event: the flux of one source dips and recovers over a span of groups.
 *
 * <p>For group index {@code g}, with {@code x = (g − startGroup) / durationGroups}, the flux is multiplied by
 * {@code 1 − depth · sin²(π·x)} while {@code 0 ≤ x ≤ 1} and by 1 otherwise: a smooth dip to {@code 1 − depth}
 * half-way through the span and back to the steady flux at its end.
 *
 * @param sourceId       the catalog source id ({@code NVSS J…} as the hub names it, or the simulated display
 *                       name), or {@link #AUTO} for "the brightest suitable source near the centre of the first
 *                       group without a calibrator" (see {@link SyntheticCatalog#pickEseTarget})
 * @param startGroup     first group index of the event
 * @param durationGroups length of the event in groups (≥ 1)
 * @param depth          fractional depth of the dip, in (0, 1)
 */
public record EseInjection(String sourceId, int startGroup, int durationGroups, double depth) {

    public static final String AUTO = "auto";

    public EseInjection {
        Objects.requireNonNull(sourceId, "sourceId");
        if (sourceId.isBlank()) {
            throw new IllegalArgumentException("ESE source id must not be blank");
        }
        if (startGroup < 0) {
            throw new IllegalArgumentException("ESE start group must be >= 0");
        }
        if (durationGroups < 1) {
            throw new IllegalArgumentException("ESE duration must be >= 1 group");
        }
        if (!(depth > 0 && depth < 1)) {
            throw new IllegalArgumentException("ESE depth must be in (0, 1)");
        }
    }

    /** Flux multiplier at group {@code g}. */
    public double factor(int g) {
        double x = (g - startGroup) / (double) durationGroups;
        if (x < 0 || x > 1) {
            return 1.0;
        }
        double s = Math.sin(Math.PI * x);
        return 1.0 - depth * s * s;
    }

    public boolean isAuto() {
        return AUTO.equalsIgnoreCase(sourceId.trim());
    }

    /** The same event on a resolved source id. */
    public EseInjection withSourceId(String id) {
        return new EseInjection(id, startGroup, durationGroups, depth);
    }
}
