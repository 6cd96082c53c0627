package org.dsa110.contimg.qa;

/**
 * The QA thresholds ({@code hub.qa.*}, documented in docs/qa.md).
 *
 * @param drExcellent       image quality: dynamic range above which an image is "excellent" (1000)
 * @param drGood            … "good" (100)
 * @param drMarginal        … "marginal" (10); below: "poor"
 * @param detectionSigma    source finding threshold for the QA source count and catalog validation (5σ)
 * @param matchRadiusArcsec catalog cross-match radius (10″)
 * @param completenessMin   completeness below this is a warning (0.95)
 * @param fluxFail          flux-scale error |1 − mean ratio| above this fails (0.2)
 * @param fluxWarn          … above this warns (0.1)
 * @param fluxScatterWarn   3σ-clipped ratio scatter above this warns (0.3)
 * @param astrometryWarnArcsec astrometric offset RMS above this warns (5″)
 * @param previewMaxPx      longest side of a preview PNG (pixels)
 * @param previewStretch    default stretch: asinh or zscale
 */
public record QaSettings(double drExcellent, double drGood, double drMarginal, double detectionSigma,
                         double matchRadiusArcsec, double completenessMin, double fluxFail, double fluxWarn,
                         double fluxScatterWarn, double astrometryWarnArcsec, int previewMaxPx,
                         String previewStretch) {

    public QaSettings {
        if (!(drExcellent > drGood && drGood > drMarginal && drMarginal > 0)) {
            throw new IllegalArgumentException("hub.qa.image.dr thresholds must satisfy excellent > good > marginal > 0");
        }
        if (!(detectionSigma > 0) || !(matchRadiusArcsec > 0) || previewMaxPx < 16) {
            throw new IllegalArgumentException("hub.qa: detection sigma and match radius must be > 0, preview >= 16 px");
        }
        if (!"asinh".equals(previewStretch) && !"zscale".equals(previewStretch)) {
            throw new IllegalArgumentException("hub.qa.preview.stretch must be asinh or zscale");
        }
    }

    public static QaSettings defaults() {
        return new QaSettings(1000, 100, 10, 5, 10, 0.95, 0.2, 0.1, 0.3, 5, 512, "asinh");
    }

    /** Image quality tier of a dynamic range (NaN or none: poor). */
    public String tier(Double dynamicRange) {
        if (dynamicRange == null || !Double.isFinite(dynamicRange)) {
            return "poor";
        }
        if (dynamicRange > drExcellent) {
            return "excellent";
        } else if (dynamicRange > drGood) {
            return "good";
        } else if (dynamicRange > drMarginal) {
            return "marginal";
        }
        return "poor";
    }
}
