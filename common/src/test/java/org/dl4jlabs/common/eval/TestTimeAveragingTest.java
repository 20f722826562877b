package org.dl4jlabs.common.eval;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jlabs.common.layers.fmp.FractionalMaxPooling2D;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TestTimeAveragingTest {

    private static final int CLASSES = 3;
    private static final int REPEATS = 5;

    @Test
    void averagesTheGivenNumberOfFreshPasses() {
        MultiLayerNetwork net = network(new FractionalMaxPooling2D.Builder().build());
        INDArray features = Nd4j.rand(DataType.FLOAT, 6, 1, 12, 12);

        Nd4j.getRandom().setSeed(1);
        INDArray sum = Nd4j.zeros(DataType.FLOAT, 6, CLASSES);
        for (int pass = 0; pass < REPEATS; pass++) {
            sum.addi(net.output(features));
        }
        Nd4j.getRandom().setSeed(1);
        INDArray averaged = new TestTimeAveraging(net, REPEATS).apply(features);

        assertEquals(sum.divi(REPEATS), averaged);
        assertNotEquals(net.output(features), averaged);
    }

    @Test
    void aComputationGraphAveragesLikeTheNetworkItWasConvertedFrom() {
        MultiLayerNetwork net = network(new FractionalMaxPooling2D.Builder().build());
        ComputationGraph graph = net.toComputationGraph();
        INDArray features = testSet(12).getFeatures();

        Nd4j.getRandom().setSeed(3);
        INDArray fromNetwork = new TestTimeAveraging(net, REPEATS).apply(features);
        Nd4j.getRandom().setSeed(3);
        INDArray fromGraph = new TestTimeAveraging(graph, REPEATS).apply(features);

        assertEquals(fromNetwork, fromGraph);
    }

    @Test
    void averagingADeterministicNetworkChangesNothing() {
        MultiLayerNetwork net = network(new SubsamplingLayer.Builder(2, 2).stride(2, 2).build());
        DataSet testSet = testSet(10);

        assertEquals(net.output(testSet.getFeatures()), new TestTimeAveraging(net, REPEATS).apply(testSet.getFeatures()));
    }

    @Test
    void rejectsNoPasses() {
        MultiLayerNetwork net = network(new FractionalMaxPooling2D.Builder().build());
        assertThrows(IllegalArgumentException.class, () -> new TestTimeAveraging(net, 0));

    }

    private static MultiLayerNetwork network(Layer pooling) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(42)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build())
                .layer(pooling)
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(CLASSES).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(12, 12, 1))
                .build());
        net.init();
        return net;
    }

    private static DataSet testSet(int examples) {
        Nd4j.getRandom().setSeed(examples);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, examples, CLASSES);
        for (int i = 0; i < examples; i++) {
            labels.putScalar(i, i % CLASSES, 1);
        }
        return new DataSet(Nd4j.rand(DataType.FLOAT, examples, 1, 12, 12), labels);
    }
}
