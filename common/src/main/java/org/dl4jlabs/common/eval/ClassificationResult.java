package org.dl4jlabs.common.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;

/**
 * How well a classifier did on a test set. Every number except top-5 accuracy is derived here
 * from the confusion matrix, so the metrics can never disagree with it.
 *
 * <p>Classes with nothing to divide by get 0, not "undefined": the precision of a class that is
 * never predicted is 0, the recall of a class absent from the test set is 0, and F1 is 0 when
 * precision and recall are both 0. Macro precision, recall and F1 are plain means over all
 * classes, so a class the model ignores pulls the average down. (ND4J's {@code Evaluation}
 * instead leaves such classes out of its macro averages, which flatters a model that never
 * predicts some classes.)
 */
public final class ClassificationResult {

    /** Orders mistakes from the most confident one; ties by position in the test set. */
    static final Comparator<Misclassified> WORST_FIRST =
            Comparator.comparingDouble(Misclassified::confidence).reversed()
                    .thenComparingLong(Misclassified::index);

    /** Precision, recall and F1 of one class, and its support (test examples truly of that class). */
    public record ClassMetrics(String name, double precision, double recall, double f1, int support) {
    }

    /**
     * A test example the model got wrong.
     *
     * @param index          position of the example in the test set, counting from 0
     * @param trueClass      index of its actual class
     * @param predictedClass index of the class the model chose
     * @param confidence     the probability the model gave to its (wrong) choice
     */
    public record Misclassified(long index, int trueClass, int predictedClass, double confidence) {
    }

    private final List<String> classNames;
    private final int[][] confusionMatrix;
    private final List<ClassMetrics> perClass;
    private final long examples;
    private final double accuracy;
    private final double precision;
    private final double recall;
    private final double f1;
    private final OptionalDouble top5Accuracy;
    private final List<Misclassified> misclassified;

    /**
     * @param classNames      one name per class, in class-index order
     * @param confusionMatrix counts, rows = true class, columns = predicted class
     * @param top5Accuracy    fraction of examples whose true class is among the 5 most probable
     *                        (empty when there are 5 classes or fewer, where it says nothing)
     * @param misclassified   the mistakes to show; kept most confident first
     */
    public ClassificationResult(List<String> classNames, int[][] confusionMatrix, OptionalDouble top5Accuracy,
                                List<Misclassified> misclassified) {
        int n = classNames.size();
        if (n == 0 || confusionMatrix.length != n) {
            throw new IllegalArgumentException("Confusion matrix must be " + n + " x " + n + " for " + n + " classes");
        }
        this.classNames = List.copyOf(classNames);
        this.confusionMatrix = new int[n][];
        for (int actual = 0; actual < n; actual++) {
            if (confusionMatrix[actual].length != n) {
                throw new IllegalArgumentException("Confusion matrix row " + actual + " must have " + n + " counts");
            }
            this.confusionMatrix[actual] = confusionMatrix[actual].clone();
        }

        int[] predictedTotals = new int[n];
        long total = 0;
        long correct = 0;
        for (int actual = 0; actual < n; actual++) {
            for (int predicted = 0; predicted < n; predicted++) {
                int count = confusionMatrix[actual][predicted];
                predictedTotals[predicted] += count;
                total += count;
            }
            correct += confusionMatrix[actual][actual];
        }
        if (total == 0) {
            throw new IllegalArgumentException("Confusion matrix counts no examples");
        }

        List<ClassMetrics> metrics = new ArrayList<>(n);
        double precisionSum = 0;
        double recallSum = 0;
        double f1Sum = 0;
        for (int c = 0; c < n; c++) {
            int truePositives = confusionMatrix[c][c];
            int support = 0;
            for (int count : confusionMatrix[c]) {
                support += count;
            }
            double classPrecision = ratioOrZero(truePositives, predictedTotals[c]);
            double classRecall = ratioOrZero(truePositives, support);
            double classF1 = ratioOrZero(2 * classPrecision * classRecall, classPrecision + classRecall);
            metrics.add(new ClassMetrics(classNames.get(c), classPrecision, classRecall, classF1, support));
            precisionSum += classPrecision;
            recallSum += classRecall;
            f1Sum += classF1;
        }
        this.perClass = List.copyOf(metrics);
        this.examples = total;
        this.accuracy = (double) correct / total;
        this.precision = precisionSum / n;
        this.recall = recallSum / n;
        this.f1 = f1Sum / n;
        this.top5Accuracy = top5Accuracy;
        this.misclassified = misclassified.stream().sorted(WORST_FIRST).toList();
    }

    private static double ratioOrZero(double numerator, double denominator) {
        return denominator == 0 ? 0 : numerator / denominator;
    }

    public List<String> classNames() {
        return classNames;
    }

    /** A copy of the counts: rows = true class, columns = predicted class. */
    public int[][] confusionMatrix() {
        int[][] copy = new int[confusionMatrix.length][];
        for (int row = 0; row < copy.length; row++) {
            copy[row] = confusionMatrix[row].clone();
        }
        return copy;
    }

    /** Number of test examples evaluated. */
    public long examples() {
        return examples;
    }

    public double accuracy() {
        return accuracy;
    }

    /** Macro precision: the mean of the per-class precisions. */
    public double precision() {
        return precision;
    }

    /** Macro recall: the mean of the per-class recalls. */
    public double recall() {
        return recall;
    }

    /** Macro F1: the mean of the per-class F1 scores (not the F1 of macro precision and recall). */
    public double f1() {
        return f1;
    }

    public List<ClassMetrics> perClass() {
        return perClass;
    }

    /** Present only when there are more than 5 classes. */
    public OptionalDouble top5Accuracy() {
        return top5Accuracy;
    }

    /** The kept mistakes, most confident first. */
    public List<Misclassified> misclassified() {
        return misclassified;
    }
}
