package org.dl4jlabs.common.train;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jlabs.common.backend.Backend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FastAdam must train exactly as DL4J's Adam: same parameters and updater state step after step. */
class FastAdamTest {

    @BeforeAll
    static void backend() {
        Backend.init(2);
    }

    /**
     * Batch normalization's running statistics take no Adam steps, so DL4J hands the updater
     * several separate blocks of the gradient, each a vector at an offset.
     */
    private static MultiLayerNetwork network(IUpdater updater) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(21).dataType(DataType.FLOAT).updater(updater)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new DenseLayer.Builder().nOut(5000).activation(Activation.TANH).build()) // many chunks
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(6, 6, 2))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static DataSet batch(int seed) {
        INDArray features = Nd4j.rand(DataType.FLOAT, 8, 2, 6, 6).subi(0.5);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 8, 3);
        for (int i = 0; i < 8; i++) {
            labels.putScalar(i, (i + seed) % 3, 1);
        }
        return new DataSet(features, labels);
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double scale = Math.max(1e-6, expected.amaxNumber().doubleValue());
        double difference = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(difference <= 1e-5 * scale, what + " differ by " + difference + " (largest value " + scale + ")");
    }

    private static void assertTrainsLikeAdam(IUpdater theirs, IUpdater ours) {
        MultiLayerNetwork reference = network(theirs);
        MultiLayerNetwork fast = network(ours);
        assertEquals(reference.params(), fast.params());
        for (int step = 0; step < 6; step++) {
            DataSet batch = batch(step);
            reference.fit(batch);
            fast.fit(batch);
        }
        assertClose(reference.params(), fast.params(), "parameters after six steps");
        assertClose(reference.getUpdater().getStateViewArray(), fast.getUpdater().getStateViewArray(), "Adam's moments");
    }

    @Test
    void trainsExactlyAsAdamDoes() {
        assertTrainsLikeAdam(new Adam(1e-2), new FastAdam(1e-2));
    }

    @Test
    void followsALearningRateScheduleAndOtherDecays() {
        ExponentialSchedule schedule = new ExponentialSchedule(ScheduleType.ITERATION, 1e-2, 0.7);
        Adam theirs = new Adam(schedule);
        theirs.setBeta1(0.8);
        theirs.setBeta2(0.99);
        theirs.setEpsilon(1e-6);
        FastAdam ours = new FastAdam();
        ours.setLrAndSchedule(Double.NaN, schedule);
        ours.setBeta1(0.8);
        ours.setBeta2(0.99);
        ours.setEpsilon(1e-6);
        assertTrainsLikeAdam(theirs, ours);
        FastAdam copy = ours.clone();
        assertEquals(ours, copy);
        assertInstanceOf(FastAdam.class, copy);
    }

    @Test
    void survivesJsonAndModelFilesWithItsStateAndTrainsOnFromThem(@TempDir Path dir) throws IOException {
        MultiLayerNetwork net = network(new FastAdam(5e-3));
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        assertEquals(conf, MultiLayerConfiguration.fromJson(conf.toJson()));
        net.fit(batch(1));
        File file = dir.resolve("net.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertInstanceOf(FastAdam.class, restored.getLayer(0).conf().getLayer().getUpdaterByParam("W"));
        assertEquals(net.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        DataSet next = batch(2);
        net.fit(next);
        restored.fit(next);
        assertEquals(net.params(), restored.params());
    }
}
