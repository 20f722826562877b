package org.dl4jlabs.common.layers.fast;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.dl4jlabs.common.backend.Backend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.util.List;
import java.util.Map;

import static org.dl4jlabs.common.layers.fast.FastLayersTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A graph accelerated by {@link FastLayers#accelerate(ComputationGraphConfiguration)} computes what
 * the stock graph computes, through a residual addition whose input also feeds a convolution, so
 * that a fused batch normalization receives the sum of two gradients.
 */
class FastGraphTest {

    private static final int BATCH = 6;

    @BeforeAll
    static void backend() {
        Backend.init(2);
    }

    /** conv-BN-ReLU, then a residual block of conv-BN-ReLU added to it, max-pooling, softmax. */
    private static ComputationGraphConfiguration residualGraph() {
        return new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.FLOAT)
                .updater(new Nesterovs(0.05, 0.9)).weightDecay(5e-3)
                .graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(8, 8, 3, CNN2DFormat.NHWC))
                .addLayer("c1", conv(), "in")
                .addLayer("b1", new BatchNormalization.Builder().dataFormat(CNN2DFormat.NHWC).build(), "c1")
                .addLayer("r1", new ActivationLayer(Activation.RELU), "b1")
                .addLayer("c2", conv(), "r1")
                .addLayer("b2", new BatchNormalization.Builder().dataFormat(CNN2DFormat.NHWC).build(), "c2")
                .addLayer("r2", new ActivationLayer(Activation.RELU), "b2")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "r1", "r2")
                .addLayer("pool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .dataFormat(CNN2DFormat.NHWC).build(), "add")
                .addLayer("global", new GlobalPoolingLayer.Builder(PoolingType.MAX).build(), "pool")
                .addLayer("out", new OutputLayer.Builder(LossFunction.MCXENT).nOut(4).activation(Activation.SOFTMAX)
                        .build(), "global")
                .setOutputs("out").build();
    }

    private static ConvolutionLayer conv() {
        return new ConvolutionLayer.Builder(3, 3).nOut(5).convolutionMode(ConvolutionMode.Same)
                .dataFormat(CNN2DFormat.NHWC).hasBias(false).activation(Activation.IDENTITY).build();
    }

    @Test
    void accelerateReplacesTheGraphsLayersAndFusesEachReluIntoItsBatchNorm() {
        ComputationGraphConfiguration stock = residualGraph();
        ComputationGraphConfiguration fast = FastLayers.accelerate(stock);
        assertTrue(stock.getVertices().containsKey("r1"), "the stock configuration is left as it was");
        assertFalse(fast.getVertices().containsKey("r1"));
        assertFalse(fast.getVertices().containsKey("r2"));
        assertEquals(List.of("b1"), fast.getVertexInputs().get("c2"), "what read the ReLU reads the batch norm");
        assertEquals(List.of("b1", "b2"), fast.getVertexInputs().get("add"));
        assertTrue(((FastBatchNormalization) layer(fast, "b1")).rectifies());
        assertFalse(((FastConvolution2D) layer(fast, "c1")).hasInputGradient(), "c1 reads the network's input");
        assertTrue(((FastConvolution2D) layer(fast, "c2")).hasInputGradient());
        assertInstanceOf(FastMaxPooling2D.class, layer(fast, "pool"));
        assertInstanceOf(FastOutput.class, layer(fast, "out"));
        assertEquals(((BaseLayer) layer(stock, "c2")).getRegularization(), ((BaseLayer) layer(fast, "c2")).getRegularization(),
                "the weight decay comes along");
        assertEquals(fast, ComputationGraphConfiguration.fromJson(fast.toJson()));
    }

    @Test
    void anAcceleratedGraphComputesWhatTheStockOneComputes() {
        ComputationGraph reference = new ComputationGraph(residualGraph());
        reference.init();
        ComputationGraph fast = FastLayers.acceleratedGraph(residualGraph());
        for (String name : List.of("c1", "b1", "c2", "b2", "out")) {
            assertEquals(reference.getLayer(name).params(), fast.getLayer(name).params(), "same seed: " + name);
        }
        Nd4j.getRandom().setSeed(11);
        INDArray features = Nd4j.rand(DataType.FLOAT, BATCH, 8, 8, 3).subi(0.5);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, BATCH, 4);
        for (int i = 0; i < BATCH; i++) {
            labels.putScalar(i, i % 4, 1);
        }
        assertClose(reference.outputSingle(features), fast.outputSingle(features), "outputs");

        reference.setInputs(features);
        reference.setLabels(labels);
        reference.computeGradientAndScore();
        fast.setInputs(features);
        fast.setLabels(labels);
        fast.computeGradientAndScore();
        assertEquals(reference.score(), fast.score(), 1e-5);
        Map<String, INDArray> expected = reference.gradient().gradientForVariable();
        Map<String, INDArray> actual = fast.gradient().gradientForVariable();
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((variable, gradient) -> assertClose(gradient, actual.get(variable), "gradient " + variable));

        DataSet batch = new DataSet(features, labels);
        for (int step = 0; step < 3; step++) {
            reference.fit(batch);
            fast.fit(batch);
        }
        for (String name : List.of("c1", "b1", "c2", "b2", "out")) {
            assertClose(reference.getLayer(name).params(), fast.getLayer(name).params(),
                    name + " after three steps with weight decay");
        }
    }

    private static Layer layer(ComputationGraphConfiguration conf, String name) {
        return ((LayerVertex) conf.getVertices().get(name)).getLayerConf().getLayer();
    }
}
