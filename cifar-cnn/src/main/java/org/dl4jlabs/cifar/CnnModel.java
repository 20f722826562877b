package org.dl4jlabs.cifar;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.layers.ChannelsLastImages;
import org.dl4jlabs.common.layers.fmp.FractionalMaxPooling2D.Regions;
import org.dl4jlabs.common.layers.fmp.FractionalMaxPooling2D;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.schedule.CycleSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * The app's convolutional networks, in stock DL4J builders (plus the suite's fractional max-pooling
 * layer): a small residual network, a small plain one and Graham's; the app builds them through
 * {@code FastLayers.accelerate}.
 */
public final class CnnModel {

    /** Slope of the leaky ReLUs of the FMP networks for negative inputs. */
    static final double LEAKY_SLOPE = 1.0 / 3;

    /** Image size and number of classes of the data a network is built for. */
    public record Input(int height, int width, int channels, int classes) {
    }

    /**
     * David Page's ResNet-9 (the DAWNBench CIFAR-10 entry, "How to train your ResNet", 2018), its
     * filters {@code width}, 2, 4 and 8 times {@code width} (Page's full width is 64): SGD with
     * Nesterov momentum on a one-cycle learning rate peaking at {@code learningRate}, and weight decay.
     */
    public record Residual(int width, double learningRate, double weightDecay) {
        public Residual {
            if (width < 1) {
                throw new LabsException("--width must be 1 or more");
            }
            checkLearningRate(learningRate);
            if (!(weightDecay >= 0)) {
                throw new LabsException("--weight-decay must be 0 or more, not " + weightDecay);
            }
        }
    }

    /**
     * A small modern CNN: {@code blocks} blocks of two (3x3 convolution, batch normalization, ReLU)
     * then 2x2 max-pooling and dropout, the filters doubling from {@code width} at each block; global
     * average pooling and softmax.
     */
    public record Small(int width, int blocks, double dropout, double learningRate) {
    }

    /**
     * Graham's fractional max-pooling network, (k n C2 - FMP alpha) x L - C2 - C1 - softmax: stage n
     * of L is a 2x2 convolution with k n filters, a leaky ReLU and fractional max-pooling by alpha;
     * then a 2x2 convolution with k (L + 1) filters takes the 2x2 map to 1x1 and a 1x1 convolution
     * gives the classes. Dropout rises linearly with depth from 0 to {@code dropout} at the last hidden
     * layer. The input is zero-padded to {@code paddedSide}, or when that is 0 to the smallest size
     * that ends at 2x2 after the L stages.
     */
    public record Fmp(int stages, int filters, double alpha, int paddedSide, Regions regions, boolean overlapping,
                      double dropout, double learningRate) {

        /** Graham's MNIST network: 6 stages of 32n filters, alpha sqrt 2, 36x36 input, no dropout. */
        public static Fmp mnistPaper(Regions regions, boolean overlapping) {
            return new Fmp(6, 32, Math.sqrt(2), 36, regions, overlapping, 0, 3e-3);
        }

        /** Graham's CIFAR-100 network: 12 stages of 96n filters, alpha 2^(1/3), 94x94 input, dropout up to 0.5 (for a GPU). */
        public static Fmp cifarPaper(Regions regions, boolean overlapping) {
            return new Fmp(12, 96, Math.cbrt(2), 94, regions, overlapping, 0.5, 3e-3);
        }

        /** A CPU-sized CIFAR network: 6 stages of 16n filters, alpha sqrt 2, the smallest padding, dropout up to 0.1. */
        public static Fmp cifarCpu(Regions regions, boolean overlapping) {
            return new Fmp(6, 16, Math.sqrt(2), 0, regions, overlapping, 0.1, 3e-3);
        }
    }

    private CnnModel() {
    }

    /**
     * prep - layer1 + res1 - layer2 - layer3 + res3 - global average pooling - softmax. Each step is a 3x3
     * convolution, batch normalization and ReLU; the layers end in 2x2 max-pooling; a res block adds
     * two more steps' output to its input. {@code steps}, the training steps of the whole run, is the
     * length of the learning rate's one cycle (Smith, 2018): from a tenth of the peak up to the peak
     * over 45 % of the steps, back down over the next 45 %, a hundredfold lower over the last 10 %.
     */
    public static ComputationGraphConfiguration residual(Residual options, Input input, int steps, long seed) {
        if (Math.min(input.height(), input.width()) < 8) {
            throw new LabsException("the residual network pools three times by 2; it needs images of 8x8 or more");
        }
        int annealing = Math.max(1, steps / 10);
        CycleSchedule oneCycle = new CycleSchedule(ScheduleType.ITERATION, options.learningRate() / 10,
                options.learningRate(), Math.max(2, steps), annealing, Math.pow(0.01, 1.0 / annealing));
        ComputationGraphConfiguration.GraphBuilder graph = new NeuralNetConfiguration.Builder().seed(seed)
                .updater(new Nesterovs(oneCycle, 0.9)).weightDecay(options.weightDecay()).weightInit(WeightInit.RELU)
                .graphBuilder().addInputs("images")
                .setInputTypes(InputType.convolutionalFlat(input.height(), input.width(), input.channels()));
        int width = options.width();
        graph.addLayer("prep-conv", convolution3x3(width),
                new ChannelsLastImages(input.height(), input.width(), input.channels()), "images");
        String x = batchNormRelu(graph, "prep", "prep-conv");
        x = maxPool(graph, "layer1", step(graph, "layer1", 2 * width, x));
        x = residualBlock(graph, "res1", 2 * width, x);
        x = maxPool(graph, "layer2", step(graph, "layer2", 4 * width, x));
        x = maxPool(graph, "layer3", step(graph, "layer3", 8 * width, x));
        x = residualBlock(graph, "res3", 8 * width, x);
        graph.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), x);
        // He initialization, right for the ReLU layers, would start the softmax far from uniform:
        // Xavier's smaller weights start it near a loss of ln(classes).
        graph.addLayer("output", new OutputLayer.Builder(LossFunction.MCXENT).nOut(input.classes())
                .weightInit(WeightInit.XAVIER).activation(Activation.SOFTMAX).build(), "pool");
        return graph.setOutputs("output").build();
    }

    /** Input plus two steps of it. */
    private static String residualBlock(ComputationGraphConfiguration.GraphBuilder graph, String name, int filters,
                                        String input) {
        String twice = step(graph, name + "-b", filters, step(graph, name + "-a", filters, input));
        graph.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), input, twice);
        return name;
    }

    /** 3x3 convolution, batch normalization, ReLU; returns the ReLU's name. */
    private static String step(ComputationGraphConfiguration.GraphBuilder graph, String name, int filters,
                               String input) {
        graph.addLayer(name + "-conv", convolution3x3(filters), input);
        return batchNormRelu(graph, name, name + "-conv");
    }

    private static String batchNormRelu(ComputationGraphConfiguration.GraphBuilder graph, String name, String input) {
        graph.addLayer(name + "-bn", new BatchNormalization.Builder().dataFormat(CNN2DFormat.NHWC).build(), input);
        // DL4J's batch normalization ignores an activation given to it: the ReLU is a layer of its own.
        graph.addLayer(name + "-relu", new ActivationLayer(Activation.RELU), name + "-bn");
        return name + "-relu";
    }

    private static String maxPool(ComputationGraphConfiguration.GraphBuilder graph, String name, String input) {
        graph.addLayer(name + "-pool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                .dataFormat(CNN2DFormat.NHWC).build(), input);
        return name + "-pool";
    }

    private static ConvolutionLayer convolution3x3(int filters) {
        return new ConvolutionLayer.Builder(3, 3).nOut(filters).convolutionMode(ConvolutionMode.Same)
                .dataFormat(CNN2DFormat.NHWC).activation(Activation.IDENTITY).hasBias(false).build();
    }

    public static MultiLayerConfiguration small(Small options, Input input, long seed) {
        if (options.width() < 1 || options.blocks() < 1) {
            throw new LabsException("--width and --blocks must be 1 or more");
        }
        if (Math.min(input.height(), input.width()) >> options.blocks() < 1) {
            throw new LabsException(options.blocks() + " blocks halve a " + input.height() + "x" + input.width()
                    + " image to nothing; use at most " + (31 - Integer.numberOfLeadingZeros(Math.min(input.height(),
                    input.width()))) + " blocks");
        }
        checkDropout(options.dropout());
        NeuralNetConfiguration.ListBuilder layers = builder(options.learningRate(), WeightInit.RELU, seed).list();
        int filters = options.width();
        for (int block = 0; block < options.blocks(); block++) {
            for (int conv = 0; conv < 2; conv++) {
                layers.layer(convolution3x3(filters));
                // DL4J's batch normalization ignores an activation given to it: the ReLU is a layer of its own.
                layers.layer(new BatchNormalization.Builder().dataFormat(CNN2DFormat.NHWC).build());
                layers.layer(new ActivationLayer(Activation.RELU));
            }
            layers.layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                    .dataFormat(CNN2DFormat.NHWC).build());
            if (options.dropout() > 0) {
                // A layer of its own: DL4J's pooling layer ignores a dropout set on it. DL4J takes the
                // probability of keeping a unit.
                layers.layer(new DropoutLayer.Builder(1 - options.dropout()).build());
            }
            filters *= 2;
        }
        return withClassifierHead(layers, input);
    }

    public static MultiLayerConfiguration fmp(Fmp options, Input input, long seed) {
        if (options.stages() < 1 || options.filters() < 1) {
            throw new LabsException("--fmp-stages and --fmp-filters must be 1 or more");
        }
        if (!(options.alpha() > 1 && options.alpha() <= 2)) {
            throw new LabsException("--fmp-alpha is a pooling ratio in (1, 2], not " + options.alpha());
        }
        checkDropout(options.dropout());
        int side = options.paddedSide() == 0
                ? paddedSize(options.stages(), options.alpha(), Math.max(input.height(), input.width()))
                : checkedSide(options, input);
        // He initialization suits ReLU layers with batch normalization after them, not this deep stack
        // without it: its first outputs are so large that training stalls. Xavier's smaller weights train.
        NeuralNetConfiguration.ListBuilder layers = builder(options.learningRate(), WeightInit.XAVIER, seed).list();
        int padTop = (side - input.height()) / 2;
        int padLeft = (side - input.width()) / 2;
        boolean padded = side > input.height() || side > input.width();
        if (padded) {
            layers.layer(new ZeroPaddingLayer.Builder(padTop, side - input.height() - padTop, padLeft,
                    side - input.width() - padLeft).build());
        }
        for (int stage = 1; stage <= options.stages(); stage++) {
            layers.layer(fmpConvolution(2, options.filters() * stage, dropoutAt(options, stage)));
            layers.layer(new FractionalMaxPooling2D.Builder().ratio(options.alpha()).regions(options.regions())
                    .overlapping(options.overlapping()).build());
        }
        layers.layer(fmpConvolution(2, options.filters() * (options.stages() + 1), options.dropout()));
        // C1, a 1x1 convolution on the 1x1 map, is a dense layer on its values: flatten, then softmax output.
        return withClassifierHead(layers, input);
    }

    /**
     * The smallest side, at least {@code inputSide}, that L stages of (2x2 convolution, FMP by alpha)
     * bring to exactly 2, the size C2 needs. Graham's MNIST network: 6 stages, sqrt 2: 36.
     */
    static int paddedSize(int stages, double alpha, int inputSide) {
        for (int side = Math.max(inputSide, 3); side <= inputSide + 4 * stages + 64; side++) {
            if (sizeAfterStages(side, stages, alpha) == 2) {
                return side;
            }
        }
        throw new LabsException(stages + " stages of FMP by " + alpha + " cannot bring a " + inputSide + "-pixel side"
                + " down to 2x2; use more stages (--fmp-stages) or a larger --fmp-alpha");
    }

    private static int checkedSide(Fmp options, Input input) {
        int side = options.paddedSide();
        if (side < Math.max(input.height(), input.width())) {
            throw new LabsException("--fmp-input " + side + " is smaller than the " + input.height() + "x"
                    + input.width() + " images; it must be at least their size.");
        }
        int after = sizeAfterStages(side, options.stages(), options.alpha());
        if (after != 2) {
            throw new LabsException("--fmp-input " + side + " ends at " + after + "x" + after + " after "
                    + options.stages() + " stages, not at the 2x2 the last convolution needs; "
                    + paddedSize(options.stages(), options.alpha(), Math.max(input.height(), input.width()))
                    + " would do (or leave --fmp-input at 0).");
        }
        return side;
    }

    static int sizeAfterStages(int side, int stages, double alpha) {
        int size = side;
        for (int stage = 0; stage < stages && size >= 2; stage++) {
            size = (int) Math.max(1, Math.round((size - 1) / alpha));
        }
        return size;
    }

    /** Dropout of stage n of L: rising linearly, reaching {@code dropout} at C2 (stage L + 1). */
    static double dropoutAt(Fmp options, int stage) {
        return options.dropout() * stage / (options.stages() + 1);
    }

    /**
     * Average over the map, then softmax over the classes. The input is a flat row of pixels, turned
     * into NHWC images: both networks compute in NHWC, the layout oneDNN's convolutions work in, so
     * that no layer reorders its data (padding, pooling and the global average take the layout from
     * the input type).
     */
    private static MultiLayerConfiguration withClassifierHead(NeuralNetConfiguration.ListBuilder layers, Input input) {
        layers.layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build());
        layers.layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(input.classes())
                .activation(Activation.SOFTMAX).build());
        layers.inputPreProcessor(0, new ChannelsLastImages(input.height(), input.width(), input.channels()));
        layers.setInputType(InputType.convolutionalFlat(input.height(), input.width(), input.channels()));
        return layers.build();
    }

    private static ConvolutionLayer fmpConvolution(int kernel, int filters, double dropout) {
        ConvolutionLayer.Builder conv = new ConvolutionLayer.Builder(kernel, kernel).nOut(filters).dataFormat(CNN2DFormat.NHWC).activation(new ActivationLReLU(LEAKY_SLOPE));
        if (dropout > 0) {
            conv.dropOut(1 - dropout);
        }
        return conv.build();
    }

    private static NeuralNetConfiguration.Builder builder(double learningRate, WeightInit init, long seed) {
        checkLearningRate(learningRate);
        return new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(learningRate)).weightInit(init);
    }

    private static void checkLearningRate(double learningRate) {
        if (!(learningRate > 0)) {
            throw new LabsException("--lr must be greater than 0, not " + learningRate);
        }
    }

    private static void checkDropout(double dropout) {
        if (!(dropout >= 0 && dropout < 1)) {
            throw new LabsException("dropout is a probability in [0, 1), not " + dropout);
        }
    }
}
