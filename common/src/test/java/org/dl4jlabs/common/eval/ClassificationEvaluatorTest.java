package org.dl4jlabs.common.eval;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.eval.ClassificationResult.ClassMetrics;
import org.dl4jlabs.common.eval.ClassificationResult.Misclassified;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassificationEvaluatorTest {

    private static final double EPS = 1e-9;

    /**
     * The "features" are the probabilities themselves and the predictor is the identity, so each
     * test spells out exactly what the model predicted. Class "bird" is never predicted.
     */
    private static final double[][] PROBABILITIES = {
            {0.80, 0.10, 0.10}, // cat  -> cat
            {0.30, 0.60, 0.10}, // cat  -> dog  (0.6)
            {0.20, 0.70, 0.10}, // dog  -> dog
            {0.10, 0.80, 0.10}, // dog  -> dog
            {0.90, 0.05, 0.05}, // bird -> cat  (0.9)
            {0.20, 0.50, 0.30}, // bird -> dog  (0.5)
    };
    private static final int[] TRUE_CLASSES = {0, 0, 1, 1, 2, 2};
    private static final List<String> NAMES = List.of("cat", "dog", "bird");
    private static final Function<INDArray, INDArray> IDENTITY = features -> features;

    @Test
    void metricsMatchHandComputedValuesWhenAClassIsNeverPredicted() {
        ClassificationResult result = new ClassificationEvaluator(NAMES, 10)
                .evaluate(IDENTITY, dataSet(PROBABILITIES, TRUE_CLASSES, 3), 4);

        assertArrayEquals(new int[][] {{1, 1, 0}, {0, 2, 0}, {1, 1, 0}}, result.confusionMatrix());
        assertEquals(6, result.examples());
        assertEquals(0.5, result.accuracy(), EPS);

        assertClass(result.perClass().get(0), "cat", 1 / 2.0, 1 / 2.0, 1 / 2.0, 2);
        assertClass(result.perClass().get(1), "dog", 2 / 4.0, 2 / 2.0, 2 / 3.0, 2);
        assertClass(result.perClass().get(2), "bird", 0, 0, 0, 2);

        // Plain means over all three classes, the never-predicted one included.
        assertEquals((0.5 + 0.5 + 0) / 3, result.precision(), EPS);
        assertEquals((0.5 + 1 + 0) / 3, result.recall(), EPS);
        assertEquals((0.5 + 2 / 3.0 + 0) / 3, result.f1(), EPS);
        assertTrue(result.top5Accuracy().isEmpty(), "top-5 is meaningless with 3 classes");
    }

    @Test
    void keepsTheMostConfidentMistakesFirstWithTestSetIndices() {
        ClassificationResult result = new ClassificationEvaluator(NAMES, 2)
                .evaluate(IDENTITY, dataSet(PROBABILITIES, TRUE_CLASSES, 3), 4);

        assertEquals(List.of(new Misclassified(4, 2, 0, 0.9), new Misclassified(1, 0, 1, 0.6)),
                rounded(result.misclassified()));
    }

    @Test
    void iteratorGivesTheSameResultAsBatchesOfADataSet() {
        DataSet data = dataSet(PROBABILITIES, TRUE_CLASSES, 3);
        ClassificationEvaluator evaluator = new ClassificationEvaluator(NAMES, 10);

        ClassificationResult fromDataSet = evaluator.evaluate(IDENTITY, data, 4);
        ClassificationResult fromIterator = evaluator.evaluate(IDENTITY, new ViewIterator(data, 4));

        assertArrayEquals(fromDataSet.confusionMatrix(), fromIterator.confusionMatrix());
        assertEquals(rounded(fromDataSet.misclassified()), rounded(fromIterator.misclassified()));
        assertEquals(3, fromIterator.misclassified().size());
    }

    @Test
    void top5CountsTheTrueClassAmongTheFiveMostProbable() {
        double[][] probabilities = {
                {0.40, 0.10, 0.09, 0.08, 0.07, 0.06, 0.05}, // true 0 ranked 1st: correct
                {0.30, 0.25, 0.15, 0.08, 0.12, 0.04, 0.06}, // true 3 ranked 5th: top-5 hit
                {0.30, 0.25, 0.15, 0.12, 0.10, 0.05, 0.03}, // true 6 ranked 7th: miss
        };
        List<String> names = List.of("a", "b", "c", "d", "e", "f", "g");

        ClassificationResult result = new ClassificationEvaluator(names, 10)
                .evaluate(IDENTITY, dataSet(probabilities, new int[] {0, 3, 6}, 7), 2);

        assertEquals(1 / 3.0, result.accuracy(), EPS);
        assertEquals(2 / 3.0, result.top5Accuracy().orElseThrow(), EPS);
    }

    @Test
    void confusionAndTop5MatchDl4jsEvaluationWithTiedProbabilities() {
        int classes = 12;
        List<String> names = java.util.stream.IntStream.range(0, classes).mapToObj(i -> "class " + i).toList();
        Nd4j.getRandom().setSeed(4);
        // Probabilities in steps of 0.1, so that many rows tie, for the prediction and for the top 5.
        INDArray probabilities = Nd4j.rand(DataType.FLOAT, 500, classes).muli(10).castTo(DataType.INT)
                .castTo(DataType.FLOAT).divi(10);
        java.util.Random random = new java.util.Random(4);
        int[] trueClasses = random.ints(500, 0, classes).toArray();
        DataSet data = dataSet(probabilities.toDoubleMatrix(), trueClasses, classes);

        ClassificationResult ours = new ClassificationEvaluator(names, 10).evaluate(IDENTITY, data, 64);
        Evaluation theirs = new Evaluation(names, 5);
        theirs.eval(data.getLabels(), data.getFeatures());

        for (int actual = 0; actual < classes; actual++) {
            for (int predicted = 0; predicted < classes; predicted++) {
                assertEquals(theirs.getConfusionMatrix().getCount(actual, predicted),
                        ours.confusionMatrix()[actual][predicted], actual + " predicted as " + predicted);
            }
        }
        assertEquals(theirs.accuracy(), ours.accuracy(), EPS);
        assertEquals(theirs.topNAccuracy(), ours.top5Accuracy().orElseThrow(), EPS);
    }

    @Test
    void rejectsModelOutputOfTheWrongWidth() {
        Function<INDArray, INDArray> twoClassModel = features -> Nd4j.ones(features.rows(), 2);

        LabsException error = assertThrows(LabsException.class, () -> new ClassificationEvaluator(NAMES, 10)
                .evaluate(twoClassModel, dataSet(PROBABILITIES, TRUE_CLASSES, 3), 4));
        assertTrue(error.getMessage().contains("3 class probabilities"), error.getMessage());
    }

    @Test
    void rejectsNanPredictionsWithAHint() {
        Function<INDArray, INDArray> divergedModel = features -> Nd4j.valueArrayOf(features.shape(), Double.NaN);

        LabsException error = assertThrows(LabsException.class, () -> new ClassificationEvaluator(NAMES, 10)
                .evaluate(divergedModel, dataSet(PROBABILITIES, TRUE_CLASSES, 3), 4));
        assertTrue(error.getMessage().contains("learning rate"), error.getMessage());
    }

    private static DataSet dataSet(double[][] probabilities, int[] trueClasses, int classes) {
        INDArray labels = Nd4j.zeros(trueClasses.length, classes);
        for (int row = 0; row < trueClasses.length; row++) {
            labels.putScalar(row, trueClasses[row], 1.0);
        }
        return new DataSet(Nd4j.create(probabilities), labels);
    }

    private static void assertClass(ClassMetrics actual, String name, double precision, double recall, double f1,
                                    int support) {
        assertEquals(name, actual.name());
        assertEquals(precision, actual.precision(), EPS, name + " precision");
        assertEquals(recall, actual.recall(), EPS, name + " recall");
        assertEquals(f1, actual.f1(), EPS, name + " F1");
        assertEquals(support, actual.support(), name + " support");
    }

    /** Confidences pass through float32 arrays; round them so records compare equal. */
    private static List<Misclassified> rounded(List<Misclassified> mistakes) {
        return mistakes.stream()
                .map(m -> new Misclassified(m.index(), m.trueClass(), m.predictedClass(),
                        Math.round(m.confidence() * 1e6) / 1e6))
                .toList();
    }

    /** A real network plugs in as {@code network::output}. */
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
