package org.dl4jlabs.mnist;

import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jlabs.common.layers.fast.FastLayers;
import org.dl4jlabs.common.train.LearningRateDecay;
import org.dl4jlabs.common.train.ModelInfo;
import org.dl4jlabs.common.train.ModelStore;
import org.dl4jlabs.common.train.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ClassicalMomentumTest {

    @TempDir
    Path dir;

    @Test
    void stepsFollowTheHeavyBallRule() {
        ClassicalMomentum config = new ClassicalMomentum(0.1, 0.5);
        INDArray state = Nd4j.zeros(DataType.DOUBLE, 1, 2);
        GradientUpdater<?> updater = config.instantiate(state, true);

        INDArray g1 = Nd4j.createFromArray(new double[][]{{1, -2}});
        updater.applyUpdater(g1, 0, 0);
        // v1 = 0.5 * 0 + 0.1 * g1
        assertArrayEquals(new double[]{0.1, -0.2}, g1.toDoubleVector(), 1e-12);

        INDArray g2 = Nd4j.createFromArray(new double[][]{{1, 0}});
        updater.applyUpdater(g2, 1, 0);
        // v2 = 0.5 * v1 + 0.1 * g2
        assertArrayEquals(new double[]{0.15, -0.1}, g2.toDoubleVector(), 1e-12);
    }

    @Test
    void networkWithMomentumSavesAndReloads() {
        var options = new MlpModel.Options(List.of(8), MlpModel.HiddenActivation.TANH, MlpModel.Loss.MSE,
                MlpModel.Optimizer.MOMENTUM, 0.05, 0.5, 0, 0, 0, true);
        Network net = Network.of(FastLayers.acceleratedNetwork(LearningRateDecay.apply(MlpModel.configuration(options, 3), 0.5, 10)));
        Path file = dir.resolve("model.zip");
        ModelStore.save(net, new ModelInfo("mnist-mlp", "none", List.of(), new long[]{1, 28, 28}, Map.of()), null, file);

        Network loaded = ModelStore.load(file, "mnist-mlp").network();
        INDArray probe = Nd4j.rand(DataType.FLOAT, 2, MlpModel.INPUTS);
        assertEquals(net.output(probe), loaded.output(probe));
        IUpdater updater = ((BaseLayer) ((MultiLayerNetwork) loaded.model()).getLayer(0).conf().getLayer()).getIUpdater();
        assertEquals(0.05, updater.getLearningRate(0, 0), 1e-12);
        assertEquals(0.025, updater.getLearningRate(10, 0), 1e-12, "halved over an epoch of 10 steps, after reloading");
    }

    @Test
    void theLearningRateDecaysByTheFactorOverEachEpochForEveryOptimizerWithALearningRate() {
        for (MlpModel.Optimizer optimizer : MlpModel.Optimizer.values()) {
            if (optimizer == MlpModel.Optimizer.ADADELTA || optimizer == MlpModel.Optimizer.ADAGRAD) {
                continue; // they adapt their own steps
            }
            var options = new MlpModel.Options(List.of(8), MlpModel.HiddenActivation.RELU, MlpModel.Loss.XENT,
                    optimizer, 0.01, 0.8, 0, 0, 0, false);
            IUpdater updater = ((BaseLayer) LearningRateDecay.apply(MlpModel.configuration(options, 3), 0.8, 50).getConf(0).getLayer()).getIUpdater();
            assertEquals(0.01, updater.getLearningRate(0, 0), 1e-12, optimizer.name());
            assertEquals(0.008, updater.getLearningRate(50, 0), 1e-9, optimizer.name());
            assertEquals(0.0064, updater.getLearningRate(100, 0), 1e-9, optimizer.name());
        }
    }
}
