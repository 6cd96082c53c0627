package org.dsa110.contimg.science.transients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.dsa110.contimg.science.transients.TransientClassifier.AlertLevel;
import org.dsa110.contimg.science.transients.TransientClassifier.Candidate;
import org.dsa110.contimg.science.transients.TransientClassifier.CatalogSource;
import org.dsa110.contimg.science.transients.TransientClassifier.Detection;
import org.dsa110.contimg.science.transients.TransientClassifier.Type;
import org.junit.jupiter.api.Test;

class TransientClassifierTest {

    private static final double AS = 1.0 / 3600.0;
    private static final double RA = 150.0, DEC = 40.0;
    private final TransientClassifier tc = new TransientClassifier();

    private static Detection det(String id, double dDecArcsec, double flux, double err, double snr) {
        return new Detection(id, RA, DEC + dDecArcsec * AS, flux, err, snr);
    }

    private static CatalogSource cat(double flux) {
        return new CatalogSource("NVSS J100000+400000", RA, DEC, flux);
    }

    private Candidate single(Detection d, CatalogSource s, double rms) {
        List<Candidate> c = tc.classify(List.of(d), s == null ? List.of() : List.of(s), rms);
        return c.isEmpty() ? null : c.get(0);
    }

    @Test
    void angularSeparation() {
        assertEquals(10.0, TransientClassifier.angularSeparationDeg(RA, DEC, RA, DEC + 10 * AS) / AS, 1e-6);
        // 20″ of RA at Dec 60° is 20·cos 60° = 10″ on the sky
        assertEquals(10.0, TransientClassifier.angularSeparationDeg(10, 60, 10 + 20 * AS, 60) / AS, 1e-4);
        assertEquals(180.0, TransientClassifier.angularSeparationDeg(0, 0, 180, 0), 1e-9);
    }

    @Test
    void unmatchedSourcesAreNewWithAlertByStrength() {
        Candidate crit = single(det("a", 0, 0.012, 0.001, 12), null, 0.001);
        assertEquals(Type.NEW, crit.type());
        assertEquals(AlertLevel.CRITICAL, crit.alertLevel());
        assertEquals(12, crit.significance());
        assertNull(crit.catalogSource());
        assertEquals(AlertLevel.HIGH, single(det("b", 0, 0.008, 0.001, 8), null, 0.001).alertLevel());
        assertEquals(AlertLevel.MEDIUM, single(det("c", 0, 0.005, 0.001, 5.0), null, 0.001).alertLevel());
        assertNull(single(det("d", 0, 0.0049, 0.001, 4.9), null, 0.001));
        // 11″ from a catalog source is outside the 10″ radius: new, and the catalog source counts as undetected
        List<Candidate> both = tc.classify(List.of(det("e", 11, 0.1, 0.001, 100)), List.of(cat(0.1)), 0.001);
        assertEquals(Type.NEW, both.get(0).type());
        assertEquals(Type.FADING, both.get(1).type());
        assertNull(both.get(1).detection());
    }

    @Test
    void matchedBrighteningFadingVariable() {
        // σ_var = |ΔF|/√(σ² + (0.05·F_base)²), with F_base 0.1, σ 0.001: denominator √(1e-6 + 2.5e-5) = 0.0050990
        Candidate up = single(det("up", 9, 0.2, 0.001, 200), cat(0.1), 0.001);
        assertEquals(Type.BRIGHTENING, up.type());            // 0.1/0.0050990 = 19.61, ratio 2
        assertEquals(19.611613513818405, up.significance(), 1e-9);
        assertEquals(2.0, up.fluxRatio(), 1e-12);
        assertEquals(9.0, up.separationArcsec(), 1e-6);
        assertEquals(AlertLevel.HIGH, up.alertLevel());

        Candidate down = single(det("down", 0, 0.05, 0.001, 50), cat(0.1), 0.001);
        assertEquals(Type.FADING, down.type());               // 0.05/0.0050990 = 9.806, ratio 0.5
        assertEquals(9.805806756909202, down.significance(), 1e-9);
        assertEquals(AlertLevel.HIGH, down.alertLevel());

        Candidate var = single(det("var", 0, 0.125, 0.001, 125), cat(0.1), 0.001);
        assertEquals(Type.VARIABLE, var.type());              // 0.025/0.0050990 = 4.903, ratio 1.25
        assertEquals(AlertLevel.MEDIUM, var.alertLevel());

        // 0.01/0.0050990 = 1.96 < 3 → no candidate
        assertNull(single(det("steady", 0, 0.11, 0.001, 110), cat(0.1), 0.001));
    }

    @Test
    void ratioBoundariesAreStrictAndVariableNeverHigh() {
        // ratio exactly 1.5: σ_var = 1/√(0.01² + 0.1²) = 9.95 ≥ 7 but "variable" → MEDIUM
        Candidate c = TransientClassifier.classifyMatched(det("x", 0, 3.0, 0.01, 300), cat(2.0), 0);
        assertEquals(Type.VARIABLE, c.type());
        assertEquals(AlertLevel.MEDIUM, c.alertLevel());
        assertEquals(Type.FADING, TransientClassifier.classifyMatched(det("y", 0, 0.66, 0.001, 66), cat(1.0), 0)
                .type());
        assertEquals(Type.VARIABLE, TransientClassifier.classifyMatched(det("z", 0, 0.68, 0.001, 68), cat(1.0), 0)
                .type());
        assertEquals(AlertLevel.HIGH, TransientClassifier.alertLevel(Type.FADING, 7.0));
        assertEquals(AlertLevel.MEDIUM, TransientClassifier.alertLevel(Type.BRIGHTENING, 6.99));
        assertEquals(AlertLevel.HIGH, TransientClassifier.alertLevel(Type.NEW, 9.99));
    }

    @Test
    void undetectedCatalogSources() {
        CatalogSource bright = new CatalogSource("bright", RA + 1, DEC, 0.020);
        CatalogSource faint = new CatalogSource("faint", RA + 2, DEC, 0.009);
        List<Candidate> c = tc.classify(List.of(), List.of(bright, faint), 0.001);
        assertEquals(1, c.size());
        assertSame(bright, c.get(0).catalogSource());
        assertEquals(Type.FADING, c.get(0).type());
        // σ_var with F_obs = 0, σ_obs = rms: 0.02/√(0.001² + 0.001²) = 14.142
        assertEquals(Math.sqrt(200), c.get(0).significance(), 1e-9);
        assertEquals(AlertLevel.HIGH, c.get(0).alertLevel());
        assertEquals(0.0, c.get(0).fluxRatio());
    }

    @Test
    void detectionMatchesTheNearestCatalogSource() {
        CatalogSource near = new CatalogSource("near", RA, DEC + 3 * AS, 0.05);
        CatalogSource far = new CatalogSource("far", RA, DEC - 6 * AS, 0.2);
        List<Candidate> c = tc.classify(List.of(det("d", 2, 0.2, 0.001, 200)), List.of(far, near), 0.001);
        // matched to 'near' (1″) → ratio 4, brightening; 'far' is within 10″ of a detection so it is not "undetected"
        assertEquals(1, c.size());
        assertSame(near, c.get(0).catalogSource());
        assertEquals(Type.BRIGHTENING, c.get(0).type());
        assertEquals(1.0, c.get(0).separationArcsec(), 1e-6);
        assertTrue(c.get(0).significance() > 3);
    }
}
