package org.dl4jlabs.common.eval;

import org.dl4jlabs.common.LabsException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A binary classifier's scores judged at every threshold at once: the ROC curve and its area (AUC),
 * the precision-recall curve, and the threshold with the best accuracy. A photo counts as positive
 * when its score is at least the threshold.
 *
 * @param auc           the area under the ROC curve: the chance that a random positive scores above a random negative (ties count half)
 * @param roc           points (false positive rate, true positive rate), from threshold +inf down to the lowest score
 * @param precisionRecall points (recall, precision), in the same order (precision taken as 1 before the first positive call)
 * @param bestThreshold the threshold with the highest accuracy (of equals, the one closest to 0.5)
 * @param bestAccuracy  the accuracy at {@code bestThreshold}
 */
public record BinaryMetrics(double auc, List<double[]> roc, List<double[]> precisionRecall, double bestThreshold,
                            double bestAccuracy) {

    /** Measures {@code scores} (e.g. P(dog)) against the truth ({@code positive[i]}: example i is a dog). */
    public static BinaryMetrics of(double[] scores, boolean[] positive) {
        if (scores.length != positive.length || scores.length == 0) {
            throw new IllegalArgumentException("need as many scores as labels, and at least one");
        }
        long positives = 0;
        for (boolean p : positive) {
            positives += p ? 1 : 0;
        }
        long negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            throw new LabsException("ROC and AUC need examples of both classes; this set has "
                    + (positives == 0 ? "no positive" : "no negative") + " examples");
        }
        Integer[] order = new Integer[scores.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());

        List<double[]> roc = new ArrayList<>(List.of(new double[]{0, 0}));
        List<double[]> pr = new ArrayList<>(List.of(new double[]{0, 1}));
        double auc = 0;
        double bestAccuracy = (double) negatives / scores.length; // threshold above every score: all negative
        double bestThreshold = Double.POSITIVE_INFINITY;
        long truePositives = 0;
        long falsePositives = 0;
        for (int k = 0; k < order.length; ) {
            double threshold = scores[order[k]];
            long tiedPositives = 0;
            long tiedNegatives = 0;
            // All examples with the same score cross the threshold together.
            for (; k < order.length && scores[order[k]] == threshold; k++) {
                if (positive[order[k]]) {
                    tiedPositives++;
                } else {
                    tiedNegatives++;
                }
            }
            auc += tiedNegatives * (truePositives + tiedPositives / 2.0);
            truePositives += tiedPositives;
            falsePositives += tiedNegatives;
            roc.add(new double[]{(double) falsePositives / negatives, (double) truePositives / positives});
            pr.add(new double[]{(double) truePositives / positives,
                    (double) truePositives / (truePositives + falsePositives)});
            double accuracy = (double) (truePositives + negatives - falsePositives) / scores.length;
            if (accuracy > bestAccuracy + 1e-12 || (Math.abs(accuracy - bestAccuracy) <= 1e-12
                    && Math.abs(threshold - 0.5) < Math.abs(bestThreshold - 0.5))) {
                bestAccuracy = accuracy;
                bestThreshold = threshold;
            }
        }
        return new BinaryMetrics(auc / ((double) positives * negatives), roc, pr, bestThreshold, bestAccuracy);
    }

    /** The fraction of examples classified right when those scoring at least {@code threshold} are called positive. */
    public static double accuracyAt(double[] scores, boolean[] positive, double threshold) {
        long right = 0;
        for (int i = 0; i < scores.length; i++) {
            right += (scores[i] >= threshold) == positive[i] ? 1 : 0;
        }
        return (double) right / scores.length;
    }
}
