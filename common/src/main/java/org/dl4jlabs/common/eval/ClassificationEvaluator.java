package org.dl4jlabs.common.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.PriorityQueue;
import java.util.function.Function;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.eval.ClassificationResult.Misclassified;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

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

    /** Running counts over the batches seen so far. */
    private final class Tally {
        // ND4J counts the confusion matrix and top-5 hits; per-class metrics are computed by
        // ClassificationResult, whose handling of never-predicted classes we control.
        private final Evaluation evaluation = new Evaluation(classNames, reportsTopK() ? TOP_K : 1);
        // The least confident kept mistake sits on top, ready to be dropped for a worse one.
        private final PriorityQueue<Misclassified> worstMistakes =
                new PriorityQueue<>(ClassificationResult.WORST_FIRST.reversed());
        private long examplesSeen;

        void add(Function<INDArray, INDArray> predictor, DataSet batch) {
            INDArray labels = batch.getLabels();
            INDArray probabilities = predictor.apply(batch.getFeatures());
            checkShapes(labels, probabilities);

            evaluation.eval(labels, probabilities);
            int[] actual = Nd4j.argMax(labels, 1).toIntVector();
            int[] predicted = Nd4j.argMax(probabilities, 1).toIntVector();
            double[] confidence = probabilities.max(1).toDoubleVector();
            for (int row = 0; row < actual.length; row++) {
                if (actual[row] != predicted[row]) {
                    keep(new Misclassified(examplesSeen + row, actual[row], predicted[row], confidence[row]));
                }
            }
            examplesSeen += actual.length;
        }

        private void checkShapes(INDArray labels, INDArray probabilities) {
            int classes = classNames.size();
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
            if (BooleanIndexing.or(probabilities, Conditions.isNan())) {
                throw new LabsException("The model predicts NaN: training diverged. "
                        + "Try a lower learning rate or check the input normalization.");
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
            int classes = classNames.size();
            int[][] confusion = new int[classes][classes];
            for (int actual = 0; actual < classes; actual++) {
                for (int predicted = 0; predicted < classes; predicted++) {
                    confusion[actual][predicted] = evaluation.getConfusionMatrix().getCount(actual, predicted);
                }
            }
            OptionalDouble top5 = reportsTopK() ? OptionalDouble.of(evaluation.topNAccuracy()) : OptionalDouble.empty();
            return new ClassificationResult(classNames, confusion, top5, new ArrayList<>(worstMistakes));
        }
    }

    /** With 5 classes or fewer the true class is always in the top 5, so the number says nothing. */
    private boolean reportsTopK() {
        return classNames.size() > TOP_K;
    }
}
