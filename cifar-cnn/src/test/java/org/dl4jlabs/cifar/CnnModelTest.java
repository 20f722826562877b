package org.dl4jlabs.cifar;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.layers.fast.FastBatchNormalizationLayer;
import org.dl4jlabs.common.layers.fast.FastLayers;
import org.dl4jlabs.common.layers.fmp.FractionalMaxPooling2D.Regions;
import org.dl4jlabs.common.layers.fmp.FractionalMaxPooling2D;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CnnModelTest {

    @Test
    void grahamsGeometryEndsAt2x2() {
        assertEquals(2, CnnModel.sizeAfterStages(36, 6, Math.sqrt(2)));  // the MNIST network
        assertEquals(2, CnnModel.sizeAfterStages(94, 12, Math.cbrt(2))); // the CIFAR-100 network
        assertEquals(32, CnnModel.paddedSize(6, Math.sqrt(2), 32));
        assertThrows(LabsException.class, () -> CnnModel.paddedSize(2, Math.sqrt(2), 32));
    }

    @Test
    void dropoutRisesLinearlyWithDepth() {
        CnnModel.Fmp fmp = new CnnModel.Fmp(4, 8, Math.sqrt(2), 0, Regions.RANDOM, true, 0.5, 1e-3);
        assertEquals(0.1, CnnModel.dropoutAt(fmp, 1), 1e-12);
        assertEquals(0.4, CnnModel.dropoutAt(fmp, 4), 1e-12);
    }

    @Test
    void theMnistPaperNetworkHasSixFmpStagesAndKnFilters() {
        MultiLayerNetwork net = FastLayers.acceleratedNetwork(CnnModel.fmp(CnnModel.Fmp.mnistPaper(Regions.PSEUDO_RANDOM, true),
                new CnnModel.Input(28, 28, 1, 10), 1));
        long fmpLayers = java.util.Arrays.stream(net.getLayerWiseConfigurations().getConfs().toArray())
                .filter(c -> ((org.deeplearning4j.nn.conf.NeuralNetConfiguration) c).getLayer()
                        instanceof FractionalMaxPooling2D).count();
        assertEquals(6, fmpLayers);
        assertArrayEquals(new long[]{2, 10}, net.output(Nd4j.rand(2, 784)).shape());
        assertEquals(32 * 6, net.getLayer(11).getParam("W").size(0)); // conv of stage 6: 32 x 6 filters
    }

    @Test
    void theResidualNetworkIsStockDl4jAndAddsEachResBlocksInputToItsOutput() {
        ComputationGraphConfiguration conf = CnnModel.residual(new CnnModel.Residual(4, 0.2, 5e-4),
                new CnnModel.Input(32, 32, 3, 10), 100, 1);
        for (String block : List.of("res1", "res3")) {
            assertInstanceOf(ElementWiseVertex.class, conf.getVertices().get(block));
            assertEquals(List.of(block.equals("res1") ? "layer1-pool" : "layer3-pool", block + "-b-relu"),
                    conf.getVertexInputs().get(block), block + " adds its input to its two steps' output");
        }
        assertTrue(conf.getVertices().values().stream().filter(LayerVertex.class::isInstance)
                .map(vertex -> ((LayerVertex) vertex).getLayerConf().getLayer().getClass())
                .noneMatch(type -> type.getPackageName().startsWith("org.dl4jlabs")), "stock DL4J layers only");
        assertInstanceOf(ActivationLayer.class, ((LayerVertex) conf.getVertices().get("res3-a-relu")).getLayerConf().getLayer());

        ComputationGraph net = FastLayers.acceleratedGraph(conf);
        INDArray probabilities = net.outputSingle(Nd4j.rand(DataType.FLOAT, 3, 3072));
        assertArrayEquals(new long[]{3, 10}, probabilities.shape());
        assertEquals(3, probabilities.sumNumber().doubleValue(), 1e-4);
        assertEquals(32, net.getLayer("res3-a-conv").getParam("W").size(0), "8 times the width at res3");
        assertThrows(LabsException.class, () -> CnnModel.residual(new CnnModel.Residual(4, 0.2, 5e-4),
                new CnnModel.Input(6, 6, 3, 10), 100, 1));
    }

    @Test
    void theResidualNetworksLearningRateRisesToItsPeakAndFallsOverOneCycle() {
        ComputationGraphConfiguration conf = CnnModel.residual(new CnnModel.Residual(4, 0.2, 5e-4),
                new CnnModel.Input(32, 32, 3, 10), 1000, 1);
        IUpdater updater = ((BaseLayer) ((LayerVertex) conf.getVertices().get("layer2-conv")).getLayerConf()
                .getLayer()).getIUpdater();
        assertInstanceOf(Nesterovs.class, updater);
        assertEquals(0.02, updater.getLearningRate(0, 0), 1e-9, "a tenth of the peak at the start");
        assertEquals(0.2, updater.getLearningRate(450, 0), 1e-9, "the peak at 45 %");
        assertEquals(0.02, updater.getLearningRate(900, 0), 1e-9, "back down at 90 %");
        assertEquals(0.0002, updater.getLearningRate(999, 0), 2e-5, "a hundredfold lower at the end");
    }

    @Test
    void theSmallNetworkClassifiesCifarShapedInput() {
        MultiLayerNetwork net = FastLayers.acceleratedNetwork(CnnModel.small(new CnnModel.Small(4, 3, 0.1, 1e-3),
                new CnnModel.Input(32, 32, 3, 100), 1));
        assertArrayEquals(new long[]{3, 100}, net.output(Nd4j.rand(3, 3072)).shape());
        assertThrows(LabsException.class, () -> CnnModel.small(new CnnModel.Small(4, 6, 0, 1e-3),
                new CnnModel.Input(32, 32, 3, 10), 1));
    }

    @Test
    void everyBlockOfTheSmallNetworkPoolsRectifiedNormalizedFeatures() {
        MultiLayerNetwork net = FastLayers.acceleratedNetwork(CnnModel.small(new CnnModel.Small(4, 2, 0, 1e-3),
                new CnnModel.Input(16, 16, 3, 10), 1));
        INDArray features = Nd4j.rand(DataType.FLOAT, 4, 3 * 16 * 16).subi(0.5);
        List<INDArray> activations = net.feedForward(features, true);
        int pools = 0;
        for (int i = 0; i < net.getnLayers(); i++) {
            if (net.getLayer(i) instanceof SubsamplingLayer) {
                pools++;
                INDArray pooledInput = activations.get(i); // activations[0] is the input, [i] feeds layer i
                assertTrue(pooledInput.minNumber().doubleValue() >= 0, "a ReLU before pooling layer " + i);
                assertTrue(pooledInput.maxNumber().doubleValue() > 0);
                assertInstanceOf(FastBatchNormalizationLayer.class, net.getLayer(i - 1));
            }
        }
        assertEquals(2, pools);
    }

    @Test
    void theSmallNetworkIsStockDl4jWithItsReluVisible() {
        MultiLayerConfiguration conf = CnnModel.small(new CnnModel.Small(4, 2, 0, 1e-3),
                new CnnModel.Input(16, 16, 3, 10), 1);
        List<Class<?>> layers = conf.getConfs().stream().<Class<?>>map(c -> c.getLayer().getClass()).toList();
        assertEquals(List.of(ConvolutionLayer.class, BatchNormalization.class, ActivationLayer.class,
                ConvolutionLayer.class, BatchNormalization.class, ActivationLayer.class,
                org.deeplearning4j.nn.conf.layers.SubsamplingLayer.class), layers.subList(0, 7));
        assertTrue(layers.stream().noneMatch(type -> type.getPackageName().startsWith("org.dl4jlabs")),
                "no suite layer in the small network: " + layers);
    }

    @Test
    void theSmallNetworkDropsUnitsAfterEachBlockWhenTrainingOnly() {
        // DL4J's pooling layer ignores a dropout set on it; a dropout layer after it applies.
        INDArray features = Nd4j.rand(DataType.FLOAT, 4, 3 * 16 * 16).subi(0.5);
        MultiLayerNetwork dropping = FastLayers.acceleratedNetwork(CnnModel.small(new CnnModel.Small(4, 2, 0.5, 1e-3),
                new CnnModel.Input(16, 16, 3, 10), 1));
        assertNotEquals(dropping.feedForward(features, true).get(dropping.getnLayers()),
                dropping.feedForward(features, true).get(dropping.getnLayers()), "two training passes, two masks");
        assertEquals(dropping.output(features), dropping.output(features), "no dropout at inference");
        MultiLayerNetwork keeping = FastLayers.acceleratedNetwork(CnnModel.small(new CnnModel.Small(4, 2, 0, 1e-3),
                new CnnModel.Input(16, 16, 3, 10), 1));
        assertEquals(keeping.feedForward(features, true).get(keeping.getnLayers()),
                keeping.feedForward(features, true).get(keeping.getnLayers()));
    }
}
