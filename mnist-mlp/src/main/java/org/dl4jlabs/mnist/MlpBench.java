package org.dl4jlabs.mnist;

import org.dl4jlabs.common.bench.Bench;
import org.dl4jlabs.common.bench.BenchModel;
import org.dl4jlabs.common.layers.fast.FastLayers;
import org.dl4jlabs.mnist.MlpModel.HiddenActivation;
import org.dl4jlabs.mnist.MlpModel.Loss;
import org.dl4jlabs.mnist.MlpModel.Optimizer;

import java.util.List;

/** The benchmark's MLP: 784-256-128-10, ReLU, Adam, batch 128, built by the app's own factory. */
public final class MlpBench implements BenchModel {

    private static final int BATCH = 128;

    @Override
    public String name() {
        return "mlp";
    }

    @Override
    public String description() {
        return "MLP 784-256-128-10, ReLU, softmax, Adam; batch " + BATCH;
    }

    @Override
    public int batchSize() {
        return BATCH;
    }

    @Override
    public Runnable prepare(long seed) {
        var options = new MlpModel.Options(List.of(256, 128), HiddenActivation.RELU, Loss.XENT, Optimizer.ADAM,
                1e-3, 1, 0, 0, 0, false);
        return Bench.trainingStep(FastLayers.acceleratedNetwork(MlpModel.configuration(options, seed)), new long[]{BATCH, MlpModel.INPUTS},
                MlpModel.CLASSES, seed);
    }
}
