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

    static int draw(INDArray probabilities, double temperature, Random random) {
        double[] weights = probabilities.toDoubleVector();
        double total = 0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = Math.pow(weights[i], 1 / temperature);
            total += weights[i];
        }
        double point = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            point -= weights[i];
            if (point <= 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
