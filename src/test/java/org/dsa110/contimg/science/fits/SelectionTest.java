package org.dsa110.contimg.science.fits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SelectionTest {

    @Test
    void selectsLikeSortingOnRandomSortedReversedAndConstantInput() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rnd.nextInt(300);
            float[] a = new float[n];
            int kind = trial % 4;
            for (int i = 0; i < n; i++) {
                a[i] = switch (kind) {
                    case 0 -> rnd.nextFloat();
                    case 1 -> i;                 // sorted
                    case 2 -> n - i;             // reversed
                    default -> rnd.nextInt(3);   // heavy duplicates
                };
            }
            float[] sorted = a.clone();
            Arrays.sort(sorted);
            int k = rnd.nextInt(n);
            float[] work = a.clone();
            float v = Selection.select(work, 0, n - 1, k);
            assertEquals(sorted[k], v);
            assertEquals(sorted[k], work[k]);
            for (int i = 0; i < k; i++) {
                assertTrue(work[i] <= v);
            }
            for (int i = k + 1; i < n; i++) {
                assertTrue(work[i] >= v);
            }
        }
    }
}
