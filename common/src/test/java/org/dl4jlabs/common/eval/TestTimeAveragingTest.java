package org.dl4jlabs.common.eval;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.layers.fmp.FractionalMaxPooling2D;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.util.List;

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
    void accuracyOfOnePassIsThatOfTheFirstPassAndBothCountTheSameExamples() {
        MultiLayerNetwork net = network(new FractionalMaxPooling2D.Builder().build());
        DataSet testSet = testSet(20);
        TestTimeAveraging averaging = new TestTimeAveraging(net, REPEATS);

        Nd4j.getRandom().setSeed(2);
        TestTimeAveraging.Accuracy accuracy = averaging.accuracy(testSet, 8);

        Nd4j.getRandom().setSeed(2);
        long correctFirst = 0;
        long correctAveraged = 0;
        for (int from = 0; from < 20; from += 8) {
            var batch = testSet.getRange(from, Math.min(20, from + 8));
            INDArray first = net.output(batch.getFeatures());
            INDArray sum = first.dup();
            for (int pass = 1; pass < REPEATS; pass++) {
                sum.addi(net.output(batch.getFeatures()));
            }
            correctFirst += correct(first, batch.getLabels());
            correctAveraged += correct(sum, batch.getLabels());
        }
        assertEquals(new TestTimeAveraging.Accuracy(20, correctFirst, correctAveraged, REPEATS), accuracy);
    }

    @Test
    void computationGraphsAndIteratorsGiveTheSameAsTheNetworkItWasConvertedFrom() {
        MultiLayerNetwork net = network(new FractionalMaxPooling2D.Builder().build());
        ComputationGraph graph = net.toComputationGraph();
        DataSet testSet = testSet(12);

        Nd4j.getRandom().setSeed(3);
        TestTimeAveraging.Accuracy fromNetwork = new TestTimeAveraging(net, REPEATS).accuracy(testSet, 4);
        Nd4j.getRandom().setSeed(3);
        TestTimeAveraging.Accuracy fromGraph = new TestTimeAveraging(graph, REPEATS)
                .accuracy(new ViewIterator(testSet, 4));

        assertEquals(fromNetwork, fromGraph);
    }

    @Test
    void averagingADeterministicNetworkChangesNothing() {
        MultiLayerNetwork net = network(new SubsamplingLayer.Builder(2, 2).stride(2, 2).build());
        DataSet testSet = testSet(10);

        TestTimeAveraging.Accuracy accuracy = new TestTimeAveraging(net, REPEATS).accuracy(testSet, 4);

        assertEquals(accuracy.correctOnePass(), accuracy.correctAveraged());
        assertEquals(net.output(testSet.getFeatures()), new TestTimeAveraging(net, REPEATS).apply(testSet.getFeatures()));
    }

    @Test
    void plugsIntoTheClassificationEvaluator() {
        MultiLayerNetwork net = network(new FractionalMaxPooling2D.Builder().build());
        DataSet testSet = testSet(12);
        TestTimeAveraging averaging = new TestTimeAveraging(net, REPEATS);
        ClassificationEvaluator evaluator = new ClassificationEvaluator(List.of("a", "b", "c"), 0);

        Nd4j.getRandom().setSeed(4);
        double fromEvaluator = evaluator.evaluate(averaging, testSet, 4).accuracy();
        Nd4j.getRandom().setSeed(4);
        double fromAveraging = averaging.accuracy(testSet, 4).averaged();

        assertEquals(fromAveraging, fromEvaluator, 1e-12);
    }

    @Test
    void rejectsNoPassesAndEmptyOrMismatchedTestSets() {
        MultiLayerNetwork net = network(new FractionalMaxPooling2D.Builder().build());
        assertThrows(IllegalArgumentException.class, () -> new TestTimeAveraging(net, 0));

        TestTimeAveraging averaging = new TestTimeAveraging(net, 2);
        assertThrows(LabsException.class, () -> averaging.accuracy(new ExistingDataSetIterator(List.of())));
        DataSet wrongLabels = new DataSet(testSet(4).getFeatures(), Nd4j.zeros(DataType.FLOAT, 4, CLASSES + 1));
        assertThrows(LabsException.class, () -> averaging.accuracy(wrongLabels, 4));
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

    private static long correct(INDArray predictions, INDArray labels) {
        return Nd4j.argMax(predictions, 1).eq(Nd4j.argMax(labels, 1)).castTo(DataType.INT).sumNumber().longValue();
    }
}
