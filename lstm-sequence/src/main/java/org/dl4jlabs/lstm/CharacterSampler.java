package org.dl4jlabs.lstm;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jlabs.common.LabsException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Random;

/**
 * Writes text with a next-character model: it is fed a prime, then one character at a time its own
 * choices, drawn from its predicted distribution sharpened or flattened by a temperature.
 */
final class CharacterSampler {

    private final MultiLayerNetwork net;
    private final List<String> vocabulary;

    CharacterSampler(MultiLayerNetwork net, List<String> vocabulary) {
        this.net = net;
        this.vocabulary = vocabulary;
    }

    /**
     * @param temperature below 1 favours the likeliest characters, above 1 gives rarer ones more chance;
     *                    probabilities become p^(1/T), renormalized
     */
    String sample(String prime, int length, double temperature, long seed) {
        if (!(temperature > 0)) {
            throw new LabsException("--temperature must be positive, not " + temperature);
        }
        if (prime.isEmpty()) {
            throw new LabsException("the prime text is empty: give the model at least one character to start from");
        }
        int[] primeIndexes = CharacterText.encode(prime, vocabulary);
        Random random = new Random(seed);
        net.rnnClearPreviousState();
        INDArray probabilities = null;
        for (int index : primeIndexes) {
            probabilities = step(index);
        }
        StringBuilder text = new StringBuilder(prime);
        for (int i = 0; i < length; i++) {
            int next = draw(probabilities, temperature, random);
            text.append(vocabulary.get(next));
            probabilities = step(next);
        }
        net.rnnClearPreviousState();
        return text.toString();
    }

    private INDArray step(int index) {
        INDArray input = Nd4j.zeros(1, vocabulary.size());
        input.putScalar(0, index, 1);
        return net.rnnTimeStep(input);
    }

    /**
     * An index drawn with probability proportional to p^(1/T), computed in log space with the largest
     * term taken out: raised directly, every p^(1/T) underflows to 0 at a low temperature (0.002), and
     * the draw fell to index 0. As T approaches 0 this becomes the arg-max.
     */
    static int draw(INDArray probabilities, double temperature, Random random) {
        double[] weights = probabilities.toDoubleVector();
        double largest = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = Math.log(weights[i]);
            largest = Math.max(largest, weights[i]);
        }
        double total = 0;
        for (int i = 0; i < weights.length; i++) {
            // The difference first, then the division: at T = 1e-300 the likeliest stays exp(0) = 1.
            weights[i] = Math.exp((weights[i] - largest) / temperature);
            total += weights[i];
        }
        double point = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            point -= weights[i];
            if (point <= 0 && weights[i] > 0) {
                return i;
            }
        }
        return argMax(weights);
    }

    private static int argMax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
