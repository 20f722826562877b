package org.dl4jlabs.common.layers.fmp;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jlabs.common.backend.Backend;
import org.dl4jlabs.common.data.ImageClassData;
import org.dl4jlabs.common.data.mnist.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A small FMP network learns the suite's generated digits, and survives a save and reload. */
class FractionalMaxPoolingTrainingTest {

    private static final int EPOCHS = 4;
    private static final int BATCH = 32;

    @BeforeAll
    static void likeTheApps() {
        // oneDNN convolutions, as the apps run them: several times faster than DL4J's built-in ones.
        Backend.init(0);
    }

    @Test
    void learnsGeneratedDigitsAndReloadsToTheSameOutputs(@TempDir Path directory) throws IOException {
        ImageClassData digits = TestData.smallDigits(directory.resolve("digits"));
        MultiLayerNetwork net = network(digits.numClasses());

        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            DataSet train = digits.train().copy();
            train.shuffle(epoch);
            List<DataSet> batches = train.batchBy(BATCH);
            batches.forEach(net::fit);
        }

        Evaluation evaluation = net.evaluate(new ViewIterator(digits.test(), 100));
        double chance = 1.0 / digits.numClasses();
        assertTrue(evaluation.accuracy() > 5 * chance, "test accuracy " + evaluation.accuracy());

        File saved = directory.resolve("fmp.zip").toFile();
        ModelSerializer.writeModel(net, saved, false);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(saved, false);
        INDArray features = digits.test().getFeatures();
        Nd4j.getRandom().setSeed(77);
        INDArray original = net.output(features);
        Nd4j.getRandom().setSeed(77);
        assertEquals(original, restored.output(features));
        // Inference draws fresh regions, so without the seed the outputs differ.
        assertNotEquals(original, restored.output(features));
    }

    /** Graham's pattern at small scale: convolutions that widen as FMP layers shrink the map by sqrt 2. */
    private static MultiLayerNetwork network(int classes) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(42)
                .updater(new Adam(2e-3))
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(16).activation(Activation.RELU).build())
                .layer(new FractionalMaxPooling2D.Builder().build())
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(32).activation(Activation.RELU).build())
                .layer(new FractionalMaxPooling2D.Builder().build())
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(48).activation(Activation.RELU).build())
                .layer(new FractionalMaxPooling2D.Builder().build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(classes).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build());
        net.init();
        return net;
    }
}
