package org.dl4jlabs.cifar;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
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
    void theStandardNetworkClassifiesCifarShapedInput() {
        MultiLayerNetwork net = FastLayers.acceleratedNetwork(CnnModel.standard(new CnnModel.Standard(4, 3, 0.1, 1e-3),
                new CnnModel.Input(32, 32, 3, 100), 1));
        assertArrayEquals(new long[]{3, 100}, net.output(Nd4j.rand(3, 3072)).shape());
        assertThrows(LabsException.class, () -> CnnModel.standard(new CnnModel.Standard(4, 6, 0, 1e-3),
                new CnnModel.Input(32, 32, 3, 10), 1));
    }

    @Test
    void everyBlockOfTheStandardNetworkPoolsRectifiedNormalizedFeatures() {
        MultiLayerNetwork net = FastLayers.acceleratedNetwork(CnnModel.standard(new CnnModel.Standard(4, 2, 0, 1e-3),
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
    void theStandardNetworkIsStockDl4jWithItsReluVisible() {
        MultiLayerConfiguration conf = CnnModel.standard(new CnnModel.Standard(4, 2, 0, 1e-3),
                new CnnModel.Input(16, 16, 3, 10), 1);
        List<Class<?>> layers = conf.getConfs().stream().<Class<?>>map(c -> c.getLayer().getClass()).toList();
        assertEquals(List.of(ConvolutionLayer.class, BatchNormalization.class, ActivationLayer.class,
                ConvolutionLayer.class, BatchNormalization.class, ActivationLayer.class,
                org.deeplearning4j.nn.conf.layers.SubsamplingLayer.class), layers.subList(0, 7));
        assertTrue(layers.stream().noneMatch(type -> type.getPackageName().startsWith("org.dl4jlabs")),
                "no suite layer in the standard network: " + layers);
    }

    @Test
    void theStandardNetworkDropsUnitsAfterEachBlockWhenTrainingOnly() {
        // DL4J's pooling layer ignores a dropout set on it; a dropout layer after it applies.
        INDArray features = Nd4j.rand(DataType.FLOAT, 4, 3 * 16 * 16).subi(0.5);
        MultiLayerNetwork dropping = FastLayers.acceleratedNetwork(CnnModel.standard(new CnnModel.Standard(4, 2, 0.5, 1e-3),
                new CnnModel.Input(16, 16, 3, 10), 1));
        assertNotEquals(dropping.feedForward(features, true).get(dropping.getnLayers()),
                dropping.feedForward(features, true).get(dropping.getnLayers()), "two training passes, two masks");
        assertEquals(dropping.output(features), dropping.output(features), "no dropout at inference");
        MultiLayerNetwork keeping = FastLayers.acceleratedNetwork(CnnModel.standard(new CnnModel.Standard(4, 2, 0, 1e-3),
                new CnnModel.Input(16, 16, 3, 10), 1));
        assertEquals(keeping.feedForward(features, true).get(keeping.getnLayers()),
                keeping.feedForward(features, true).get(keeping.getnLayers()));
    }
}
