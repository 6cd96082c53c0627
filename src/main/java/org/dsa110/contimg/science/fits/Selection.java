package org.dsa110.contimg.science.fits;

import java.util.Arrays;

/**
 * k-th smallest element by quickselect (Hoare's FIND) with median-of-three pivots and a three-way partition, so
 * runs of equal values (e.g. blanked-to-zero regions) cost nothing extra. After too many unbalanced rounds it falls
 * back to sorting the remaining range, bounding the worst case at O(n log n).
 */
final class Selection {

    private Selection() {
    }

    /**
     * Reorders a[lo..hi] so that a[k] holds the value it would have if the range were sorted, with no larger value
     * before it and no smaller value after it; returns a[k]. Values must not be NaN.
     */
    static float select(float[] a, int lo, int hi, int k) {
        int budget = 2 * (32 - Integer.numberOfLeadingZeros(hi - lo + 1)) + 4;
        while (hi > lo) {
            if (budget-- == 0) {
                Arrays.sort(a, lo, hi + 1);
                return a[k];
            }
            float pivot = medianOfThree(a[lo], a[lo + (hi - lo) / 2], a[hi]);
            // Dutch-flag partition: [lo, lt) < pivot, [lt, gt] == pivot, (gt, hi] > pivot.
            int lt = lo;
            int gt = hi;
            int i = lo;
            while (i <= gt) {
                float v = a[i];
                if (v < pivot) {
                    a[i++] = a[lt];
                    a[lt++] = v;
                } else if (v > pivot) {
                    a[i] = a[gt];
                    a[gt--] = v;
                } else {
                    i++;
                }
            }
            if (k < lt) {
                hi = lt - 1;
            } else if (k > gt) {
                lo = gt + 1;
            } else {
                return pivot;
            }
        }
        return a[k];
    }

    private static float medianOfThree(float x, float y, float z) {
        return Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    }
}
