package org.dl4jlabs.autoencoder;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.layers.fast.FastLayers;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.util.List;

/**
 * The autoencoders: an encoder squeezes a picture into {@code bottleneck} numbers (the code), a
 * decoder draws the picture back from them. Both end in a sigmoid, so outputs are pixels in 0..1.
 */
public final class AutoencoderModel {

    /** dense: 784-256-N-256-784; conv: two conv+pool stages down to 7x7, N, and upsampling back. */
    public enum Architecture { DENSE, CONV }

    /** mse: squared error per pixel; xent: binary cross-entropy, treating each pixel as a probability. */
    public enum Loss { MSE, XENT }

    /** Everything a student can change from the command line that shapes the network. */
    public record Options(Architecture architecture, int bottleneck, Loss loss, double learningRate) {
    }

    private static final int HIDDEN = 256;
    private static final int CONV_CHANNELS_1 = 16;
    private static final int CONV_CHANNELS_2 = 32;
    /** The conv encoder halves 28 twice. */
    private static final int CONV_SIDE = 7;
    /** Index of the conv decoder's first layer, which reshapes the dense layer's output into 7x7 maps. */
    private static final int CONV_DECODER_START = 6;

    private AutoencoderModel() {
    }

    /**
     * The network for square grayscale images of {@code side} pixels, flattened to rows, in stock DL4J
     * builders; the app builds it through {@link FastLayers#accelerate}.
     */
    public static MultiLayerConfiguration configuration(Options options, int side, long seed) {
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(options.learningRate()))
                .weightInit(WeightInit.RELU)
                .list();
        if (options.architecture() == Architecture.DENSE) {
            dense(layers, options, side * side);
        } else {
            conv(layers, options, side);
        }
        return layers.build();
    }

    private static void dense(NeuralNetConfiguration.ListBuilder layers, Options options, int pixels) {
        layers.layer(new DenseLayer.Builder().nIn(pixels).nOut(HIDDEN).activation(Activation.RELU).build())
                .layer(codeLayer(HIDDEN, options.bottleneck()))
                .layer(new DenseLayer.Builder().nIn(options.bottleneck()).nOut(HIDDEN).activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(lossFunction(options.loss())).nIn(HIDDEN).nOut(pixels)
                        .activation(Activation.SIGMOID).weightInit(WeightInit.XAVIER).build());
    }

    private static void conv(NeuralNetConfiguration.ListBuilder layers, Options options, int side) {
        if (side != 4 * CONV_SIDE) {
            throw new LabsException("--model conv is built for 28x28 images; these are " + side + "x" + side
                    + ". Use --model dense.");
        }
        int flat = CONV_CHANNELS_2 * CONV_SIDE * CONV_SIDE;
        layers.layer(conv3x3(CONV_CHANNELS_1, Activation.RELU))
                .layer(maxPool())
                .layer(conv3x3(CONV_CHANNELS_2, Activation.RELU))
                .layer(maxPool())
                .layer(codeLayer(flat, options.bottleneck()))
                .layer(new DenseLayer.Builder().nOut(flat).activation(Activation.RELU).build())
                .inputPreProcessor(CONV_DECODER_START, new FeedForwardToCnnPreProcessor(CONV_SIDE, CONV_SIDE,
                        CONV_CHANNELS_2))
                .layer(new Upsampling2D.Builder(2).build())
                .layer(conv3x3(CONV_CHANNELS_1, Activation.RELU))
                .layer(new Upsampling2D.Builder(2).build())
                .layer(conv3x3(1, Activation.SIGMOID))
                // The loss layer sees the picture flattened back to a row, the layout of the clean targets. The
                // sigmoid stays in the convolution: DL4J's LossLayer applies its own activation's backward pass
                // in place on its input, which leaves the reported training loss stale.
                // Its size given as a long: the int setters refuse, and without a size DL4J warns about "size zero".
                .layer(new LossLayer.Builder(lossFunction(options.loss())).activation(Activation.IDENTITY)
                        .nIn((long) side * side).nOut((long) side * side).build())
                .setInputType(InputType.convolutionalFlat(side, side, 1));
    }

    /** Index of the layer whose activations are the code, for {@link #encode}. */
    static int codeLayerIndex(Architecture architecture) {
        return architecture == Architecture.DENSE ? 1 : 4;
    }

    /** The codes of a batch of images: one row of {@code bottleneck} numbers per image. */
    public static INDArray encode(MultiLayerNetwork net, Architecture architecture, INDArray images) {
        int layer = codeLayerIndex(architecture);
        List<INDArray> activations = net.feedForwardToLayer(layer, images, false);
        return activations.get(layer + 1);
    }

    /** A linear bottleneck: codes may take any value, which keeps a 2-number code spread out to plot. */
    private static DenseLayer codeLayer(int nIn, int bottleneck) {
        return new DenseLayer.Builder().nIn(nIn).nOut(bottleneck).activation(Activation.IDENTITY).build();
    }

    private static ConvolutionLayer conv3x3(int channels, Activation activation) {
        return new ConvolutionLayer.Builder(3, 3).nOut(channels).convolutionMode(ConvolutionMode.Same)
                .activation(activation).build();
    }

    private static SubsamplingLayer maxPool() {
        return new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build();
    }

    private static LossFunction lossFunction(Loss loss) {
        return loss == Loss.XENT ? LossFunction.XENT : LossFunction.MSE;
    }

    /** Rejects option values that cannot train, with a message that names the option. */
    public static void validate(Options options) {
        if (options.bottleneck() < 1 || options.bottleneck() > HIDDEN) {
            throw new LabsException("--bottleneck is the number of code units, 1 to " + HIDDEN + ", not "
                    + options.bottleneck());
        }
        if (!(options.learningRate() > 0)) {
            throw new LabsException("--lr must be greater than 0, not " + options.learningRate());
        }
    }
}
