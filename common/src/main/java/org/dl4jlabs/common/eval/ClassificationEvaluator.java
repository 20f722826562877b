package org.dl4jlabs.common.eval;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.PriorityQueue;
import java.util.function.Function;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.backend.NativeFloats;
import org.dl4jlabs.common.eval.ClassificationResult.Misclassified;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Scores a classifier on a labelled test set. The classifier is any function from a batch of
 * features to class probabilities (one row per example, one column per class), so that
 * {@code network::output}, {@code graph::outputSingle} and test-time averaging all plug in.
 * Labels must be one-hot rows. See {@link ClassificationResult} for how the metrics are defined.
 */
public final class ClassificationEvaluator {

    private static final int TOP_K = 5;

    private final List<String> classNames;
    private final int maxMisclassified;

    /**
     * @param classNames       one name per class, in class-index order
     * @param maxMisclassified how many mistakes to keep for the report (the most confident ones)
     */
    public ClassificationEvaluator(List<String> classNames, int maxMisclassified) {
        if (classNames.size() < 2) {
            throw new IllegalArgumentException("A classifier needs at least 2 classes, got " + classNames);
        }
        if (maxMisclassified < 0) {
            throw new IllegalArgumentException("maxMisclassified must not be negative: " + maxMisclassified);
        }
        this.classNames = List.copyOf(classNames);
        this.maxMisclassified = maxMisclassified;
    }

    /** Evaluates {@code testSet} in mini-batches of {@code batchSize}, so memory stays bounded. */
    public ClassificationResult evaluate(Function<INDArray, INDArray> predictor, DataSet testSet, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive: " + batchSize);
        }
        Tally tally = new Tally();
        int size = testSet.numExamples();
        for (int from = 0; from < size; from += batchSize) {
            tally.add(predictor, testSet.getRange(from, Math.min(size, from + batchSize)));
        }
        return tally.result();
    }

    /** Evaluates every batch of {@code testSet}, resetting it first when it can be reset. */
    public ClassificationResult evaluate(Function<INDArray, INDArray> predictor, DataSetIterator testSet) {
        if (testSet.resetSupported()) {
            testSet.reset();
        }
        Tally tally = new Tally();
        while (testSet.hasNext()) {
            tally.add(predictor, testSet.next());
        }
        return tally.result();
    }

    /**
     * Running counts over the batches seen so far, in Java over each batch's floats: DL4J's
     * {@code Evaluation} makes several native calls per example for its top-5 count, which made
     * it the slowest step after training for a test set of small images.
     */
    private final class Tally {
        private final int classes = classNames.size();
        private final int[][] confusion = new int[classes][classes];
        private long topKHits;
        // The least confident kept mistake sits on top, ready to be dropped for a worse one.
        private final PriorityQueue<Misclassified> worstMistakes =
                new PriorityQueue<>(ClassificationResult.WORST_FIRST.reversed());
        private long examplesSeen;

        void add(Function<INDArray, INDArray> predictor, DataSet batch) {
            INDArray labels = batch.getLabels();
            INDArray probabilities = predictor.apply(batch.getFeatures());
            checkShapes(labels, probabilities);
            float[] truth = rowMajorFloats(labels);
            float[] predictions = rowMajorFloats(probabilities);
            int rows = (int) labels.rows();
            for (int row = 0; row < rows; row++) {
                int offset = row * classes;
                int actual = argMax(truth, offset);
                int predicted = argMax(predictions, offset);
                if (Float.isNaN(predictions[offset + predicted])) {
                    throw new LabsException("The model predicts NaN: training diverged. "
                            + "Try a lower learning rate or check the input normalization.");
                }
                confusion[actual][predicted]++;
                if (reportsTopK() && moreProbableThan(predictions, offset, predictions[offset + actual]) < TOP_K) {
                    topKHits++;
                }
                if (actual != predicted) {
                    keep(new Misclassified(examplesSeen + row, actual, predicted, predictions[offset + predicted]));
                }
            }
            examplesSeen += rows;
        }

        /** The first index of the row's largest value; a NaN, if any, wins. */
        private int argMax(float[] values, int offset) {
            int best = 0;
            for (int i = 0; i < classes; i++) {
                float value = values[offset + i];
                if (Float.isNaN(value)) {
                    return i;
                }
                if (value > values[offset + best]) {
                    best = i;
                }
            }
            return best;
        }

        /** How many classes the row gives a strictly higher probability than {@code probability}. */
        private int moreProbableThan(float[] values, int offset, float probability) {
            int count = 0;
            for (int i = 0; i < classes; i++) {
                if (values[offset + i] > probability) {
                    count++;
                }
            }
            return count;
        }

        private void checkShapes(INDArray labels, INDArray probabilities) {
            if (labels.rank() != 2 || labels.columns() != classes) {
                throw new LabsException("The test labels have shape " + Arrays.toString(labels.shape())
                        + " but " + classes + " classes were expected: labels must be one-hot rows.");
            }
            if (probabilities.rank() != 2 || probabilities.columns() != classes
                    || probabilities.rows() != labels.rows()) {
                throw new LabsException("The model outputs shape " + Arrays.toString(probabilities.shape())
                        + " for " + labels.rows() + " examples, but " + classes + " class probabilities per example "
                        + "were expected. Does the model's output layer match the data set's classes?");
            }
        }

        private void keep(Misclassified mistake) {
            if (maxMisclassified == 0) {
                return;
            }
            worstMistakes.add(mistake);
            if (worstMistakes.size() > maxMisclassified) {
                worstMistakes.poll();
            }
        }

        ClassificationResult result() {
            if (examplesSeen == 0) {
                throw new LabsException("The test set is empty: there is nothing to evaluate.");
            }
            OptionalDouble top5 = reportsTopK() ? OptionalDouble.of((double) topKHits / examplesSeen) : OptionalDouble.empty();
            return new ClassificationResult(classNames, confusion, top5, new ArrayList<>(worstMistakes));
        }
    }

    /** The array's values as floats, row after row, in one bulk copy. */
    private static float[] rowMajorFloats(INDArray array) {
        INDArray floats = NativeFloats.wholeBuffer(array);
        float[] values = floats.data().asFloat();
        Reference.reachabilityFence(floats);
        return values;
    }

    /** With 5 classes or fewer the true class is always in the top 5, so the number says nothing. */
    private boolean reportsTopK() {
        return classNames.size() > TOP_K;
    }
}
