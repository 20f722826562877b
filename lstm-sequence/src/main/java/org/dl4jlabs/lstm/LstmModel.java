package org.dl4jlabs.lstm;

import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.weights.WeightInit;
import org.dl4jlabs.common.LabsException;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;


/**
 * Stacked LSTM networks: LSTM layers (each optionally bidirectional), the last one read at the last
 * real step of each series (masked padding is skipped), then a softmax layer for classifying or a
 * linear layer for forecasting; or, for text, an output at every step.
 */
public final class LstmModel {

    /**
     * @param layers        stacked LSTM layers
     * @param units         units per LSTM layer (per direction when bidirectional)
     * @param bidirectional read each series forwards and backwards, concatenating both
     * @param dropout       probability of dropping an input of each layer after the first, while training
     * @param clip          gradients are clipped element-wise to [-clip, clip], against exploding gradients
     * @param learningRate  Adam's step size
     */
    public record Options(int layers, int units, boolean bidirectional, double dropout, double clip,
                          double learningRate) {

        public static final Options BENCH = new Options(2, 64, false, 0, 1.0, 5e-3);
    }

    private LstmModel() {
    }

    public static void validate(Options options) {
        if (options.layers() < 1 || options.units() < 1) {
            throw new LabsException("--layers and --units must be at least 1");
        }
        if (options.dropout() < 0 || options.dropout() >= 1) {
            throw new LabsException("--dropout is a probability in [0, 1), not " + options.dropout());
        }
        if (!(options.clip() > 0) || !(options.learningRate() > 0)) {
            throw new LabsException("--clip and --lr must be positive");
        }
    }

    /** A classifier of series with {@code features} values per step into {@code classes} classes. */
    public static MultiLayerConfiguration classifier(Options options, int features, int classes, long seed) {
        return build(options, features, new OutputLayer.Builder(LossFunction.MCXENT)
                .nOut(classes).activation(Activation.SOFTMAX), seed);
    }

    /** A forecaster of the next {@code horizon} values of a univariate series, trained on squared error. */
    public static MultiLayerConfiguration forecaster(Options options, int horizon, long seed) {
        return build(options, 1, new OutputLayer.Builder(LossFunction.MSE)
                .nOut(horizon).activation(Activation.IDENTITY), seed);
    }

    /**
     * A next-character model over a vocabulary of {@code characters}: an output at every step, trained
     * with truncated back-propagation through time over segments of {@code tbpttLength} steps.
     */
    public static MultiLayerConfiguration characterModel(Options options, int characters, int tbpttLength, long seed) {
        validate(options);
        var layers = lstmStack(options, seed, false);
        RnnOutputLayer.Builder output = new RnnOutputLayer.Builder(LossFunction.MCXENT)
                .nOut(characters).activation(Activation.SOFTMAX);
        dropInputs(output, options.dropout());
        layers.layer(output.build())
                .backpropType(BackpropType.TruncatedBPTT)
                .tBPTTForwardLength(tbpttLength)
                .tBPTTBackwardLength(tbpttLength);
        return layers.setInputType(InputType.recurrent(characters)).build();
    }

    private static MultiLayerConfiguration build(Options options, int features, OutputLayer.Builder output, long seed) {
        validate(options);
        var layers = lstmStack(options, seed, true);
        dropInputs(output, options.dropout());
        layers.layer(output.build());
        return layers.setInputType(InputType.recurrent(features)).build();
    }

    /** The LSTM layers; with {@code lastStepOnly} the last one gives only its output at each series' last step. */
    private static NeuralNetConfiguration.ListBuilder lstmStack(Options options, long seed, boolean lastStepOnly) {
        var layers = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(options.learningRate()))
                .gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
                .gradientNormalizationThreshold(options.clip())
                .list();
        for (int i = 0; i < options.layers(); i++) {
            LSTM.Builder lstm = new LSTM.Builder().nOut(options.units()).activation(Activation.TANH);
            if (i > 0) {
                dropInputs(lstm, options.dropout());
            }
            Layer layer = options.bidirectional()
                    ? new Bidirectional(Bidirectional.Mode.CONCAT, lstm.build()) : lstm.build();
            layers.layer(lastStepOnly && i == options.layers() - 1 ? new LastTimeStep(layer) : layer);
        }
        return layers;
    }

    private static void dropInputs(Layer.Builder<?> layer, double dropout) {
        if (dropout > 0) {
            // DL4J's dropOut takes the probability of keeping an input.
            layer.dropOut(1 - dropout);
        }
    }
}
