package org.dl4jlabs.common.transfer;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.layers.fast.FastLayers;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.util.ArrayList;
import java.util.List;

/**
 * VGG16 (Simonyan and Zisserman, 2014) in stock DL4J builders, with Keras' layer names so that
 * Keras' weight files load by name: five blocks of 3x3 convolutions (2, 2, 3, 3, 3 of them, ReLU,
 * same padding), each closed by 2x2 max-pooling; then either ImageNet's top (fc1 and fc2 of 4096,
 * 1000 classes) or a new head for the task.
 * <p>
 * Photos arrive as rows of {@code 3 * size * size} RGB values in 0..1, channel by channel; the first
 * step, {@link VggInput}, prepares them as the weights expect and lays them out channels-last.
 */
public final class Vgg16Model {

    /** Filters of each block: VGG16's, or a quarter of them for the base the suite pretrains offline. */
    public enum Width {
        FULL(64, 128, 256, 512, 512), QUARTER(16, 32, 64, 128, 128);

        private final int[] filters;

        Width(int... filters) {
            this.filters = filters;
        }

        public int filters(int block) {
            return filters[block - 1];
        }
    }

    /** How the head turns block5_pool's maps into a vector: all of them in a row, or each map's mean. */
    public enum Pooling { FLATTEN, AVERAGE }

    /** @param dense the head's hidden layer; 0 for none */
    public record Head(Pooling pooling, int dense, double dropout, int classes) {
    }

    static final int[] CONVOLUTIONS_PER_BLOCK = {2, 2, 3, 3, 3};
    /** The typical spread of a prepared photo's values ({@link VggInput}: 0..255 less the channel means). */
    static final double INPUT_SPREAD = 64;
    /** Five poolings halve a photo five times; below this side nothing is left to pool. */
    public static final int SMALLEST_SIDE = 32;

    /** The base's layers in order: block1_conv1, block1_conv2, block1_pool, ..., block5_pool. */
    public static final List<String> BASE_LAYERS = baseLayerNames();
    /** The base's layers with weights: block1_conv1 ... block5_conv3. */
    public static final List<String> CONVOLUTIONS = BASE_LAYERS.stream().filter(name -> name.contains("_conv")).toList();

    private Vgg16Model() {
    }

    private static List<String> baseLayerNames() {
        List<String> names = new ArrayList<>();
        for (int block = 1; block <= 5; block++) {
            for (int conv = 1; conv <= CONVOLUTIONS_PER_BLOCK[block - 1]; conv++) {
                names.add("block" + block + "_conv" + conv);
            }
            names.add("block" + block + "_pool");
        }
        return List.copyOf(names);
    }

    /** The base with a new head for {@code head.classes()} classes: what transfer learning trains. */
    public static MultiLayerConfiguration withHead(Width width, int size, Head head, double learningRate, long seed) {
        NeuralNetConfiguration.ListBuilder layers = base(width, size, learningRate, seed);
        if (head.pooling() == Pooling.AVERAGE) {
            layers.layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("head_pool").build());
        }
        addHead(layers, head);
        return finish(layers, size);
    }

    /**
     * The head alone, on the base's outputs already computed ({@code inputs} values per photo: the
     * flattened or averaged maps): what feature extraction trains, with the same layers and names.
     */
    public static MultiLayerConfiguration head(long inputs, Head head, double learningRate, long seed) {
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(learningRate))
                .weightInit(WeightInit.RELU)
                .list();
        addHead(layers, head);
        layers.setInputType(InputType.feedForward(inputs));
        return layers.build();
    }

    private static void addHead(NeuralNetConfiguration.ListBuilder layers, Head head) {
        if (head.dense() > 0) {
            layers.layer(new DenseLayer.Builder().name("head_dense").nOut(head.dense()).activation(Activation.RELU)
                    .build());
        }
        OutputLayer.Builder output = new OutputLayer.Builder(LossFunction.MCXENT).name("head_output")
                .nOut(head.classes()).activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER);
        if (head.dropout() > 0) {
            output.dropOut(1 - head.dropout()); // DL4J takes the probability of keeping an input
        }
        layers.layer(output.build());
    }

    /**
     * The base alone, up to and including {@code lastLayer}: what featurizing runs, through
     * {@code output()} and its reused memory. Its parameters are the first ones of a network built
     * by {@link #withHead} with the same width and size, in the same order.
     */
    public static MultiLayerConfiguration baseUpTo(Width width, int size, String lastLayer) {
        indexOf(lastLayer);
        return finish(base(width, size, 1e-3, 0, lastLayer), size);
    }

    /** VGG16 as trained on ImageNet: the base, fc1 and fc2 of 4096 (ReLU), and 1000 classes. 224x224 photos. */
    public static MultiLayerConfiguration imagenet(long seed) {
        return withTop(Width.FULL, 224, 4096, 1000, seed);
    }

    /** The same shape at any width, size and top: {@link #imagenet} is {@code withTop(FULL, 224, 4096, 1000)}. */
    public static MultiLayerConfiguration withTop(Width width, int size, int hidden, int classes, long seed) {
        NeuralNetConfiguration.ListBuilder layers = base(width, size, 1e-4, seed);
        layers.layer(new DenseLayer.Builder().name("fc1").nOut(hidden).activation(Activation.RELU).build());
        layers.layer(new DenseLayer.Builder().name("fc2").nOut(hidden).activation(Activation.RELU).build());
        layers.layer(new OutputLayer.Builder(LossFunction.MCXENT).name("predictions").nOut(classes)
                .activation(Activation.SOFTMAX).build());
        return finish(layers, size);
    }

    /** The layers with weights of {@link #imagenet}: the convolutions, fc1, fc2 and predictions. */
    public static List<String> withTopLayers() {
        List<String> layers = new ArrayList<>(CONVOLUTIONS);
        layers.addAll(List.of("fc1", "fc2", "predictions"));
        return layers;
    }

    private static NeuralNetConfiguration.ListBuilder base(Width width, int size, double learningRate, long seed) {
        return base(width, size, learningRate, seed, "block5_pool");
    }

    private static NeuralNetConfiguration.ListBuilder base(Width width, int size, double learningRate, long seed,
                                                           String lastLayer) {
        if (size < SMALLEST_SIDE) {
            throw new LabsException("--size " + size + " is too small for VGG16: its five poolings need photos of at"
                    + " least " + SMALLEST_SIDE + "x" + SMALLEST_SIDE);
        }
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(learningRate))
                .weightInit(WeightInit.RELU)
                .list();
        for (int block = 1; block <= 5; block++) {
            for (int conv = 1; conv <= CONVOLUTIONS_PER_BLOCK[block - 1]; conv++) {
                String name = "block" + block + "_conv" + conv;
                ConvolutionLayer.Builder convolution = new ConvolutionLayer.Builder(3, 3)
                        .name(name).nOut(width.filters(block)).activation(Activation.RELU)
                        .convolutionMode(ConvolutionMode.Same).dataFormat(CNN2DFormat.NHWC);
                if (block == 1 && conv == 1) {
                    // VGG's inputs are in 0..255 units, a spread of about 64, not 1: He's initialization
                    // scaled to match, so a base trained from scratch starts with unit-scale activations
                    // instead of a softmax saturated at once. Imported weights replace it anyway.
                    convolution.weightInit(new NormalDistribution(0, Math.sqrt(2.0 / (3 * 3 * 3)) / INPUT_SPREAD));
                }
                layers.layer(convolution.build());
                if (name.equals(lastLayer)) {
                    return layers;
                }
            }
            layers.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("block" + block + "_pool")
                    .kernelSize(2, 2).stride(2, 2).dataFormat(CNN2DFormat.NHWC).build());
            if (lastLayer.equals("block" + block + "_pool")) {
                return layers;
            }
        }
        return layers;
    }

    private static MultiLayerConfiguration finish(NeuralNetConfiguration.ListBuilder layers, int size) {
        layers.inputPreProcessor(0, new VggInput(size, size));
        layers.setInputType(InputType.convolutionalFlat(size, size, 3));
        return layers.build();
    }

    /**
     * The network {@code conf} describes, on the suite's fast layers. They are needed, not only faster:
     * trained through DL4J's oneDNN helper, this channels-last VGG's loss jumped to about 20 within 50
     * steps in 1.0.0-M2.1, while the fast layers' gradients match DL4J's own without the helper.
     */
    public static MultiLayerNetwork network(MultiLayerConfiguration conf) {
        return FastLayers.acceleratedNetwork(conf);
    }

    /**
     * {@code net} with layers 0..{@code lastFrozen} frozen, through DL4J's TransferLearning builder
     * (the fine-tune configuration first: edits made before it are dropped, DL4J issue #8992).
     */
    public static MultiLayerNetwork frozenUpTo(MultiLayerNetwork net, int lastFrozen, double learningRate, long seed) {
        return new TransferLearning.Builder(net)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Adam(learningRate)).seed(seed)
                        .build())
                .setFeatureExtractor(lastFrozen)
                .build();
    }

    /** The index of layer {@code name} in a network built here; an unknown name is the user's error. */
    public static int indexOf(String name) {
        int index = BASE_LAYERS.indexOf(name);
        if (index < 0) {
            throw new LabsException("no layer '" + name + "' in VGG16's base; choose one of " + BASE_LAYERS);
        }
        return index;
    }
}
