package org.dl4jlabs.common.eval;

import org.deeplearning4j.nn.api.Model;
import org.dl4jlabs.common.train.Network;
import org.nd4j.linalg.api.ndarray.INDArray;

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
 * {@code network::output}. Averaging R passes costs R inference passes.
 */
public final class TestTimeAveraging implements Function<INDArray, INDArray> {

    /** Accuracy over the same examples with one pass and with the average of {@code repeats} passes. */
    public record Accuracy(long examples, double onePass, double averaged, int repeats) {

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

    /** The class probabilities for a batch of features, averaged over {@link #repeats} passes. */
    @Override
    public INDArray apply(INDArray features) {
        INDArray sum = network.output(features).dup();
        for (int pass = 1; pass < repeats; pass++) {
            sum.addi(network.output(features));
        }
        return sum.divi(repeats);
    }
}
