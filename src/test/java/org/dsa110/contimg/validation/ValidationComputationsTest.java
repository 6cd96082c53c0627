package org.dsa110.contimg.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dsa110.contimg.science.image.Beam;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.wcs.CelestialWcs;
import org.dsa110.contimg.science.wcs.Projection;
import org.dsa110.contimg.validation.TruthComparison.Measured;
import org.dsa110.contimg.validation.TruthComparison.TruthSource;
import org.junit.jupiter.api.Test;

/**
 * The validation harness's own computations (bench/validate.sh runs the harness; CI runs this): matching truth
 * sources on an image (offset, flux ratio), gain comparison with the phase reference, the summaries and the
 * Markdown writer.
 */
class ValidationComputationsTest {
    private static final double CELL_DEG = 2.0 / 3600;
    private static final Beam BEAM = new Beam(12.0 / 3600, 8.0 / 3600, 30.0);

    /** A noise-free image with a beam-shaped source of {@code peak} Jy at pixel (x, y). */
    private static ImagePlane imageWith(int size, double x, double y, double peak) {
        float[] d = new float[size * size];
        double sMaj = BEAM.bmajDeg() / CELL_DEG / 2.3548, sMin = BEAM.bminDeg() / CELL_DEG / 2.3548;
        // beam PA from north through east; east is −x on the image (CDELT1 < 0), north is +y
        double pa = Math.toRadians(BEAM.bpaDeg());
        for (int py = 0; py < size; py++) {
            for (int px = 0; px < size; px++) {
                double dx = px - x, dy = py - y;
                double alongMaj = -dx * Math.sin(pa) + dy * Math.cos(pa);
                double alongMin = dx * Math.cos(pa) + dy * Math.sin(pa);
                d[py * size + px] = (float) (peak * Math.exp(-0.5 * (alongMaj * alongMaj / (sMaj * sMaj)
                        + alongMin * alongMin / (sMin * sMin))));
            }
        }
        return ImagePlane.of(size, size, d);
    }

    @Test
    void aSourceIsMatchedToItsTruthWithItsOffsetAndFluxRatio() {
        int size = 128;
        CelestialWcs wcs = CelestialWcs.centredOn(Projection.SIN, 150.0, 40.0, size, size, CELL_DEG);
        // the image source sits 3 px (6″) east of the truth position, at 0.9 of the truth flux
        double[] truthPx = {60.0, 70.0};
        double[] truthSky = wcs.pixelToWorld(truthPx[0], truthPx[1]);
        ImagePlane img = imageWith(size, truthPx[0] - 3, truthPx[1], 0.45);
        TruthSource s = new TruthSource("S1", truthSky[0], truthSky[1], 0.5);
        TruthSource outside = new TruthSource("S2", 151.0, 40.0, 0.1);
        List<Measured> m = TruthComparison.measure(img, wcs, BEAM, List.of(s, outside));
        assertEquals(2, m.size(), "every truth source is reported");
        Measured a = m.get(0);
        assertTrue(a.ok(), a.error());
        assertEquals(6.0, a.offsetArcsec(), 0.05);
        assertEquals(6.0, a.dRaArcsec(), 0.05, "east is positive RA");
        assertEquals(0.0, a.dDecArcsec(), 0.05);
        assertEquals(0.9, a.ratio(), 0.002);
        assertFalse(m.get(1).ok());
        assertEquals("outside the image", m.get(1).error());
        assertEquals(1, TruthComparison.offsets(m).n(), "the failed source does not enter the summaries");
        assertEquals(0.0, TruthComparison.fractionWithin(m, 0.02));
        assertEquals(1.0, TruthComparison.fractionWithin(m, 0.11));
        // noise-aware: a ratio of 0.9 passes when 3σ/S ≥ 0.1, and only then; unknown noise keeps the 2 %
        assertEquals(0.0, TruthComparison.fractionWithin(m, 0.02, 3), "noise not known");
        Measured faint = m.get(0).withNoise(0.034 * m.get(0).truth().fluxJy());
        Measured less = m.get(0).withNoise(0.032 * m.get(0).truth().fluxJy());
        assertEquals(1.0, TruthComparison.fractionWithin(List.of(faint, m.get(1)), 0.02, 3));
        assertEquals(0.0, TruthComparison.fractionWithin(List.of(less), 0.02, 3));
        assertEquals(0.0, TruthComparison.fractionWithin(List.of(faint), 0.02, 0), "0 σ: the plain tolerance");
    }

    @Test
    void offsetsAcrossRaZeroAndSummaries() {
        TruthSource s = new TruthSource("wrap", 359.9999, 0.0, 1.0);
        Measured m = TruthComparison.compare(s, 0.0001, 0.0, 1.02);
        assertEquals(0.72, m.offsetArcsec(), 1e-6);
        assertEquals(0.72, m.dRaArcsec(), 1e-6);
        assertEquals(1.02, m.ratio(), 1e-12);
        TruthComparison.Summary sum = TruthComparison.Summary.of(new double[] {3, Double.NaN, 1, 2, 10});
        assertEquals(4, sum.n());
        assertEquals(2.5, sum.median());
        assertEquals(1, sum.min());
        assertEquals(10, sum.max());
        assertEquals(0, TruthComparison.Summary.of(new double[0]).n());
    }

    @Test
    void gainsAreComparedAfterReferringBothSetsToTheReferenceAntenna() {
        GainRecovery rec = new GainRecovery();
        double common = Math.toRadians(70); // calibration cannot see a phase common to all antennas
        double[] injRef = polar(1.0, 0.3);
        double[] injA = polar(1.2, 1.1);
        double[] solRef = polar(1.0, 0.3 + common);
        double[] solA = polar(1.2 * 1.05, 1.1 + common + Math.toRadians(2));
        rec.add(solA, solRef, injA, injRef);
        rec.add(solRef, solRef, injRef, injRef);
        GainRecovery.Result r = rec.result();
        assertEquals(2, r.n());
        assertEquals(0.05, r.ampMaxAbs(), 1e-9);
        assertEquals(Math.sqrt(0.05 * 0.05 / 2), r.ampRms(), 1e-9);
        assertEquals(2.0, r.phaseMaxAbsDeg(), 1e-9);
        assertEquals(Math.sqrt(2), r.phaseRmsDeg(), 1e-9);
        assertEquals(1.025, r.ampMedianRatio(), 1e-9);
        assertEquals(0, new GainRecovery().result().n());
    }

    @Test
    void markdownTablesEscapeCellsAndRejectRaggedRows() {
        String md = new MarkdownReport().heading(1, "T").paragraph("text")
                .table(List.of("a", "b"), List.of(List.of("1|2", "x"))).bullets(List.of("one")).toString();
        assertEquals("# T\n\ntext\n\n| a | b |\n|---|---|\n| 1\\|2 | x |\n\n- one\n", md);
        assertThrows(IllegalArgumentException.class,
                () -> new MarkdownReport().table(List.of("a", "b"), List.of(List.of("only one"))));
        assertEquals("—", MarkdownReport.num(Double.NaN, 2));
        assertEquals("1.50", MarkdownReport.num(1.5, 2));
        assertEquals("12345", MarkdownReport.sig(12345.0));
        assertEquals("1.23e+05", MarkdownReport.sig(1.234e5));
        assertEquals("5.68", MarkdownReport.sig(5.678));
        assertEquals("0.0123", MarkdownReport.sig(0.0123));
    }

    @Test
    void optionsDefaultToTheSmallRunAndFullSwitchesToFullSize() {
        ValidationReport.Options d = ValidationReport.parse(new String[0]);
        assertEquals(1, d.groups());
        assertEquals(40, d.epochs());
        assertEquals(24, d.antennas());
        ValidationReport.Options f = ValidationReport.parse(new String[] {"--full", "--epochs", "10"});
        assertTrue(f.full());
        assertEquals(96, f.antennas());
        assertEquals(0, f.maxSize(), "full size: the pipeline's own image size");
        assertEquals(10, f.epochs());
        assertEquals("bench/validate.sh --full --epochs 10", f.command());
        assertThrows(IllegalArgumentException.class, () -> ValidationReport.parse(new String[] {"--bogus"}));
        assertThrows(IllegalArgumentException.class, () -> ValidationReport.parse(new String[] {"--groups"}));
        assertNull(ValidationReport.parse(new String[] {"--help"}));
    }

    private static double[] polar(double amp, double phase) {
        return new double[] {amp * Math.cos(phase), amp * Math.sin(phase)};
    }
}
