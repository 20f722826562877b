package org.dl4jlabs.common.eval;

import org.deeplearning4j.nn.api.Model;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.train.Network;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.function.Function;

/**
 * Test-time averaging: the class probabilities averaged over several inference passes of a
 * network that is random at inference, as a network with fractional max-pooling layers is
 * ({@link org.dl4jlabs.common.layers.fmp.FractionalMaxPooling2D} draws fresh pooling regions on every
 * pass). Each pass is a different member of an ensemble of similar networks, so the average is
 * usually more accurate than any one pass; Graham reports his FMP results averaged over 12 passes.
 * For a network without randomness at inference every pass is the same, and so is the average.
 *
 * <p>As a {@code Function<INDArray, INDArray>} it plugs into {@link ClassificationEvaluator} like
 * {@code network::output}; {@link #accuracy} reports the accuracy of one pass and of the average
 * side by side, from the same passes. Averaging R passes costs R inference passes.
 */
public final class TestTimeAveraging implements Function<INDArray, INDArray> {

    /**
     * Accuracy over the same examples with one pass per batch and with the average of
     * {@code repeats} passes (the first of which is the one pass).
     */
    public record Accuracy(long examples, long correctOnePass, long correctAveraged, int repeats) {

        public double onePass() {
            return (double) correctOnePass / examples;
        }

        public double averaged() {
            return (double) correctAveraged / examples;
        }

        @Override
        public String toString() {
            return String.format("accuracy %.2f%% with 1 pass, %.2f%% averaged over %d passes (%d examples)",
                    100 * onePass(), 100 * averaged(), repeats, examples);
        }
    }

    private final Network network;
    private final int repeats;

    /**
     * @param network a {@code MultiLayerNetwork} or a single-input, single-output
     *                {@code ComputationGraph} that outputs class probabilities
     * @param repeats passes to average, at least 1
     */
    public TestTimeAveraging(Model network, int repeats) {
        if (repeats < 1) {
            throw new IllegalArgumentException("Test-time averaging needs at least 1 pass, got " + repeats);
        }
        this.network = Network.of(network);
        this.repeats = repeats;
    }

    public int repeats() {
        return repeats;
    }

    /** The class probabilities for a batch of features, averaged over {@link #repeats} passes. */
    @Override
    public INDArray apply(INDArray features) {
        return predict(features).averaged();
    }

    /** Accuracy of one pass and of the average on {@code testSet}, in mini-batches of {@code batchSize}. */
    public Accuracy accuracy(DataSet testSet, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive: " + batchSize);
        }
        Tally tally = new Tally();
        int size = testSet.numExamples();
        for (int from = 0; from < size; from += batchSize) {
            tally.add(testSet.getRange(from, Math.min(size, from + batchSize)));
        }
        return tally.result();
    }

    /** Accuracy of one pass and of the average on every batch of {@code testSet}, reset first when it can be. */
    public Accuracy accuracy(DataSetIterator testSet) {
        if (testSet.resetSupported()) {
            testSet.reset();
        }
        Tally tally = new Tally();
        while (testSet.hasNext()) {
            tally.add(testSet.next());
        }
        return tally.result();
    }

    private Predictions predict(INDArray features) {
        INDArray firstPass = network.output(features);
        INDArray sum = firstPass.dup();
        for (int pass = 1; pass < repeats; pass++) {
            sum.addi(network.output(features));
        }
        return new Predictions(firstPass, sum.divi(repeats));
    }

    private record Predictions(INDArray firstPass, INDArray averaged) {
    }

    private final class Tally {
        private long examples;
        private long correctOnePass;
        private long correctAveraged;

        void add(DataSet batch) {
            INDArray labels = batch.getLabels();
            Predictions predictions = predict(batch.getFeatures());
            if (labels.rank() != 2 || !Arrays.equals(labels.shape(), predictions.averaged().shape())) {
                throw new LabsException("The labels have shape " + Arrays.toString(labels.shape())
                        + " but the model outputs " + Arrays.toString(predictions.averaged().shape())
                        + ": labels must be one-hot rows, one column per class the model predicts.");
            }
            int[] actual = Nd4j.argMax(labels, 1).toIntVector();
            int[] onePass = Nd4j.argMax(predictions.firstPass(), 1).toIntVector();
            int[] averaged = Nd4j.argMax(predictions.averaged(), 1).toIntVector();
            for (int row = 0; row < actual.length; row++) {
                correctOnePass += onePass[row] == actual[row] ? 1 : 0;
                correctAveraged += averaged[row] == actual[row] ? 1 : 0;
            }
            examples += actual.length;
        }

        Accuracy result() {
            if (examples == 0) {
                throw new LabsException("The test set is empty: there is nothing to evaluate.");
            }
            return new Accuracy(examples, correctOnePass, correctAveraged, repeats);
        }
    }
}
