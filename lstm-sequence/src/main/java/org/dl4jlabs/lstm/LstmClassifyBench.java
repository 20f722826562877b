package org.dl4jlabs.lstm;

import org.dl4jlabs.common.bench.Bench;
import org.dl4jlabs.common.bench.BenchModel;
import org.dl4jlabs.common.layers.fast.FastLayers;

/** The benchmark's sequence classifier: 2 stacked LSTM layers of 64 units on 60-step univariate series. */
public final class LstmClassifyBench implements BenchModel {

    private static final int BATCH = 64;
    private static final int STEPS = 60;

    @Override
    public String name() {
        return "lstm-classify";
    }

    @Override
    public String description() {
        return "2x LSTM 64 on 60 steps x 1 feature, last step, softmax 6, Adam; batch " + BATCH;
    }

    @Override
    public int batchSize() {
        return BATCH;
    }

    @Override
    public Runnable prepare(long seed) {
        int classes = ControlChart.values().length;
        return Bench.trainingStep(
                FastLayers.acceleratedNetwork(LstmModel.classifier(LstmModel.Options.BENCH, 1, classes, seed)),
                new long[]{BATCH, 1, STEPS}, classes, seed);
    }
}
