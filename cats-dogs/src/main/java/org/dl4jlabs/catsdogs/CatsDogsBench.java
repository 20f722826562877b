package org.dl4jlabs.catsdogs;

import org.dl4jlabs.common.bench.Bench;
import org.dl4jlabs.common.bench.BenchModel;
import org.dl4jlabs.common.layers.fast.FastLayers;

/** {@code cats-dogs}: one training step of the app's default network, built by its own factory. */
public final class CatsDogsBench implements BenchModel {

    private static final int SIZE = 150;
    private static final long[] BATCH_SHAPE = {32, 3L * SIZE * SIZE};

    @Override
    public String name() {
        return "cats-dogs";
    }

    @Override
    public String description() {
        return "Keras CNN conv 32-64-128-128 (3x3, ReLU, same) + 2x2 maxpool each, dropout 0.5, dense 512-128, "
                + "softmax 2, Adam; 150x150x3, batch " + BATCH_SHAPE[0];
    }

    @Override
    public int batchSize() {
        return (int) BATCH_SHAPE[0];
    }

    @Override
    public Runnable prepare(long seed) {
        var options = new CatsDogsModel.Options(CatsDogsModel.Architecture.KERAS, SIZE, 0.5, 5e-4);
        return Bench.trainingStep(FastLayers.acceleratedNetwork(CatsDogsModel.configuration(options, 2, seed)),
                BATCH_SHAPE, 2, seed);
    }
}
