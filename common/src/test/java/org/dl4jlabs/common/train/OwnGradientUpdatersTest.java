package org.dl4jlabs.common.train;

import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OwnGradientUpdatersTest {

    private static final DataSet DATA = TinyNets.twoClasses(64, 3);

    /** Adam with L1 and L2 penalties (applied before the update), or L1 and weight decay (after it). */
    private static NeuralNetConfiguration.Builder settings(boolean weightDecay) {
        NeuralNetConfiguration.Builder settings = new NeuralNetConfiguration.Builder().seed(11).updater(new Adam(0.01)).l1(1e-3);
        return weightDecay ? settings.weightDecay(1e-2) : settings.l2(1e-3);
    }

    private static MultiLayerNetwork stack() {
        MultiLayerNetwork net = new MultiLayerNetwork(settings(false).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(16).nOut(2).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    private static ComputationGraph graph() {
        ComputationGraph graph = new ComputationGraph(settings(true).graphBuilder()
                .addInputs("in")
                .addLayer("a", new DenseLayer.Builder().nIn(4).nOut(16).activation(Activation.RELU).build(), "in")
                .addLayer("b", new DenseLayer.Builder().nIn(4).nOut(16).activation(Activation.TANH).build(), "in")
                .addVertex("sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), "a", "b")
                .addLayer("out", new OutputLayer.Builder(LossFunction.MCXENT).nIn(16).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "sum")
                .setOutputs("out")
                .build());
        graph.init();
        return graph;
    }

    @Test
    void aStackTrainsToTheSameParametersAsWithDl4jsOwnUpdater() {
        MultiLayerNetwork stock = stack();
        MultiLayerNetwork own = stack();
        for (int step = 0; step < 5; step++) {
            stock.fit(DATA);
            own.fit(DATA);
        }
        // Installed part-way, it carries on from the Adam moments the network has.
        OwnGradientUpdaters.install(own);
        assertInstanceOf(OwnGradientUpdaters.MultiLayer.class, own.getUpdater());
        for (int step = 0; step < 5; step++) {
            stock.fit(DATA);
            own.fit(DATA);
        }
        assertNotEquals(stack().params(), own.params());
        assertEquals(stock.params(), own.params());
        assertEquals(stock.getUpdater().getStateViewArray(), own.getUpdater().getStateViewArray());
    }

    @Test
    void aGraphTrainsToTheSameParametersAsWithDl4jsOwnUpdater() {
        ComputationGraph stock = graph();
        ComputationGraph own = graph();
        OwnGradientUpdaters.install(own);
        assertInstanceOf(OwnGradientUpdaters.Graph.class, own.getUpdater());
        for (int step = 0; step < 8; step++) {
            stock.fit(DATA);
            own.fit(DATA);
        }
        assertNotEquals(graph().params(), own.params());
        assertEquals(stock.params(), own.params());
    }

    /** FastAdam alone, or with an L2 penalty (added to the gradient before the update) or gradient clipping. */
    private static MultiLayerNetwork fastAdamStack(boolean l2, GradientNormalization normalization) {
        NeuralNetConfiguration.Builder settings = new NeuralNetConfiguration.Builder().seed(11).updater(new FastAdam(0.01))
                .weightDecay(1e-2).gradientNormalization(normalization).gradientNormalizationThreshold(0.5);
        MultiLayerNetwork net = new MultiLayerNetwork((l2 ? settings.l2(1e-3) : settings).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(16).nOut(2).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    @Test
    void fastAdamAveragesTheGradientInItsOwnPassWithDl4jsResultsToTheBit() {
        // 37 examples: a division that rounds, unlike one by a power of two.
        DataSet odd = TinyNets.twoClasses(37, 5);
        MultiLayerNetwork stock = fastAdamStack(false, GradientNormalization.None);
        MultiLayerNetwork own = fastAdamStack(false, GradientNormalization.None);
        OwnGradientUpdaters.install(own);
        OwnGradientUpdaters.MultiLayer updater = (OwnGradientUpdaters.MultiLayer) own.getUpdater();
        assertTrue(OwnGradientUpdaters.averagesInAdam(updater.getUpdaterBlocks(), own.getLayers()));
        for (int step = 0; step < 6; step++) {
            stock.fit(step % 2 == 0 ? odd : DATA);
            own.fit(step % 2 == 0 ? odd : DATA);
        }
        assertNotEquals(fastAdamStack(false, GradientNormalization.None).params(), own.params());
        // Exact floats: INDArray.equals allows a small difference.
        assertArrayEquals(stock.params().data().asFloat(), own.params().data().asFloat());
        assertArrayEquals(stock.getUpdater().getStateViewArray().data().asFloat(),
                own.getUpdater().getStateViewArray().data().asFloat());
    }

    @Test
    void dl4jDividesWhenSomethingComesBetweenTheDivisionAndTheUpdate() {
        for (MultiLayerNetwork net : new MultiLayerNetwork[]{fastAdamStack(true, GradientNormalization.None),
                fastAdamStack(false, GradientNormalization.ClipElementWiseAbsoluteValue), stack()}) {
            MultiLayerNetwork stock = net.clone();
            OwnGradientUpdaters.install(net);
            assertFalse(OwnGradientUpdaters.averagesInAdam(((MultiLayerUpdater) net.getUpdater()).getUpdaterBlocks(),
                    net.getLayers()));
            for (int step = 0; step < 3; step++) {
                stock.fit(DATA);
                net.fit(DATA);
            }
            assertEquals(stock.params(), net.params());
        }
    }

    @Test
    void theNetworksOwnGradientIsHandedOverAsTheViewDl4jComparesWith() {
        MultiLayerNetwork net = stack();
        net.setInput(DATA.getFeatures());
        net.setLabels(DATA.getLabels());
        net.computeGradientAndScore();
        INDArray view = net.getFlattenedGradients();
        Gradient gradient = net.gradient();
        assertNotEquals(System.identityHashCode(view), System.identityHashCode(gradient.gradient()),
                "DL4J hands out a new view each call; if it stops doing so, this class can go");

        Gradient own = OwnGradientUpdaters.asOwn(gradient, view);
        assertSame(view, own.gradient());
        assertEquals(gradient.gradientForVariable().keySet(), own.gradientForVariable().keySet());
        assertSame(gradient.getGradientFor("0_W"), own.getGradientFor("0_W"));

        Gradient external = new DefaultGradient(view.dup());
        assertSame(external, OwnGradientUpdaters.asOwn(external, view));
    }

    @Test
    void aGraphsOwnGradientIsHandedOverAsItsView() {
        ComputationGraph graph = graph();
        graph.setInputs(DATA.getFeatures());
        graph.setLabels(DATA.getLabels());
        graph.computeGradientAndScore();
        INDArray view = graph.getFlattenedGradients();
        assertSame(view, OwnGradientUpdaters.asOwn(graph.gradient(), view).gradient());
    }
}
