package org.dl4jlabs.common.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** A real network plugs in as {@code network::output}. */
class NetworkPredictorTest {

    @Test
    void evaluatesAMultiLayerNetworkInBatches() {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(1)
                .list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .build());
        network.init();
        INDArray labels = Nd4j.zeros(10, 3);
        for (int row = 0; row < 10; row++) {
            labels.putScalar(row, row % 3, 1);
        }
        DataSet testSet = new DataSet(Nd4j.rand(10, 4), labels);
        ClassificationEvaluator evaluator = new ClassificationEvaluator(List.of("a", "b", "c"), 5);

        ClassificationResult inBatches = evaluator.evaluate(network::output, testSet, 4);
        ClassificationResult fromIterator = evaluator.evaluate(network::output, new ViewIterator(testSet, 3));

        assertEquals(10, inBatches.examples());
        assertEquals(inBatches.accuracy(), fromIterator.accuracy(), 1e-12);
    }
}
