package org.dl4jlabs.catsdogs;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer.PoolingType;
import org.deeplearning4j.nn.weights.WeightInit;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.layers.ChannelsLastImages;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The networks of the lab, in stock DL4J builders: the course's Keras network for photos, and a
 * linear classifier to compare it with. Both take {@code size x size} RGB photos as rows of
 * {@code 3 * size * size} values and give the probability of each class (cat, dog).
 */
public final class CatsDogsModel {

    /** The course's CNN, a linear model, or VGG16's pretrained base with a new head (built by common.transfer). */
    public enum Architecture { KERAS, LINEAR, VGG16 }

    /**
     * @param size         side of the square photos
     * @param dropout      fraction of the flattened features dropped before the dense layers, while training
     * @param learningRate Adam's step size
     */
    public record Options(Architecture architecture, int size, double dropout, double learningRate) {
    }

    /** Four conv + pool blocks halve a photo four times; below this side nothing is left to pool. */
    static final int SMALLEST_SIDE = 16;

    private CatsDogsModel() {
    }

    public static MultiLayerConfiguration configuration(Options options, int classes, long seed) {
        if (!(options.learningRate() > 0)) {
            throw new LabsException("--lr must be greater than 0, not " + options.learningRate());
        }
        if (options.dropout() < 0 || options.dropout() >= 1) {
            throw new LabsException("--dropout is a fraction from 0 to below 1, not " + options.dropout());
        }
        return switch (options.architecture()) {
            case KERAS -> keras(options, classes, seed);
            case LINEAR -> linear(options, classes, seed);
            case VGG16 -> throw new LabsException("the vgg16 network comes pretrained: use --pretrained vgg16");
        };
    }

    /**
     * Conv 32, 64, 128, 128 (3x3, ReLU, same padding), each followed by 2x2 max-pooling; dropout; dense
     * 512 and 128 (ReLU); softmax over the classes.
     */
    private static MultiLayerConfiguration keras(Options options, int classes, long seed) {
        int size = options.size();
        if (size < SMALLEST_SIDE) {
            throw new LabsException("--size " + size + " is too small for the keras network: its four poolings "
                    + "need photos of at least " + SMALLEST_SIDE + "x" + SMALLEST_SIDE);
        }
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(options.learningRate()))
                .weightInit(WeightInit.RELU)
                .list();
        for (int filters : new int[]{32, 64, 128, 128}) {
            layers.layer(new ConvolutionLayer.Builder(3, 3).nOut(filters).activation(Activation.RELU)
                    .convolutionMode(ConvolutionMode.Same).dataFormat(CNN2DFormat.NHWC).build());
            layers.layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                    .dataFormat(CNN2DFormat.NHWC).build());
        }
        DenseLayer.Builder dense512 = new DenseLayer.Builder().nOut(512).activation(Activation.RELU);
        if (options.dropout() > 0) {
            dense512.dropOut(1 - options.dropout()); // DL4J takes the probability of keeping an input
        }
        layers.layer(dense512.build());
        layers.layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build());
        layers.layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(classes).activation(Activation.SOFTMAX)
                .weightInit(WeightInit.XAVIER).build());
        // The photos arrive channel by channel; the convolutions run fastest with the channels last.
        layers.inputPreProcessor(0, new ChannelsLastImages(size, size, 3));
        layers.setInputType(InputType.convolutionalFlat(size, size, 3));
        return layers.build();
    }

    /** Softmax regression on the raw pixels: what a network without convolutions can do. */
    private static MultiLayerConfiguration linear(Options options, int classes, long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(options.learningRate()))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(3 * options.size() * options.size())
                        .nOut(classes).activation(Activation.SOFTMAX).build())
                .build();
    }
}
