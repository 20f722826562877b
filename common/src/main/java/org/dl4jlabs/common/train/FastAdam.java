package org.dl4jlabs.common.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

import java.util.Map;

/**
 * DL4J's {@link Adam} (same hyper-parameters, state and formulas), updating faster on a CPU.
 *
 * <pre>{@code
 * new NeuralNetConfiguration.Builder().updater(new FastAdam(1e-3))
 * }</pre>
 *
 * <p>DL4J's Adam runs libnd4j's {@code adam_updater} op, which took a quarter of the MNIST MLP's
 * training step; the same formulas in a plain Java loop over cache-sized chunks, which the JIT
 * compiles to vector instructions, take a fraction of that (figures in docs/PERFORMANCE.md). See
 * {@link FastAdamUpdater}. {@code FastLayers.accelerate} puts it in place of DL4J's {@code Adam}.
 */
public class FastAdam extends Adam {

    public FastAdam() {
    }

    public FastAdam(double learningRate) {
        super(learningRate);
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        // DL4J's updater splits the state view into its M and V halves; ours takes them over.
        return instantiate(((AdamUpdater) super.instantiate(viewArray, initializeViewArray)).getState(), false);
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        FastAdamUpdater updater = new FastAdamUpdater(this);
        updater.setState(updaterState, initializeStateArrays);
        return updater;
    }

    @Override
    public FastAdam clone() {
        FastAdam copy = new FastAdam();
        copy.setLrAndSchedule(getLearningRate(), getLearningRateSchedule());
        copy.setBeta1(getBeta1());
        copy.setBeta2(getBeta2());
        copy.setEpsilon(getEpsilon());
        return copy;
    }
}
