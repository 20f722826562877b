package org.dl4jlabs.common.train;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.dl4jlabs.common.workflow.ImageClassifierCommands;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkTest {

    private static ComputationGraph graph(double weightDecay) {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(3)
                .updater(new Sgd(0.1)).weightDecay(weightDecay).graphBuilder().addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunction.MCXENT).nIn(8).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("out").build());
        graph.init();
        return graph;
    }

    @Test
    void aGraphsLossIsDl4jsScoreWithoutTheWeightPenaltyInEveryBatchSize() {
        DataSet data = TinyNets.twoClasses(2000, 5);
        ComputationGraph plain = graph(0);
        assertEquals(plain.score(data, false), Network.of(plain).loss(data), 1e-5,
                "2,000 examples are scored in batches; the mean is the whole set's");

        ComputationGraph decayed = graph(0.5);
        double penalized = decayed.score(data, false);
        double loss = Network.of(decayed).loss(data);
        assertTrue(penalized > loss + 1e-3, "DL4J's score adds the weight penalty: " + penalized + " vs " + loss);
        assertEquals(plain.score(data, false), loss, 1e-5, "same seed, same weights, same data loss");
    }

    @Test
    void aStackOfLayersReportsItsDataLossWithoutTheWeightPenaltyToo() {
        DataSet data = TinyNets.twoClasses(300, 5);
        MultiLayerNetwork penalized = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .updater(new Sgd(0.1)).l2(0.5).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(4)).build());
        penalized.init();
        Network net = Network.of(penalized);
        double loss = net.loss(data);
        assertTrue(penalized.score(data, false) > loss + 1e-3);
        net.fit(data);
        assertTrue(net.lastLoss() < penalized.score() - 1e-3, "the training loss leaves the penalty out too");
        assertTrue(net.lastLoss() > 0.3 && net.lastLoss() < 1.5, "a cross-entropy of two classes: " + net.lastLoss());
    }

    @Test
    void aGraphsCrossEntropyStaysFiniteWhenItIsSureAndWrong() {
        ComputationGraph graph = graph(0);
        graph.getLayer("out").setParam("W", graph.getLayer("out").getParam("W").mul(1e4));
        DataSet data = TinyNets.twoClasses(200, 5);
        double loss = Network.of(graph).loss(data);
        assertTrue(Double.isFinite(loss), "loss " + loss);
        assertEquals(graph.score(data, false), loss, 1e-3 * loss, "clipped as DL4J's softmax score clips");
    }

    /** An epoch's test score: loss and accuracy from one forward pass, as DL4J scores and counts them. */
    @Test
    void theTestScoreFromOnePassIsDl4jsLossAndAccuracy() {
        DataSet data = TinyNets.twoClasses(700, 9);
        MultiLayerNetwork stack = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5)
                .updater(new Sgd(0.1)).l2(0.1).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(4)).build());
        stack.init();
        Network net = Network.of(stack);
        net.fit(data);
        Trainer.EpochScore score = ImageClassifierCommands.testScore(data, List.of("a", "b")).score(net);
        assertEquals(net.loss(data), score.loss(), 1e-5);
        Evaluation evaluation = new Evaluation();
        evaluation.eval(data.getLabels(), stack.output(data.getFeatures(), false));
        assertEquals(evaluation.accuracy(), score.accuracy(), 1e-9);
        assertTrue(score.accuracy() > 0.5 && score.accuracy() < 1, "a partly trained network: " + score.accuracy());
    }
}
