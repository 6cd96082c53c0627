package org.dsa110.contimg.science.uvfits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listobs summary of a UVFITS file against the sample the round-trip test writes. */
class UvfitsSummaryTest {

    @Test
    void summarisesScansFieldsWindowAndAntennas(@TempDir Path tmp) throws Exception {
        UvfitsData d = UvfitsRoundTripTest.sample();
        Path file = tmp.resolve("sample.uvfits");
        UvfitsWriter.write(d, file);
        UvfitsSummary.Summary s = UvfitsSummary.read(file);
        assertEquals(12, s.rows());
        assertEquals("DSA-110", s.telescope());
        // one integration on each of two fields: two scans of six baseline-times
        assertEquals(2, s.scans().size());
        assertEquals(List.of("meridian_icrs_t0", "0542+498_t1"), s.scans().stream()
                .map(UvfitsSummary.Scan::field).toList());
        assertEquals(List.of(6L, 6L), s.scans().stream().map(UvfitsSummary.Scan::rows).toList());
        assertEquals(85.654, s.fields().get(1).raDeg(), 1e-9);
        assertEquals(4, s.nChannels());
        assertEquals(1.40e9, s.firstFrequencyHz(), 1);
        assertEquals(2e6, s.channelWidthHz(), 1e-3);
        assertEquals(List.of("XX", "YY"), s.polarizations());
        assertEquals(3, s.antennas().size());
        assertEquals(12.884901888, s.integrationSec(), 1e-6);
        assertEquals(12.884901888 / 86400, s.endJd() - s.startJd(), 1e-9);
        long flagged = 0;
        for (boolean f : d.vis().flag()) {
            flagged += f ? 1 : 0;
        }
        assertEquals(flagged / (double) d.vis().flag().length, s.flaggedFraction(), 1e-12);
    }
}
