package org.dl4jlabs.lstm;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jlabs.common.layers.fast.FastLayers;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AcceleratedLstmTest {

    /** A tight clip makes the element-wise gradient clipping act on every step. */
    @Test
    void theAcceleratedClassifierTrainsLikeTheStockOneWithClippedGradients() {
        LstmModel.Options options = new LstmModel.Options(2, 8, false, 0, 0.01, 0.01);
        MultiLayerConfiguration conf = LstmModel.classifier(options, 1, 3, 42);
        MultiLayerNetwork stock = new MultiLayerNetwork(conf.clone());
        stock.init();
        MultiLayerNetwork fast = FastLayers.acceleratedNetwork(conf);
        fast.setParams(stock.params().dup());

        Nd4j.getRandom().setSeed(1);
        INDArray features = Nd4j.rand(DataType.FLOAT, 16, 1, 20);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 16, 3);
        for (int i = 0; i < 16; i++) {
            labels.putScalar(i, i % 3, 1);
        }
        for (int step = 0; step < 5; step++) {
            stock.fit(features, labels);
            fast.fit(features, labels);
        }
        double difference = stock.params().sub(fast.params()).norm2Number().doubleValue();
        double scale = stock.params().norm2Number().doubleValue();
        assertTrue(difference < 1e-5 * scale, "parameters differ by " + difference + " (norm " + scale + ")");
        assertEquals(stock.score(), fast.score(), 1e-5);
    }
}
