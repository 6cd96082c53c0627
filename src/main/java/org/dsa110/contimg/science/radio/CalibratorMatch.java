package org.dsa110.contimg.science.radio;

/**
 * Result of matching one calibrator against a group's field centres.
 *
 * @param calibrator        the calibrator
 * @param bestField         index of the field whose centre gives the highest primary-beam response
 * @param separationDeg     calibrator – best-field-centre separation (degrees)
 * @param pbResponse        Airy response at that separation
 * @param weightedFluxJy    pbResponse × catalogue L-band flux
 * @param fieldResponse     response per field (0 where the calibrator is beyond the search radius)
 * @param recommendedFields fields with response ≥ minPb × pbResponse, ascending
 * @param quality           {@link Quality} label
 */
public record CalibratorMatch(VlaCalibrator calibrator, int bestField, double separationDeg, double pbResponse,
                              double weightedFluxJy, double[] fieldResponse, int[] recommendedFields,
                              Quality quality) {

    /**
     * Quality of a calibrator for bandpass/gain solutions, from the beam-weighted flux (our rule, chosen so
     * that a per-channel, per-antenna solution has comfortable S/N for DSA-110 sensitivities):
     * EXCELLENT ≥ 5 Jy, GOOD ≥ 2 Jy, MARGINAL ≥ 0.5 Jy, else POOR; one step lower (not below POOR)
     * when the best response is under 0.5 (calibrator far out in the beam, where the beam model is least exact).
     */
    public enum Quality {
        EXCELLENT, GOOD, MARGINAL, POOR;

        public static Quality of(double weightedFluxJy, double pbResponse) {
            Quality q = weightedFluxJy >= 5.0 ? EXCELLENT : weightedFluxJy >= 2.0 ? GOOD
                : weightedFluxJy >= 0.5 ? MARGINAL : POOR;
            if (pbResponse < 0.5 && q != POOR) {
                q = values()[q.ordinal() + 1];
            }
            return q;
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
