package org.dsa110.contimg.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LinearTrendTest {

    @Test
    void exactLineIsRecovered() {
        LinearTrend t = LinearTrend.fit(new double[] {0, 1, 2, 3}, new double[] {5, 7, 9, 11});
        assertEquals(2.0, t.slope(), 1e-12);
        assertEquals(5.0, t.intercept(), 1e-12);
        assertEquals(20.0, t.reaches(45.0), 1e-12);
    }

    @Test
    void noisyPointsGiveTheLeastSquaresLine() {
        // x = 0..4, y = 1, 3, 2, 5, 4: Sxy = 4+0+0+2+2 = 8, Sxx = 10, slope 0.8, intercept 3 - 0.8*2 = 1.4
        LinearTrend t = LinearTrend.fit(new double[] {0, 1, 2, 3, 4}, new double[] {1, 3, 2, 5, 4});
        assertEquals(0.8, t.slope(), 1e-12);
        assertEquals(1.4, t.intercept(), 1e-12);
    }

    @Test
    void degenerateInputsHaveNoTrend() {
        assertNull(LinearTrend.fit(new double[] {1}, new double[] {1}));
        assertNull(LinearTrend.fit(new double[] {2, 2}, new double[] {1, 3}));
        assertTrue(Double.isNaN(LinearTrend.fit(new double[] {0, 1}, new double[] {3, 1}).reaches(10)));
    }
}
