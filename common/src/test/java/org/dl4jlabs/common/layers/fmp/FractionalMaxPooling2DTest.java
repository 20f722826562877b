package org.dl4jlabs.common.layers.fmp;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.dl4jlabs.common.layers.fmp.FractionalMaxPooling2D.DrawPer;
import org.dl4jlabs.common.layers.fmp.FractionalMaxPooling2D.Regions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The layer inside DL4J networks: shape inference, serialization, graphs, workspaces. */
class FractionalMaxPooling2DTest {

    private static final int CLASSES = 3;

    @Test
    void inputTypesFollowTheOutputSizeRuleInEitherLayout() {
        for (CNN2DFormat format : CNN2DFormat.values()) {
            MultiLayerConfiguration conf = config(format, WorkspaceMode.ENABLED,
                    new FractionalMaxPooling2D.Builder().build(),
                    new FractionalMaxPooling2D.Builder().outputSize(11, 9).build());
            List<InputType> types = conf.getLayerActivationTypes(InputType.convolutional(35, 34, 1, format));

            assertEquals(InputType.convolutional(35, 34, 4, format), types.get(0));
            assertEquals(InputType.convolutional(25, 24, 4, format), types.get(1));
            assertEquals(InputType.convolutional(11, 9, 4, format), types.get(2));
            assertEquals(format, ((FractionalMaxPooling2D) conf.getConf(1).getLayer()).getDataFormat());

            MultiLayerNetwork net = init(conf);
            INDArray input = Nd4j.rand(DataType.FLOAT, FmpTesting.shape(format, 2, 1, 35, 34));
            List<INDArray> activations = net.feedForward(input, false);
            assertArrayEquals(FmpTesting.shape(format, 2, 4, 25, 24), activations.get(2).shape());
            assertArrayEquals(FmpTesting.shape(format, 2, 4, 11, 9), activations.get(3).shape());
            conf.getMemoryReport(InputType.convolutional(35, 34, 1, format));
        }
    }

    @Test
    void jsonRoundTripKeepsEveryOption() {
        FractionalMaxPooling2D fmp = new FractionalMaxPooling2D.Builder()
                .name("fmp").ratio(1.25, 1.5).regions(Regions.RANDOM).overlapping(false).drawPer(DrawPer.BATCH)
                .fixedRegionsAtInference(true).build();
        MultiLayerConfiguration conf = config(CNN2DFormat.NHWC, WorkspaceMode.ENABLED, fmp,
                new FractionalMaxPooling2D.Builder().outputSize(5, 4).build());

        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(conf.toJson());

        assertEquals(conf, restored);
        FractionalMaxPooling2D restoredFmp = (FractionalMaxPooling2D) restored.getConf(1).getLayer();
        assertEquals(conf.getConf(1).getLayer(), restoredFmp);
        assertEquals("fmp", restoredFmp.getLayerName());
        assertEquals(1.25, restoredFmp.getRatioHeight());
        assertEquals(1.5, restoredFmp.getRatioWidth());
        assertEquals(Regions.RANDOM, restoredFmp.getRegions());
        assertEquals(DrawPer.BATCH, restoredFmp.getDrawPer());
        assertEquals(CNN2DFormat.NHWC, restoredFmp.getDataFormat());
        assertEquals(5, ((FractionalMaxPooling2D) restored.getConf(2).getLayer()).getOutputHeight());
        assertNotEquals(restoredFmp, new FractionalMaxPooling2D.Builder().dataFormat(CNN2DFormat.NHWC).build());
    }

    @Test
    void aComputationGraphConvertedFromTheNetworkGivesTheSameOutputs() {
        MultiLayerNetwork net = init(config(CNN2DFormat.NCHW, WorkspaceMode.ENABLED,
                new FractionalMaxPooling2D.Builder().build(), new FractionalMaxPooling2D.Builder().build()));
        ComputationGraph graph = net.toComputationGraph();
        INDArray input = Nd4j.rand(DataType.FLOAT, 4, 1, 20, 20);

        Nd4j.getRandom().setSeed(3);
        INDArray fromNetwork = net.output(input);
        Nd4j.getRandom().setSeed(3);
        INDArray fromGraph = graph.outputSingle(input);

        assertEquals(fromNetwork, fromGraph);
    }

    /**
     * NCHW only: with oneDNN helpers on (see Backend), DL4J M2.1's own NHWC convolution already
     * gives different results, then NaN, without workspaces, whatever layer follows it.
     */
    @Test
    void trainingGivesTheSameResultWithAndWithoutWorkspaces() {
        DataSet batch = randomBatch(8, CNN2DFormat.NCHW);
        double[] scores = new double[2];
        INDArray[] outputs = new INDArray[2];
        WorkspaceMode[] modes = {WorkspaceMode.ENABLED, WorkspaceMode.NONE};
        for (int m = 0; m < modes.length; m++) {
            MultiLayerNetwork net = init(config(CNN2DFormat.NCHW, modes[m],
                    new FractionalMaxPooling2D.Builder().build(), new FractionalMaxPooling2D.Builder().build()));
            Nd4j.getRandom().setSeed(9);
            for (int step = 0; step < 3; step++) {
                net.fit(batch);
            }
            scores[m] = net.score();
            outputs[m] = net.output(batch.getFeatures());
        }
        assertEquals(scores[0], scores[1]);
        assertEquals(outputs[0], outputs[1]);
    }

    @Test
    void fixedRegionsAtInferenceMakeOutputsRepeatable() {
        FractionalMaxPooling2D.Builder fixed = new FractionalMaxPooling2D.Builder().fixedRegionsAtInference(true);
        MultiLayerNetwork net = init(config(CNN2DFormat.NCHW, WorkspaceMode.ENABLED, fixed.build(), fixed.build()));
        INDArray input = Nd4j.rand(DataType.FLOAT, 4, 1, 20, 20);

        assertEquals(net.output(input), net.output(input));
        assertNotEquals(net.output(input, true), net.output(input, true));
    }

    @Test
    void refusesBackpropThatDoesNotFollowAForwardPassOfTheSameShape() {
        FractionalMaxPooling2DLayer layer = FmpTesting.standalone(new FractionalMaxPooling2D.Builder().build(),
                DataType.FLOAT);
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
        layer.setInput(Nd4j.rand(DataType.FLOAT, 2, 3, 10, 10), noWorkspaces);
        assertThrows(IllegalStateException.class,
                () -> layer.backpropGradient(Nd4j.rand(DataType.FLOAT, 2, 3, 7, 7), noWorkspaces));

        layer.activate(true, noWorkspaces);
        assertThrows(IllegalStateException.class,
                () -> layer.backpropGradient(Nd4j.rand(DataType.FLOAT, 2, 3, 6, 7), noWorkspaces));
        assertThrows(UnsupportedOperationException.class,
                () -> layer.feedForwardMaskArray(Nd4j.ones(2, 1), null, 2));
    }

    private static MultiLayerConfiguration config(CNN2DFormat format, WorkspaceMode workspaces,
            FractionalMaxPooling2D first, FractionalMaxPooling2D second) {
        return new NeuralNetConfiguration.Builder()
                .seed(42)
                .updater(new Adam(1e-2))
                .trainingWorkspaceMode(workspaces)
                .inferenceWorkspaceMode(workspaces)
                .list()
                .layer(new ConvolutionLayer.Builder(1, 1).nOut(4).activation(Activation.RELU).dataFormat(format).build())
                .layer(first)
                .layer(second)
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(CLASSES).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(20, 20, 1, format))
                .build();
    }

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static DataSet randomBatch(int examples, CNN2DFormat format) {
        Nd4j.getRandom().setSeed(1);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, examples, CLASSES);
        for (int i = 0; i < examples; i++) {
            labels.putScalar(i, i % CLASSES, 1);
        }
        return new DataSet(Nd4j.rand(DataType.FLOAT, FmpTesting.shape(format, examples, 1, 20, 20)), labels);
    }
}
