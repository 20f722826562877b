package org.dl4jlabs.common.layers.fmp;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jlabs.common.layers.fmp.FractionalMaxPooling2D.DrawPer;
import org.dl4jlabs.common.layers.fmp.FractionalMaxPooling2D.Regions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DL4J's numerical gradient checks through FMP layers, in double precision. The random generator
 * is reseeded before every forward pass, so that all passes of one check pool over the same
 * regions. The FMP layer has no parameters; the checked ones are those of a convolution before it,
 * whose gradients reach it only through the FMP layer's backprop.
 */
class FractionalMaxPoolingGradientCheckTest {

    private static final long SEED = 12345;
    private static final int CHANNELS = 2;
    private static final int CLASSES = 2;

    private static DataType defaultType;
    private static DataType defaultFloatingType;

    @BeforeAll
    static void doublePrecision() {
        defaultType = Nd4j.dataType();
        defaultFloatingType = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restorePrecision() {
        Nd4j.setDefaultDataTypes(defaultType, defaultFloatingType);
    }

    static Stream<Arguments> variants() {
        List<Arguments> variants = new ArrayList<>();
        for (Regions regions : Regions.values()) {
            for (boolean overlapping : new boolean[] {false, true}) {
                for (DrawPer drawPer : DrawPer.values()) {
                    for (CNN2DFormat format : CNN2DFormat.values()) {
                        // Odd and even sizes, of different height and width.
                        variants.add(Arguments.of(regions, overlapping, drawPer, format, 3, 7, 9));
                        variants.add(Arguments.of(regions, overlapping, drawPer, format, 3, 8, 6));
                    }
                }
                for (CNN2DFormat format : CNN2DFormat.values()) {
                    variants.add(Arguments.of(regions, overlapping, DrawPer.EXAMPLE, format, 1, 7, 8));
                }
            }
        }
        return variants.stream();
    }

    @ParameterizedTest(name = "{0}, overlapping={1}, per {2}, {3}, batch {4}, {5}x{6}")
    @MethodSource("variants")
    void gradientsMatchFiniteDifferences(Regions regions, boolean overlapping, DrawPer drawPer, CNN2DFormat format,
            int batch, int height, int width) {
        FractionalMaxPooling2D fmp = new FractionalMaxPooling2D.Builder()
                .regions(regions).overlapping(overlapping).drawPer(drawPer).build();
        MultiLayerNetwork net = network(fmp, format, height, width);
        INDArray input = Nd4j.rand(DataType.DOUBLE, FmpTesting.shape(format, batch, CHANNELS, height, width));

        boolean passed = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig()
                .net(net).input(input).labels(labels(batch))
                .callEachIter(n -> Nd4j.getRandom().setSeed(SEED)));

        assertTrue(passed, "gradient check failed for " + fmp);
    }

    @Test
    void gradientsMatchFiniteDifferencesInAComputationGraph() {
        FractionalMaxPooling2D fmp = new FractionalMaxPooling2D.Builder().regions(Regions.RANDOM).build();
        ComputationGraph graph = network(fmp, CNN2DFormat.NCHW, 9, 8).toComputationGraph();
        INDArray input = Nd4j.rand(DataType.DOUBLE, 3, CHANNELS, 9, 8);

        boolean passed = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(graph).inputs(new INDArray[] {input}).labels(new INDArray[] {labels(3)})
                .callEachIter(g -> Nd4j.getRandom().setSeed(SEED)));

        assertTrue(passed, "gradient check failed for " + fmp + " in a ComputationGraph");
    }

    /** A 1x1 convolution with a smooth activation, the FMP layer, and a softmax output. */
    private static MultiLayerNetwork network(FractionalMaxPooling2D fmp, CNN2DFormat format, int height, int width) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE)
                .seed(SEED)
                .updater(new NoOp())
                .weightInit(new NormalDistribution(0, 1))
                .list()
                .layer(new ConvolutionLayer.Builder(1, 1).nOut(3).activation(Activation.TANH).dataFormat(format).build())
                .layer(fmp)
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(CLASSES).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(height, width, CHANNELS, format))
                .build());
        net.init();
        return net;
    }

    private static INDArray labels(int batch) {
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, batch, CLASSES);
        for (int i = 0; i < batch; i++) {
            labels.putScalar(i, i % CLASSES, 1);
        }
        return labels;
    }
}
