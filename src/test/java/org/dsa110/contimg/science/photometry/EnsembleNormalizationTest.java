package org.dsa110.contimg.science.photometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.dsa110.contimg.science.photometry.EnsembleNormalization.Baseline;
import org.dsa110.contimg.science.photometry.EnsembleNormalization.Correction;
import org.dsa110.contimg.science.photometry.EnsembleNormalization.NormalizedFlux;
import org.dsa110.contimg.science.photometry.EnsembleNormalization.ReferenceCandidate;
import org.junit.jupiter.api.Test;

class EnsembleNormalizationTest {

    private final EnsembleNormalization norm = new EnsembleNormalization();

    @Test
    void handComputedCorrectionWithClipping() {
        // ratios {1.1, 1.2, 1.0, 1.1, 2.0}: median 1.1; |r−1.1| = {0, .1, .1, 0, .9} → MAD 0.1, rms 0.14826;
        // limit 3·0.14826 = 0.44478 → 2.0 clipped; kept {1.1, 1.2, 1.0, 1.1}: median (1.1+1.1)/2 = 1.1,
        // |r−1.1| = {0, .1, .1, 0} → MAD (0+0.1)/2 = 0.05 → rms 0.07413
        Correction c = norm.correction(new double[] {1.1, 1.2, 1.0, 1.1, 2.0}, new double[] {1, 1, 1, 1, 1});
        assertTrue(c.success());
        assertEquals(1.1, c.correction(), 1e-12);
        assertEquals(0.07413, c.rmsCorrection(), 1e-12);
        assertEquals(4, c.nUsed());
        assertEquals(5, c.nInput());
        // F_norm = 0.5/1.1 = 0.4545454545; σ_norm = √((0.01/1.1)² + (0.5·0.07413/1.21)²)
        //        = √(8.2645e-5 + 9.3833e-4) = 0.0319527
        NormalizedFlux f = EnsembleNormalization.normalize(0.5, 0.01, c);
        assertEquals(0.45454545454545453, f.fluxJy(), 1e-15);
        assertEquals(0.03195274994341035, f.errorJy(), 1e-12);
    }

    @Test
    void noClippingWhenFewerThanThreeWouldRemain() {
        // ratios {1, 1, 5}: median 1, MAD 0 → every |r−1| ≥ 0 is "clipped", nothing left → keep the first estimate
        Correction c = norm.correction(new double[] {2, 3, 20}, new double[] {2, 3, 4});
        assertTrue(c.success());
        assertEquals(1.0, c.correction(), 0.0);
        assertEquals(0.0, c.rmsCorrection(), 0.0);
        assertEquals(3, c.nUsed());
    }

    @Test
    void tooFewReferencesFails() {
        // three inputs, but one has a non-positive baseline and one a NaN peak
        Correction c = norm.correction(new double[] {1.0, Double.NaN, 1.0}, new double[] {1.0, 1.0, 0.0});
        assertFalse(c.success());
        assertEquals(1, c.nInput());
        assertTrue(c.error().contains(">= 3"));
    }

    @Test
    void baselineUsesFirstTenFiniteEpochs() {
        // first ten finite values: 1..10 (NaN skipped, 100 and 200 are epochs 11-12) → median 5.5,
        // |x−5.5| = {4.5,3.5,2.5,1.5,.5,.5,1.5,2.5,3.5,4.5} → MAD 2.5 → rms 3.7065
        Baseline b = norm.baseline(new double[] {1, 2, Double.NaN, 3, 4, 5, 6, 7, 8, 9, 10, 100, 200});
        assertTrue(b.valid());
        assertEquals(5.5, b.fluxJy(), 1e-12);
        assertEquals(1.4826 * 2.5, b.rmsJy(), 1e-12);
        assertEquals(10, b.nEpochs());
        assertFalse(norm.baseline(new double[] {1, Double.NaN, 2}).valid());
    }

    @Test
    void referenceSelectionRules() {
        List<ReferenceCandidate> cands = new ArrayList<>();
        cands.add(new ReferenceCandidate("lowSnr", 49.9, false, false, 0.1));
        cands.add(new ReferenceCandidate("resolved", 500, true, false, 0.1));
        cands.add(new ReferenceCandidate("confused", 500, false, true, 0.1));
        cands.add(new ReferenceCandidate("far", 500, false, false, 1.51));
        cands.add(new ReferenceCandidate("edge", 50, false, false, 1.5));
        for (int i = 0; i < 24; i++) {
            cands.add(new ReferenceCandidate("ok" + i, 100 + i, false, false, 1.0));
        }
        List<ReferenceCandidate> refs = norm.selectReferences(cands);
        assertEquals(20, refs.size());
        assertEquals("ok23", refs.get(0).sourceId());
        assertEquals("ok4", refs.get(19).sourceId());
        // with fewer passing candidates the SNR = 50, sep = 1.5° edge case is included
        List<ReferenceCandidate> few = norm.selectReferences(cands.subList(0, 7));
        assertEquals(List.of("ok1", "ok0", "edge"), few.stream().map(ReferenceCandidate::sourceId).toList());
    }

    @Test
    void removesInjectedTenPercentGainError() {
        Random rng = new Random(2024L);
        int nRef = 20, nTarget = 30, nEpoch = 15, badEpoch = 12;
        double[] gain = new double[nEpoch];
        for (int e = 0; e < nEpoch; e++) {
            gain[e] = 1.0 + 0.005 * rng.nextGaussian();
        }
        gain[badEpoch] = 1.10; // 10% flux-scale error in one image
        double[] refTrue = new double[nRef];
        double[][] refFlux = new double[nRef][nEpoch];
        for (int r = 0; r < nRef; r++) {
            refTrue[r] = 0.1 + 0.9 * rng.nextDouble();
            for (int e = 0; e < nEpoch; e++) {
                refFlux[r][e] = gain[e] * refTrue[r] * (1 + 0.01 * rng.nextGaussian()); // SNR ~100
            }
        }
        refFlux[3][badEpoch] *= 2.0; // one reference flares in the bad image; clipping must reject it
        double[] baselines = new double[nRef];
        for (int r = 0; r < nRef; r++) {
            baselines[r] = norm.baseline(refFlux[r]).fluxJy();
        }
        double[] peaks = new double[nRef];
        for (int r = 0; r < nRef; r++) {
            peaks[r] = refFlux[r][badEpoch];
        }
        Correction c = norm.correction(peaks, baselines);
        assertTrue(c.success());
        assertEquals(19, c.nUsed());
        double worstRaw = 0, worstNorm = 0;
        for (int t = 0; t < nTarget; t++) {
            double truth = 0.02 + 0.2 * rng.nextDouble();
            double raw = gain[badEpoch] * truth * (1 + 0.002 * rng.nextGaussian());
            NormalizedFlux f = EnsembleNormalization.normalize(raw, 0.002 * raw, c);
            worstRaw = Math.max(worstRaw, Math.abs(raw / truth - 1));
            worstNorm = Math.max(worstNorm, Math.abs(f.fluxJy() / truth - 1));
            assertTrue(f.errorJy() > 0.002 * raw / c.correction());
        }
        assertTrue(worstRaw > 0.09, "injected error visible before correction: " + worstRaw);
        assertTrue(worstNorm < 0.01, "residual after correction: " + worstNorm);
    }
}
