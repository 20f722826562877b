package org.dl4jlabs.common.train;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jlabs.common.LabsException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LearningRateDecayTest {

    @Test
    void everyLayerIncludingBothDirectionsOfABidirectionalOneDecaysByTheFactorPerEpoch() {
        MultiLayerConfiguration conf = LearningRateDecay.apply(new NeuralNetConfiguration.Builder()
                .updater(new Adam(0.01))
                .list()
                .layer(new Bidirectional(new LSTM.Builder().nIn(1).nOut(4).build()))
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(8).nOut(3).activation(Activation.SOFTMAX).build())
                .build(), 0.5, 20);

        Bidirectional bidirectional = (Bidirectional) conf.getConf(0).getLayer();
        for (IUpdater updater : new IUpdater[]{((BaseLayer) bidirectional.getFwd()).getIUpdater(),
                ((BaseLayer) bidirectional.getBwd()).getIUpdater(), ((BaseLayer) conf.getConf(1).getLayer()).getIUpdater()}) {
            assertEquals(0.01, updater.getLearningRate(0, 0), 1e-12);
            assertEquals(0.005, updater.getLearningRate(20, 0), 1e-12);
            assertEquals(0.0025, updater.getLearningRate(40, 3), 1e-12);
        }
    }

    @Test
    void theScheduleSurvivesTheNetworksOwnCopiesAndTraining() {
        MultiLayerNetwork net = new MultiLayerNetwork(LearningRateDecay.apply(new NeuralNetConfiguration.Builder()
                .updater(new Adam(0.01)).list()
                .layer(new DenseLayer.Builder().nIn(2).nOut(2).build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).nIn(2).nOut(1).activation(Activation.IDENTITY).build())
                .build(), 0.1, 5));
        net.init();
        IUpdater updater = ((BaseLayer) net.getLayer(0).conf().getLayer()).getIUpdater();
        assertEquals(0.001, updater.getLearningRate(5, 0), 1e-12);
    }

    @Test
    void aFactorOfOneChangesNothingAndAdaGradKeepsItsOwnSteps() {
        MultiLayerConfiguration conf = LearningRateDecay.apply(new NeuralNetConfiguration.Builder()
                .updater(new AdaGrad(0.1)).list()
                .layer(new OutputLayer.Builder(LossFunction.MSE).nIn(2).nOut(1).activation(Activation.IDENTITY).build())
                .build(), 0.5, 10);
        assertEquals(0.1, ((BaseLayer) conf.getConf(0).getLayer()).getIUpdater().getLearningRate(100, 0), 1e-12);

        MultiLayerConfiguration constant = new NeuralNetConfiguration.Builder().updater(new Adam(0.1)).list()
                .layer(new OutputLayer.Builder(LossFunction.MSE).nIn(2).nOut(1).activation(Activation.IDENTITY).build()).build();
        assertEquals(constant.toJson(), LearningRateDecay.apply(constant.clone(), 1, 10).toJson());
    }

    @Test
    void aFactorOutsideZeroToOneIsABadOption() {
        for (double factor : new double[]{0, -0.5, 1.5, Double.NaN}) {
            String message = assertThrows(LabsException.class, () -> LearningRateDecay.check(factor)).getMessage();
            assertTrue(message.startsWith("--lr-decay is a factor in (0, 1], not "), message);
        }
    }
}
