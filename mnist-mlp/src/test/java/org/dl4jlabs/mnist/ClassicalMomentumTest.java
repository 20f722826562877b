package org.dl4jlabs.mnist;

import org.dl4jlabs.common.layers.fast.FastLayers;
import org.dl4jlabs.common.train.ModelInfo;
import org.dl4jlabs.common.train.ModelStore;
import org.dl4jlabs.common.train.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;

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
                MlpModel.Optimizer.MOMENTUM, 0.05, 0, 0, 0, true);
        Network net = Network.of(FastLayers.acceleratedNetwork(MlpModel.configuration(options, 3)));
        Path file = dir.resolve("model.zip");
        ModelStore.save(net, new ModelInfo("mnist-mlp", "none", List.of(), new long[]{1, 28, 28}, Map.of()), null, file);

        Network loaded = ModelStore.load(file, "mnist-mlp").network();
        INDArray probe = Nd4j.rand(DataType.FLOAT, 2, MlpModel.INPUTS);
        assertEquals(net.output(probe), loaded.output(probe));
    }
}
