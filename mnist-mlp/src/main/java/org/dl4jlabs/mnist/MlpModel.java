package org.dl4jlabs.mnist;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.train.LearningRateDecay;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.util.List;

/** The multilayer perceptron: 784 pixels in, one hidden layer per entry of {@code hidden}, 10 classes out. */
public final class MlpModel {

    public enum HiddenActivation {
        SIGMOID(Activation.SIGMOID), TANH(Activation.TANH), RELU(Activation.RELU),
        LEAKYRELU(Activation.LEAKYRELU), ELU(Activation.ELU), SOFTPLUS(Activation.SOFTPLUS);

        final Activation dl4j;

        HiddenActivation(Activation dl4j) {
            this.dl4j = dl4j;
        }
    }

    /** xent: cross-entropy on a softmax (the usual choice); mse: squared error on the same softmax. */
    public enum Loss { XENT, MSE }

    public enum Optimizer { SGD, MOMENTUM, NESTEROV, ADAGRAD, ADADELTA, RMSPROP, ADAM }

    /**
     * Everything a student can change from the command line.
     *
     * @param lrDecay the factor the learning rate is multiplied by over each epoch (1 = constant)
     * @param dropout probability of dropping a hidden unit during training (0 = no dropout)
     * @param l1      L1 weight penalty (0 = none)
     * @param l2      L2 weight penalty (0 = none)
     */
    public record Options(List<Integer> hidden, HiddenActivation activation, Loss loss, Optimizer optimizer,
                          double learningRate, double lrDecay, double dropout, double l1, double l2,
                          boolean batchNorm) {
    }

    public static final int INPUTS = 28 * 28;
    public static final int CLASSES = 10;

    private MlpModel() {
    }

    /**
     * The network in stock DL4J builders: paste it into any DL4J project. The app passes it through
     * {@code FastLayers.accelerate} before training, which swaps in the suite's faster implementations
     * of the same layers, and puts {@code lrDecay} on it with {@code LearningRateDecay}.
     */
    public static MultiLayerConfiguration configuration(Options options, long seed) {
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(updater(options.optimizer(), options.learningRate()))
                .weightInit(options.activation() == HiddenActivation.RELU
                        || options.activation() == HiddenActivation.LEAKYRELU ? WeightInit.RELU : WeightInit.XAVIER)
                .l1(options.l1())
                .l2(options.l2())
                .list();
        int inputs = INPUTS;
        for (int units : options.hidden()) {
            DenseLayer.Builder dense = new DenseLayer.Builder().nIn(inputs).nOut(units)
                    .activation(options.activation().dl4j);
            if (options.dropout() > 0) {
                dense.dropOut(1 - options.dropout()); // DL4J takes the probability of keeping a unit
            }
            layers.layer(dense.build());
            if (options.batchNorm()) {
                layers.layer(new BatchNormalization.Builder().nIn(units).nOut(units).build());
            }
            inputs = units;
        }
        layers.layer(new OutputLayer.Builder(options.loss() == Loss.XENT ? LossFunction.MCXENT : LossFunction.MSE)
                .nIn(inputs).nOut(CLASSES).activation(Activation.SOFTMAX).build());
        return layers.build();
    }

    /** Rejects option values that cannot train, with a message that names the option. */
    public static void validate(Options options) {
        if (options.hidden().isEmpty() || options.hidden().stream().anyMatch(units -> units < 1)) {
            throw new LabsException("--hidden needs one or more layer sizes of at least 1, e.g. 256,128");
        }
        if (!(options.learningRate() > 0)) {
            throw new LabsException("--lr must be greater than 0, not " + options.learningRate());
        }
        LearningRateDecay.check(options.lrDecay());
        if (!(options.dropout() >= 0 && options.dropout() < 1)) {
            throw new LabsException("--dropout is a probability in [0, 1), not " + options.dropout());
        }
        if (!(options.l1() >= 0) || !(options.l2() >= 0)) {
            throw new LabsException("--l1 and --l2 must be 0 or more");
        }
    }

    static IUpdater updater(Optimizer optimizer, double lr) {
        return switch (optimizer) {
            case SGD -> new Sgd(lr);
            case MOMENTUM -> new ClassicalMomentum(lr, 0.9);
            case NESTEROV -> new Nesterovs(lr, 0.9);
            case ADAGRAD -> new AdaGrad(lr);
            case ADADELTA -> new AdaDelta();
            case RMSPROP -> new RmsProp(lr);
            case ADAM -> new Adam(lr);
        };
    }
}
