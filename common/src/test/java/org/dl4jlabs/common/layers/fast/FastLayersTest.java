package org.dl4jlabs.common.layers.fast;

import org.bytedeco.javacpp.Loader;
import org.deeplearning4j.exception.DL4JInvalidConfigException;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jlabs.common.backend.Backend;
import org.dl4jlabs.common.layers.onednn.OneDnn;
import org.dl4jlabs.common.train.FastAdam;
import org.dl4jlabs.common.train.FastAdamUpdater;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fast layers must compute what DL4J's own layers compute: each test builds one network with
 * DL4J's layer and one with ours, from the same seed (hence the same initial parameters), and
 * compares outputs, gradients and a few training steps.
 */
class FastLayersTest {

    private static final int BATCH = 6;
    /** The platforms JavaCPP's dnnl 2.5.2 preset has natives for. */
    private static final Set<String> ONE_DNN_PLATFORMS = Set.of("linux-x86_64", "macosx-x86_64", "windows-x86_64");

    @BeforeAll
    static void backend() {
        Backend.init(2);
    }

    /** One convolution under test between an input of [BATCH, channels, 9, 9] and a softmax head. */
    private static MultiLayerConfiguration convNet(Layer convolution, CNN2DFormat format, WorkspaceMode workspaces) {
        return new NeuralNetConfiguration.Builder()
                .seed(7).dataType(DataType.FLOAT).updater(new Adam(1e-2))
                .trainingWorkspaceMode(workspaces).inferenceWorkspaceMode(workspaces)
                .list()
                .layer(convolution)
                .layer(new SubsamplingLayer.Builder(2, 2).stride(1, 1).dataFormat(format).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(4).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(9, 9, 3, format))
                .build();
    }

    private static void assertConvolutionMatches(Function<ConvolutionLayer.Builder, ConvolutionLayer.Builder> options,
                                                 CNN2DFormat format) {
        assertConvolutionMatches(options, format, true);
    }

    private static void assertConvolutionMatches(Function<ConvolutionLayer.Builder, ConvolutionLayer.Builder> options,
                                                 CNN2DFormat format, boolean inputGradient) {
        for (WorkspaceMode workspaces : new WorkspaceMode[]{WorkspaceMode.ENABLED, WorkspaceMode.NONE}) {
            ConvolutionLayer theirs = options.apply(new ConvolutionLayer.Builder(3, 3)).dataFormat(format).build();
            ConvolutionLayer ours = options.apply(new FastConvolution2D.Builder(3, 3).inputGradient(inputGradient))
                    .dataFormat(format).build();
            assertInstanceOf(FastConvolution2D.class, ours);
            long[] shape = format == CNN2DFormat.NCHW ? new long[]{BATCH, 3, 9, 9} : new long[]{BATCH, 9, 9, 3};
            assertSameComputation(convNet(theirs, format, workspaces), convNet(ours, format, workspaces), shape);
        }
    }

    private static void assertSameComputation(MultiLayerConfiguration theirs, MultiLayerConfiguration ours, long[] inputShape) {
        MultiLayerNetwork reference = new MultiLayerNetwork(theirs);
        reference.init();
        MultiLayerNetwork fast = new MultiLayerNetwork(ours);
        fast.init();
        assertEquals(reference.params(), fast.params(), "same seed, same initial parameters");

        Nd4j.getRandom().setSeed(11);
        INDArray features = Nd4j.rand(DataType.FLOAT, inputShape).subi(0.5);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, inputShape[0], 4);
        for (int i = 0; i < inputShape[0]; i++) {
            labels.putScalar(i, i % 4, 1);
        }
        DataSet batch = new DataSet(features, labels);

        assertClose(reference.output(features), fast.output(features), "outputs");
        Nd4j.getRandom().setSeed(13); // the same dropout masks for both
        reference.setInput(features);
        reference.setLabels(labels);
        reference.computeGradientAndScore();
        Nd4j.getRandom().setSeed(13);
        fast.setInput(features);
        fast.setLabels(labels);
        fast.computeGradientAndScore();
        assertClose(reference.gradient().gradient(), fast.gradient().gradient(), "gradients");
        assertEquals(reference.score(), fast.score(), 1e-5);
        assertEquals(reference.score(batch), fast.score(batch), 1e-5, "the score in inference mode");

        for (int step = 0; step < 3; step++) {
            Nd4j.getRandom().setSeed(17 + step);
            reference.fit(batch);
            Nd4j.getRandom().setSeed(17 + step);
            fast.fit(batch);
        }
        assertClose(reference.params(), fast.params(), "parameters after three Adam steps");
    }

    static void assertClose(INDArray expected, INDArray actual, String what) {
        assertEquals(expected.length(), actual.length(), what);
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        double difference = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(difference <= 1e-4 * scale, what + " differ by " + difference + " (largest value " + scale + ")");
    }

    @Test
    void oneDnnLoadsOnThisPlatform() {
        assumeTrue(ONE_DNN_PLATFORMS.contains(Loader.getPlatform()),
                "JavaCPP's oneDNN (dnnl 2.5.2) has no build for " + Loader.getPlatform());
        // Were it missing, the convolution tests would compare DL4J's layer with itself.
        assertTrue(OneDnn.available(), "JavaCPP's oneDNN natives did not load");
    }

    /**
     * A stock network with one layer of each kind that {@link FastLayers#accelerate} replaces. Its first
     * convolution's activation is a leaky ReLU: with a plain ReLU, DL4J's own NHWC convolution
     * computes wrong weight gradients (infinite with workspaces on) in 1.0.0-M2.1, so there is nothing
     * to compare against; the fast layer gives the same gradients in both workspace modes.
     */
    private static MultiLayerConfiguration stockNetwork(CNN2DFormat format) {
        return new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.FLOAT).updater(new Adam(1e-2))
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).dataFormat(format).activation(Activation.LEAKYRELU)
                        .build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same).hasBias(false)
                        .dataFormat(format).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().dataFormat(format).build())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).dataFormat(format)
                        .build())
                .layer(new DenseLayer.Builder().nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(4).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(9, 9, 3, format))
                .build();
    }

    @Test
    void accelerateReplacesEachStockLayerWithItsFastTwinAndFusesTheReluAfterBatchNorm() {
        MultiLayerConfiguration stock = stockNetwork(CNN2DFormat.NHWC);
        MultiLayerConfiguration fast = FastLayers.accelerate(stock);
        assertEquals(7, stock.getConfs().size(), "the stock configuration is left as it was");
        assertInstanceOf(BatchNormalization.class, stock.getConf(2).getLayer());
        assertEquals(6, fast.getConfs().size(), "the activation layer went into the batch norm");
        assertEquals(List.of(FastConvolution2D.class, FastConvolution2D.class, FastBatchNormalization.class,
                        FastMaxPooling2D.class, FastDense.class, FastOutput.class),
                fast.getConfs().stream().map(c -> c.getLayer().getClass()).toList());
        assertEquals(false, ((FastConvolution2D) fast.getConf(0).getLayer()).hasInputGradient());
        assertEquals(true, ((FastConvolution2D) fast.getConf(1).getLayer()).hasInputGradient());
        assertTrue(((FastBatchNormalization) fast.getConf(2).getLayer()).rectifies());
        assertEquals(stock.getInputPreProcess(5), fast.getInputPreProcess(4), "preprocessors follow their layers");
        for (NeuralNetConfiguration layer : fast.getConfs()) {
            if (layer.getLayer() instanceof BaseLayer base) {
                assertInstanceOf(FastAdam.class, base.getIUpdater());
                assertEquals(1e-2, base.getIUpdater().getLearningRate(0, 0), 1e-12);
            }
        }
        assertEquals(fast, MultiLayerConfiguration.fromJson(fast.toJson()));
    }

    @Test
    void anAcceleratedNetworkComputesWhatTheStockOneComputes() {
        for (CNN2DFormat format : CNN2DFormat.values()) {
            MultiLayerConfiguration stock = stockNetwork(format);
            long[] shape = format == CNN2DFormat.NCHW ? new long[]{BATCH, 3, 9, 9} : new long[]{BATCH, 9, 9, 3};
            assertSameComputation(stock, FastLayers.accelerate(stock), shape);
        }
    }

    @Test
    void accelerateLeavesLayersItHasNoTwinForAndKindsItIsNotAskedFor() {
        MultiLayerConfiguration stock = new NeuralNetConfiguration.Builder().updater(new Adam(1e-3)).list()
                .layer(new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(1, 1).build())
                .layer(new DenseLayer.Builder().nOut(4).hasLayerNorm(true).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer(Activation.TANH))
                .layer(new OutputLayer.Builder(LossFunction.MSE).nOut(2).build())
                .setInputType(InputType.convolutional(4, 4, 2))
                .build();
        MultiLayerConfiguration fast = FastLayers.accelerate(stock, EnumSet.of(FastLayers.Kind.BATCH_NORMALIZATION));
        assertEquals(List.of(SubsamplingLayer.class, DenseLayer.class, FastBatchNormalization.class,
                        ActivationLayer.class, OutputLayer.class),
                fast.getConfs().stream().map(c -> c.getLayer().getClass()).toList());
        assertEquals(Adam.class, ((BaseLayer) fast.getConf(1).getLayer()).getIUpdater().getClass());
        assertTrue(!((FastBatchNormalization) fast.getConf(2).getLayer()).rectifies(),
                "DL4J's batch norm ignores its activation, and so does its twin when no ReLU follows");
    }

    @Test
    void theFastPathRunsWhereItShouldAndFallsBackWhenSwitchedOff() {
        assumeTrue(OneDnn.available(), "JavaCPP's oneDNN natives are not available on " + Loader.getPlatform());
        MultiLayerNetwork net = new MultiLayerNetwork(FastLayers.accelerate(stockNetwork(CNN2DFormat.NHWC)));
        net.init();
        DataSet batch = new DataSet(Nd4j.rand(DataType.FLOAT, BATCH, 9, 9, 3),
                Nd4j.eye(4).getRows(0, 1, 2, 3, 0, 1).castTo(DataType.FLOAT));
        List<Class<?>> layers = List.of(FastConvolution2DLayer.class, FastBatchNormalizationLayer.class,
                FastMaxPooling2DLayer.class, FastDenseLayer.class, FastOutputLayer.class, FastAdamUpdater.class);

        Map<Class<?>, Long> fastBefore = counts(layers, FastPath::fastPasses);
        net.fit(batch);
        for (Class<?> layer : layers) {
            assertTrue(FastPath.fastPasses(layer) > fastBefore.get(layer), layer.getSimpleName() + " took its fast path");
        }

        System.setProperty(FastLayers.DISABLE, "true");
        try {
            Map<Class<?>, Long> fastOff = counts(layers, FastPath::fastPasses);
            Map<Class<?>, Long> fallbacksOff = counts(layers, FastPath::fallbacks);
            net.fit(batch);
            for (Class<?> layer : layers) {
                assertEquals(fastOff.get(layer), FastPath.fastPasses(layer), layer.getSimpleName() + " stayed off");
                assertTrue(FastPath.fallbacks(layer) > fallbacksOff.get(layer), layer.getSimpleName() + " fell back");
            }
        } finally {
            System.clearProperty(FastLayers.DISABLE);
        }
    }

    @Test
    void inputsTheFastPathDoesNotCoverFallBackToDl4j() {
        assumeTrue(OneDnn.available(), "JavaCPP's oneDNN natives are not available on " + Loader.getPlatform());
        long softmaxFallbacks = FastPath.fallbacks(FastConvolution2DLayer.class);
        assertConvolutionMatches(b -> b.nOut(4).activation(Activation.SOFTMAX), CNN2DFormat.NCHW);
        assertTrue(FastPath.fallbacks(FastConvolution2DLayer.class) > softmaxFallbacks, "softmax is not element-wise");

        MultiLayerNetwork doubles = new MultiLayerNetwork(FastLayers.accelerate(new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(2).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(5, 5, 1)).build()));
        doubles.init();
        long fastBefore = FastPath.fastPasses(FastConvolution2DLayer.class);
        doubles.output(Nd4j.rand(DataType.DOUBLE, 2, 1, 5, 5));
        assertEquals(fastBefore, FastPath.fastPasses(FastConvolution2DLayer.class), "oneDNN is called on floats only");
    }

    private static Map<Class<?>, Long> counts(List<Class<?>> layers, ToLongFunction<Class<?>> count) {
        Map<Class<?>, Long> counts = new HashMap<>();
        layers.forEach(layer -> counts.put(layer, count.applyAsLong(layer)));
        return counts;
    }

    @Test
    void convolutionMatchesDl4jInTruncateModeWithBias() {
        assertConvolutionMatches(b -> b.nOut(5).activation(Activation.IDENTITY), CNN2DFormat.NCHW);
    }

    @Test
    void convolutionMatchesDl4jWithStridePaddingAndRelu() {
        assertConvolutionMatches(b -> b.nOut(5).stride(2, 2).padding(1, 1).activation(Activation.RELU), CNN2DFormat.NCHW);
    }

    @Test
    void convolutionMatchesDl4jInSameModeWithoutBias() {
        assertConvolutionMatches(b -> b.nOut(4).stride(2, 2).convolutionMode(ConvolutionMode.Same)
                .hasBias(false).activation(Activation.TANH), CNN2DFormat.NCHW);
    }

    @Test
    void convolutionMatchesDl4jInNhwcLayout() {
        assertConvolutionMatches(b -> b.nOut(5).activation(Activation.LEAKYRELU), CNN2DFormat.NHWC);
    }

    @Test
    void convolutionMatchesDl4jWithDilationAndDropoutInBothModes() {
        assertConvolutionMatches(b -> b.nOut(4).dilation(2, 2).dropOut(0.8).activation(Activation.RELU), CNN2DFormat.NCHW);
        assertConvolutionMatches(b -> b.nOut(4).dilation(2, 1).stride(2, 1).convolutionMode(ConvolutionMode.Same)
                .activation(Activation.ELU), CNN2DFormat.NHWC);
    }

    @Test
    void convolutionMatchesDl4jWithTheFmpNetworksLeakyRelu() {
        assertConvolutionMatches(b -> b.nOut(4).activation(new ActivationLReLU(1.0 / 3)), CNN2DFormat.NHWC);
    }

    @Test
    void aRectifiedConvolutionBackpropagatesThroughTheInputItIsGivenNotTheLastOneItSaw() {
        MultiLayerNetwork net = new MultiLayerNetwork(convNet(new FastConvolution2D.Builder(3, 3).nOut(4)
                .activation(Activation.RELU).dataFormat(CNN2DFormat.NHWC).build(), CNN2DFormat.NHWC, WorkspaceMode.NONE));
        net.init();
        net.initGradientsView();
        org.deeplearning4j.nn.api.Layer convolution = net.getLayer(0);
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
        INDArray first = Nd4j.rand(DataType.FLOAT, 2, 9, 9, 3).subi(0.5);
        INDArray gradient = Nd4j.rand(DataType.FLOAT, 2, 7, 7, 4);
        convolution.setInput(first, noWorkspaces);
        convolution.activate(true, noWorkspaces);
        INDArray expected = convolution.backpropGradient(gradient, noWorkspaces).getSecond().dup();
        convolution.setInput(Nd4j.rand(DataType.FLOAT, 2, 9, 9, 3).subi(0.5), noWorkspaces);
        convolution.activate(true, noWorkspaces); // other outputs, other units let through
        convolution.setInput(first, noWorkspaces);
        assertEquals(expected, convolution.backpropGradient(gradient, noWorkspaces).getSecond());
    }

    @Test
    void convolutionMatchesDl4jWhenItsStrideLeavesInputCellsOver() {
        // 9 cells, a 2-wide kernel, stride 2: four windows, the last cell in none.
        assertConvolutionMatches(b -> b.kernelSize(2, 2).stride(2, 2).nOut(4).activation(Activation.RELU),
                CNN2DFormat.NCHW);
    }

    @Test
    void aConvolutionComputesEveryBatchSizeItIsGivenAndComesBackToEarlierOnes() {
        // More batch sizes than the layer keeps oneDNN primitives for, then the first ones again.
        MultiLayerNetwork reference = new MultiLayerNetwork(convNet(new ConvolutionLayer.Builder(3, 3).nOut(4)
                .dataFormat(CNN2DFormat.NHWC).activation(Activation.RELU).build(), CNN2DFormat.NHWC, WorkspaceMode.ENABLED));
        reference.init();
        MultiLayerNetwork fast = new MultiLayerNetwork(convNet(new FastConvolution2D.Builder(3, 3).nOut(4)
                .dataFormat(CNN2DFormat.NHWC).activation(Activation.RELU).build(), CNN2DFormat.NHWC, WorkspaceMode.ENABLED));
        fast.init();
        for (int batch : new int[]{1, 2, 3, 4, 5, 6, 7, 1, 2}) {
            INDArray features = Nd4j.rand(DataType.FLOAT, batch, 9, 9, 3);
            assertClose(reference.output(features), fast.output(features), "outputs for a batch of " + batch);
        }
    }

    @Test
    void aFirstConvolutionWithoutInputGradientMatchesDl4jInEveryModeAndLayout() {
        assertConvolutionMatches(b -> b.nOut(5).activation(Activation.RELU), CNN2DFormat.NCHW, false);
        assertConvolutionMatches(b -> b.nOut(4).stride(2, 2).padding(1, 2).activation(Activation.TANH), CNN2DFormat.NHWC,
                false);
        assertConvolutionMatches(b -> b.nOut(3).stride(2, 2).convolutionMode(ConvolutionMode.Same).hasBias(false)
                .activation(Activation.IDENTITY), CNN2DFormat.NCHW, false);
    }

    @Test
    void aFirstConvolutionWithoutInputGradientReturnsNone() {
        MultiLayerConfiguration conf = convNet(new FastConvolution2D.Builder(3, 3).inputGradient(false).nOut(4).build(),
                CNN2DFormat.NCHW, WorkspaceMode.NONE);
        assertEquals(conf, MultiLayerConfiguration.fromJson(conf.toJson()));
        assertEquals(false, ((FastConvolution2D) MultiLayerConfiguration.fromJson(conf.toJson()).getConf(0).getLayer())
                .hasInputGradient());
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.initGradientsView();
        org.deeplearning4j.nn.api.Layer first = net.getLayer(0);
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
        first.setInput(Nd4j.rand(DataType.FLOAT, BATCH, 3, 9, 9), noWorkspaces);
        first.activate(true, noWorkspaces);
        assertNull(first.backpropGradient(Nd4j.rand(DataType.FLOAT, BATCH, 4, 7, 7), noWorkspaces).getSecond());
        System.setProperty(FastLayers.DISABLE, "true");
        try {
            first.activate(true, noWorkspaces);
            assertNull(first.backpropGradient(Nd4j.rand(DataType.FLOAT, BATCH, 4, 7, 7), noWorkspaces).getSecond(),
                    "not through DL4J's layer either");
        } finally {
            System.clearProperty(FastLayers.DISABLE);
        }
    }

    /**
     * Flat images reach the first convolution through a preprocessor, which backpropagates the
     * convolution's input gradient (it has nothing to skip it with): that convolution keeps it.
     */
    @Test
    void aFirstConvolutionAfterAPreprocessorKeepsItsInputGradient() {
        MultiLayerConfiguration stock = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.FLOAT)
                .updater(new Adam(1e-2)).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).nOut(3).activation(Activation.SIGMOID).build())
                .setInputType(InputType.convolutionalFlat(6, 6, 1))
                .build();
        MultiLayerConfiguration fast = FastLayers.accelerate(stock);
        assertTrue(((FastConvolution2D) fast.getConf(0).getLayer()).hasInputGradient());
        MultiLayerNetwork net = new MultiLayerNetwork(fast);
        net.init();
        INDArray before = net.params().dup();
        net.fit(Nd4j.rand(DataType.FLOAT, BATCH, 36), Nd4j.rand(DataType.FLOAT, BATCH, 3));
        assertTrue(net.params().sub(before).amaxNumber().doubleValue() > 0, "no update");
    }

    /** A convolution, then the pooling under test, then a softmax head, on [BATCH, 9, 9, 3] images. */
    private static MultiLayerConfiguration poolingNet(Layer pooling, CNN2DFormat format, WorkspaceMode workspaces) {
        return new NeuralNetConfiguration.Builder()
                .seed(7).dataType(DataType.FLOAT).updater(new Adam(1e-2))
                .trainingWorkspaceMode(workspaces).inferenceWorkspaceMode(workspaces)
                .list()
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(4).dataFormat(format).activation(Activation.TANH).build())
                .layer(pooling)
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(4).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(9, 9, 3, format))
                .build();
    }

    private static void assertMaxPoolingMatches(UnaryOperator<SubsamplingLayer.Builder> options, CNN2DFormat format) {
        for (WorkspaceMode workspaces : new WorkspaceMode[]{WorkspaceMode.ENABLED, WorkspaceMode.NONE}) {
            SubsamplingLayer theirs = options.apply(new SubsamplingLayer.Builder(PoolingType.MAX, new int[]{2, 2}))
                    .dataFormat(format).build();
            SubsamplingLayer ours = options.apply(new FastMaxPooling2D.Builder(2, 2)).dataFormat(format).build();
            assertInstanceOf(FastMaxPooling2D.class, ours);
            long[] shape = format == CNN2DFormat.NCHW ? new long[]{BATCH, 3, 9, 9} : new long[]{BATCH, 9, 9, 3};
            assertSameComputation(poolingNet(theirs, format, workspaces), poolingNet(ours, format, workspaces), shape);
        }
    }

    @Test
    void maxPoolingMatchesDl4jInBothLayoutsAndModes() {
        assertMaxPoolingMatches(b -> b.stride(2, 2), CNN2DFormat.NHWC);
        assertMaxPoolingMatches(b -> b.stride(2, 2).convolutionMode(ConvolutionMode.Same), CNN2DFormat.NCHW);
        assertMaxPoolingMatches(b -> b.kernelSize(3, 3).stride(2, 1).padding(1, 1), CNN2DFormat.NHWC);
    }

    @Test
    void dilatedMaxPoolingSpreadsItsWindows() {
        // DL4J's layer is no reference here: it sizes the output for the dilation, then ignores it.
        MultiLayerNetwork net = new MultiLayerNetwork(poolingNet(new FastMaxPooling2D.Builder(2, 2).stride(1, 1)
                .dilation(2, 2).build(), CNN2DFormat.NCHW, WorkspaceMode.NONE));
        net.init();
        org.deeplearning4j.nn.api.Layer pooling = net.getLayer(1);
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
        pooling.setInput(Nd4j.arange(25).castTo(DataType.FLOAT).reshape(1, 1, 5, 5), noWorkspaces);
        // The window at (0, 0) takes cells (0, 0), (0, 2), (2, 0) and (2, 2) of the 5x5 ramp.
        assertEquals(Nd4j.createFromArray(new float[]{12, 13, 14, 17, 18, 19, 22, 23, 24}).reshape(1, 1, 3, 3),
                pooling.activate(false, noWorkspaces));
    }

    @Test
    void maxPoolingFallsBackToDl4jForOtherPoolingTypes() {
        assertMaxPoolingMatches(b -> b.poolingType(PoolingType.AVG).stride(2, 2), CNN2DFormat.NHWC);
    }

    @Test
    void maxPoolingBackpropagatesThroughTheInputItIsGivenNotTheLastOneItPooled() {
        MultiLayerNetwork net = new MultiLayerNetwork(poolingNet(new FastMaxPooling2D.Builder(2, 2).stride(2, 2)
                .dataFormat(CNN2DFormat.NHWC).build(), CNN2DFormat.NHWC, WorkspaceMode.NONE));
        net.init();
        org.deeplearning4j.nn.api.Layer pooling = net.getLayer(1);
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
        INDArray first = Nd4j.rand(DataType.FLOAT, 2, 8, 8, 4);
        INDArray gradient = Nd4j.rand(DataType.FLOAT, 2, 4, 4, 4);
        pooling.setInput(first, noWorkspaces);
        pooling.activate(true, noWorkspaces);
        INDArray expected = pooling.backpropGradient(gradient, noWorkspaces).getSecond().dup();
        pooling.setInput(Nd4j.rand(DataType.FLOAT, 2, 8, 8, 4), noWorkspaces);
        pooling.activate(false, noWorkspaces); // the same geometry, other maxima
        pooling.setInput(first, noWorkspaces);
        assertEquals(expected, pooling.backpropGradient(gradient, noWorkspaces).getSecond());
    }

    @Test
    void denseMatchesDl4jWithAndWithoutWorkspaces() {
        for (WorkspaceMode workspaces : new WorkspaceMode[]{WorkspaceMode.ENABLED, WorkspaceMode.NONE}) {
            // The (leaky) ReLUs run inside oneDNN's product, the sigmoid after it.
            for (Activation activation : new Activation[]{Activation.RELU, Activation.LEAKYRELU, Activation.SIGMOID}) {
                assertSameComputation(
                        mlp(new DenseLayer.Builder().nOut(16).activation(activation).build(),
                                new DenseLayer.Builder().nOut(8).activation(activation).l2(1e-3).build(), workspaces),
                        mlp(new FastDense.Builder().nOut(16).activation(activation).build(),
                                new FastDense.Builder().nOut(8).activation(activation).l2(1e-3).build(), workspaces),
                        new long[]{BATCH, 10});
            }
        }
    }

    @Test
    void denseMatchesDl4jWithDropoutAndWithoutAnInputGradientInTheFirstLayer() {
        assertSameComputation(
                mlp(new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build(),
                        new DenseLayer.Builder().nOut(8).activation(Activation.RELU).dropOut(0.7).build(),
                        WorkspaceMode.ENABLED),
                mlp(new FastDense.Builder().nOut(16).activation(Activation.RELU).inputGradient(false).build(),
                        new FastDense.Builder().nOut(8).activation(Activation.RELU).dropOut(0.7).build(),
                        WorkspaceMode.ENABLED),
                new long[]{BATCH, 10});
    }

    @Test
    void aFirstLayerWithoutInputGradientReturnsNone() {
        MultiLayerConfiguration conf = mlp(
                new FastDense.Builder().nOut(16).activation(Activation.RELU).inputGradient(false).build(),
                new FastDense.Builder().nOut(8).activation(Activation.RELU).build(), WorkspaceMode.NONE);
        assertEquals(conf, MultiLayerConfiguration.fromJson(conf.toJson()));
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.initGradientsView();
        org.deeplearning4j.nn.api.Layer first = net.getLayer(0);
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
        first.setInput(Nd4j.rand(DataType.FLOAT, BATCH, 10), noWorkspaces);
        first.activate(true, noWorkspaces);
        INDArray epsilon = Nd4j.rand(DataType.FLOAT, BATCH, 16);
        assertNull(first.backpropGradient(epsilon, noWorkspaces).getSecond());
    }

    @Test
    void denseRecomputesThePreActivationsWhenTheInputChangedSinceTheTrainingPass() {
        MultiLayerNetwork net = new MultiLayerNetwork(mlp(
                new FastDense.Builder().nOut(16).activation(Activation.RELU).build(),
                new FastDense.Builder().nOut(8).activation(Activation.RELU).build(), WorkspaceMode.NONE));
        net.init();
        net.initGradientsView();
        org.deeplearning4j.nn.api.Layer layer = net.getLayer(0);
        INDArray first = Nd4j.rand(DataType.FLOAT, BATCH, 10).subi(0.5);
        INDArray second = Nd4j.rand(DataType.FLOAT, BATCH, 10).subi(0.5);
        INDArray epsilon = Nd4j.rand(DataType.FLOAT, BATCH, 16);
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();

        layer.setInput(second, noWorkspaces);
        INDArray fresh = layer.backpropGradient(epsilon, noWorkspaces).getFirst().gradient().dup();
        layer.setInput(first, noWorkspaces);
        layer.activate(true, noWorkspaces);
        layer.setInput(second, noWorkspaces);
        assertEquals(fresh, layer.backpropGradient(epsilon, noWorkspaces).getFirst().gradient());
    }

    /** Convolution, the batch normalization under test (with its ReLU), pooling and a softmax head. */
    private static MultiLayerConfiguration batchNormalizationNet(CNN2DFormat format, WorkspaceMode workspaces,
                                                                 Layer... normalization) {
        return batchNormalizationNet(9, format, workspaces, normalization);
    }

    private static MultiLayerConfiguration batchNormalizationNet(int side, CNN2DFormat format, WorkspaceMode workspaces,
                                                                 Layer... normalization) {
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(9).dataType(DataType.FLOAT).updater(new Adam(1e-2))
                .trainingWorkspaceMode(workspaces).inferenceWorkspaceMode(workspaces)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(5).hasBias(false).activation(Activation.IDENTITY)
                        .dataFormat(format).build());
        for (Layer layer : normalization) {
            layers.layer(layer);
        }
        return layers
                .layer(new SubsamplingLayer.Builder(2, 2).stride(1, 1).dataFormat(format).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(4).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(side, side, 3, format))
                .build();
    }

    /** Ours, with {@code relu}, against DL4J's followed by an {@code ActivationLayer} when {@code relu}. */
    private static void assertBatchNormalizationMatches(UnaryOperator<BatchNormalization.Builder> options,
                                                        boolean relu, CNN2DFormat format) {
        for (WorkspaceMode workspaces : new WorkspaceMode[]{WorkspaceMode.ENABLED, WorkspaceMode.NONE}) {
            BatchNormalization theirs = options.apply(new BatchNormalization.Builder().dataFormat(format)).build();
            BatchNormalization ours = options.apply(new FastBatchNormalization.Builder().dataFormat(format)
                    .activation(relu ? Activation.RELU : Activation.IDENTITY)).build();
            assertInstanceOf(FastBatchNormalization.class, ours);
            long[] shape = format == CNN2DFormat.NCHW ? new long[]{BATCH, 3, 9, 9} : new long[]{BATCH, 9, 9, 3};
            MultiLayerConfiguration reference = relu
                    ? batchNormalizationNet(format, workspaces, theirs, new ActivationLayer(Activation.RELU))
                    : batchNormalizationNet(format, workspaces, theirs);
            assertSameComputation(reference, batchNormalizationNet(format, workspaces, ours), shape);
        }
    }

    @Test
    void batchNormalizationMatchesDl4jOnImagesWithEitherRunningVarianceWithAndWithoutRelu() {
        for (boolean relu : new boolean[]{false, true}) {
            assertBatchNormalizationMatches(b -> b, relu, CNN2DFormat.NCHW);
            assertBatchNormalizationMatches(b -> b, relu, CNN2DFormat.NHWC);
            assertBatchNormalizationMatches(b -> b.useLogStd(false).decay(0.5).eps(1e-3), relu, CNN2DFormat.NCHW);
            assertBatchNormalizationMatches(b -> b.useLogStd(false).decay(0.5).eps(1e-3), relu, CNN2DFormat.NHWC);
        }
    }

    @Test
    void batchNormalizationMatchesDl4jOnImagesLargerThanOneTile() {
        // 38x38 maps of 5 channels: 7,220 values an example, swept as two NHWC tiles of 3,610
        for (CNN2DFormat format : CNN2DFormat.values()) {
            long[] shape = format == CNN2DFormat.NCHW ? new long[]{BATCH, 3, 40, 40} : new long[]{BATCH, 40, 40, 3};
            assertSameComputation(
                    batchNormalizationNet(40, format, WorkspaceMode.ENABLED,
                            new BatchNormalization.Builder().dataFormat(format).build(),
                            new ActivationLayer(Activation.RELU)),
                    batchNormalizationNet(40, format, WorkspaceMode.ENABLED,
                            new FastBatchNormalization.Builder().dataFormat(format).activation(Activation.RELU).build()),
                    shape);
        }
    }

    @Test
    void batchNormalizationFallsBackToDl4jForLockedGammaBetaAndDenseInput() {
        for (boolean relu : new boolean[]{false, true}) {
            assertBatchNormalizationMatches(b -> b.lockGammaBeta(true), relu, CNN2DFormat.NCHW);
        }
        assertSameComputation(
                mlp(new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build(),
                        new BatchNormalization.Builder().build(), WorkspaceMode.ENABLED),
                mlp(new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build(),
                        new FastBatchNormalization.Builder().build(), WorkspaceMode.ENABLED),
                new long[]{BATCH, 10});
    }

    @Test
    void batchNormalizationTakesTheIdentityOrAPlainReluOnly() {
        assertInstanceOf(ActivationIdentity.class, new FastBatchNormalization.Builder().build().getActivationFn());
        assertThrows(DL4JInvalidConfigException.class,
                () -> new FastBatchNormalization.Builder().activation(Activation.TANH).build());
        assertThrows(DL4JInvalidConfigException.class,
                () -> new FastBatchNormalization.Builder().activation(new ActivationReLU(6.0, 0.0, 0.0)).build());
    }

    @Test
    void batchNormalizationRecomputesItsStatisticsWhenTheInputChangedSinceTheTrainingPass() {
        MultiLayerNetwork net = new MultiLayerNetwork(batchNormalizationNet(CNN2DFormat.NCHW, WorkspaceMode.NONE,
                new FastBatchNormalization.Builder().activation(Activation.RELU).build()));
        net.init();
        net.initGradientsView();
        org.deeplearning4j.nn.api.Layer layer = net.getLayer(1);
        INDArray first = Nd4j.rand(DataType.FLOAT, BATCH, 5, 7, 7);
        INDArray second = Nd4j.rand(DataType.FLOAT, BATCH, 5, 7, 7).muli(3);
        INDArray epsilon = Nd4j.rand(DataType.FLOAT, BATCH, 5, 7, 7);
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();

        layer.setInput(second, noWorkspaces);
        INDArray fresh = layer.backpropGradient(epsilon, noWorkspaces).getSecond().dup();
        layer.setInput(first, noWorkspaces);
        layer.activate(true, noWorkspaces);
        layer.setInput(second, noWorkspaces);
        assertEquals(fresh, layer.backpropGradient(epsilon, noWorkspaces).getSecond());
    }

    private static MultiLayerConfiguration mlp(Layer first, Layer second, WorkspaceMode workspaces) {
        boolean fast = first instanceof FastDense;
        return mlp(first, second, fast
                ? new FastOutput.Builder(LossFunction.MCXENT).nOut(4).activation(Activation.SOFTMAX).build()
                : new OutputLayer.Builder(LossFunction.MCXENT).nOut(4).activation(Activation.SOFTMAX).build(), workspaces);
    }

    private static MultiLayerConfiguration mlp(Layer first, Layer second, Layer output, WorkspaceMode workspaces) {
        return new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.FLOAT).updater(new Adam(1e-2))
                .trainingWorkspaceMode(workspaces).inferenceWorkspaceMode(workspaces)
                .list()
                .layer(first)
                .layer(second)
                .layer(output)
                .setInputType(InputType.feedForward(10))
                .build();
    }

    @Test
    void outputLayerMatchesDl4jWithSquaredErrorOnASigmoid() {
        assertSameComputation(
                mlp(new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build(),
                        new DenseLayer.Builder().nOut(8).activation(Activation.RELU).build(),
                        new OutputLayer.Builder(LossFunction.MSE).nOut(4).activation(Activation.SIGMOID).build(),
                        WorkspaceMode.ENABLED),
                mlp(new FastDense.Builder().nOut(16).activation(Activation.RELU).build(),
                        new FastDense.Builder().nOut(8).activation(Activation.RELU).build(),
                        new FastOutput.Builder(LossFunction.MSE).nOut(4).activation(Activation.SIGMOID).build(),
                        WorkspaceMode.ENABLED),
                new long[]{BATCH, 10});
    }

    @Test
    void outputLayerMatchesDl4jWithSquaredErrorOnALinearOutputAndWithOtherLosses() {
        for (LossFunction loss : new LossFunction[]{LossFunction.MSE, LossFunction.L2, LossFunction.XENT}) {
            Activation activation = loss == LossFunction.MSE ? Activation.IDENTITY : Activation.SIGMOID;
            assertSameComputation(
                    mlp(new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build(),
                            new DenseLayer.Builder().nOut(8).activation(Activation.RELU).build(),
                            new OutputLayer.Builder(loss).nOut(4).activation(activation).build(), WorkspaceMode.ENABLED),
                    mlp(new FastDense.Builder().nOut(16).activation(Activation.RELU).build(),
                            new FastDense.Builder().nOut(8).activation(Activation.RELU).build(),
                            new FastOutput.Builder(loss).nOut(4).activation(activation).build(), WorkspaceMode.ENABLED),
                    new long[]{BATCH, 10});
        }
        assertTrue(SquaredErrorOnSigmoid.covers(new LossMSE(), new ActivationSigmoid(), null, DataType.FLOAT));
        assertFalse(SquaredErrorOnSigmoid.covers(new LossMSE(Nd4j.ones(DataType.FLOAT, 3)), new ActivationSigmoid(), null,
                DataType.FLOAT), "per-output weights");
        assertFalse(SquaredErrorOnSigmoid.covers(new LossMSE(), new ActivationSigmoid(), Nd4j.ones(DataType.FLOAT, 2, 3),
                DataType.FLOAT), "a mask");
        assertFalse(SquaredErrorOnSigmoid.covers(new LossMSE(), new ActivationTanH(), null, DataType.FLOAT));
        assertFalse(SquaredErrorOnSigmoid.covers(new LossMSE(), new ActivationSigmoid(), null, DataType.DOUBLE));
    }

    @Test
    void theOutputLayerReusesTheLossOfItsBackwardPassForThatBatchOnly() {
        MultiLayerNetwork net = new MultiLayerNetwork(mlp(new FastDense.Builder().nOut(16).activation(Activation.RELU).build(),
                new FastDense.Builder().nOut(8).activation(Activation.RELU).build(),
                new FastOutput.Builder(LossFunction.MSE).nOut(4).activation(Activation.SIGMOID).build(), WorkspaceMode.NONE));
        net.init();
        Nd4j.getRandom().setSeed(5);
        INDArray features = Nd4j.rand(DataType.FLOAT, BATCH, 10);
        INDArray labels = Nd4j.rand(DataType.FLOAT, BATCH, 4);
        INDArray otherLabels = Nd4j.rand(DataType.FLOAT, BATCH, 4);
        net.setInput(features);
        net.setLabels(labels);
        net.computeGradientAndScore();
        assertEquals(net.score(new DataSet(features, labels), true), net.score(), 1e-6);

        net.setInput(features);
        net.setLabels(labels);
        net.computeGradientAndScore();
        FastOutputLayer output = (FastOutputLayer) net.getOutputLayer();
        output.setLabels(otherLabels);
        double rescored = output.computeScore(0, true, LayerWorkspaceMgr.noWorkspaces());
        assertEquals(net.score(new DataSet(features, otherLabels), true), rescored, 1e-6);
        assertNotEquals(net.score(new DataSet(features, labels), true), rescored, 1e-3);
    }

    @Test
    void theFastLayersSurviveJsonAndModelFilesAndComputationGraphs(@TempDir Path dir) throws IOException {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(5).list()
                .layer(new FastConvolution2D.Builder(3, 3).nOut(4).stride(2, 2).activation(Activation.RELU).build())
                .layer(new FastBatchNormalization.Builder().activation(Activation.RELU).build())
                .layer(new FastMaxPooling2D.Builder(2, 2).build())
                .layer(new FastDense.Builder().nOut(8).activation(Activation.TANH).dropOut(0.9).build())
                .layer(new FastOutput.Builder(LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(9, 9, 1))
                .build();
        assertEquals(conf, MultiLayerConfiguration.fromJson(conf.toJson()));

        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray features = Nd4j.rand(DataType.FLOAT, 5, 81);
        File file = dir.resolve("net.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file);
        assertInstanceOf(FastConvolution2D.class, restored.getLayerWiseConfigurations().getConf(0).getLayer());
        assertInstanceOf(FastBatchNormalizationLayer.class, restored.getLayer(1));
        assertInstanceOf(FastMaxPooling2DLayer.class, restored.getLayer(2));
        assertInstanceOf(FastDenseLayer.class, restored.getLayer(3));
        assertInstanceOf(FastOutputLayer.class, restored.getLayer(4));
        assertEquals(net.output(features), restored.output(features));

        ComputationGraph graph = net.toComputationGraph();
        assertClose(net.output(features), graph.outputSingle(features), "graph outputs");
    }
}
