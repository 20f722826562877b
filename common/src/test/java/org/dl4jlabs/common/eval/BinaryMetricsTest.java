package org.dl4jlabs.common.eval;

import org.dl4jlabs.common.LabsException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BinaryMetricsTest {

    /**
     * Scores 0.9+ 0.8- 0.7+ 0.6+ 0.4- 0.2- (+ positive). Pairs (positive above negative): 0.9 beats 3
     * negatives, 0.7 and 0.6 beat 2 each: 7 of 3 x 3 = 9, so AUC = 7/9.
     */
    @Test
    void aucRocAndBestThresholdMatchTheHandComputedValues() {
        double[] scores = {0.9, 0.8, 0.7, 0.6, 0.4, 0.2};
        boolean[] positive = {true, false, true, true, false, false};
        BinaryMetrics metrics = BinaryMetrics.of(scores, positive);

        assertEquals(7.0 / 9, metrics.auc(), 1e-12);
        assertEquals(7, metrics.roc().size());
        assertArrayEquals(new double[]{0, 0}, metrics.roc().get(0));
        assertArrayEquals(new double[]{1.0 / 3, 1.0 / 3}, metrics.roc().get(2), 1e-12);
        assertArrayEquals(new double[]{1, 1}, metrics.roc().get(6), 1e-12);
        // At threshold 0.6: 0.9, 0.7, 0.6 right, 0.8 wrong, 0.4 and 0.2 right: 5 of 6.
        assertEquals(0.6, metrics.bestThreshold());
        assertEquals(5.0 / 6, metrics.bestAccuracy(), 1e-12);
        assertEquals(5.0 / 6, BinaryMetrics.accuracyAt(scores, positive, 0.6), 1e-12);
        // Precision after the first two calls (0.9 right, 0.8 wrong): 1/2 at recall 1/3.
        assertArrayEquals(new double[]{1.0 / 3, 0.5}, metrics.precisionRecall().get(2), 1e-12);
    }

    @Test
    void tiedScoresCountHalfAndPerfectScoresGiveOne() {
        assertEquals(0.5, BinaryMetrics.of(new double[]{0.5, 0.5}, new boolean[]{true, false}).auc(), 1e-12);
        BinaryMetrics perfect = BinaryMetrics.of(new double[]{0.1, 0.3, 0.8, 0.9},
                new boolean[]{false, false, true, true});
        assertEquals(1.0, perfect.auc(), 1e-12);
        assertEquals(1.0, perfect.bestAccuracy(), 1e-12);
        assertEquals(0.8, perfect.bestThreshold());
    }

    @Test
    void oneClassOnlyIsAUserError() {
        assertThrows(LabsException.class, () -> BinaryMetrics.of(new double[]{0.2, 0.7}, new boolean[]{true, true}));
    }
}
