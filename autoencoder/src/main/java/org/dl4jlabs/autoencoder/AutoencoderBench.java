package org.dl4jlabs.autoencoder;

import org.dl4jlabs.autoencoder.AutoencoderModel.Architecture;
import org.dl4jlabs.autoencoder.AutoencoderModel.Loss;
import org.dl4jlabs.common.bench.Bench;
import org.dl4jlabs.common.bench.BenchModel;
import org.dl4jlabs.common.layers.fast.FastLayers;

/**
 * The benchmark's autoencoders, built by the app's own factory with its defaults (bottleneck 64,
 * MSE, Adam, batch 128): {@code dae-dense} and {@code dae-conv}. The service file names one
 * subclass per model, since {@link java.util.ServiceLoader} needs a no-argument constructor.
 */
public abstract class AutoencoderBench implements BenchModel {

    private static final int BATCH = 128;
    private static final int SIDE = 28;
    private static final int BOTTLENECK = 64;

    private final Architecture architecture;

    AutoencoderBench(Architecture architecture) {
        this.architecture = architecture;
    }

    @Override
    public int batchSize() {
        return BATCH;
    }

    @Override
    public Runnable prepare(long seed) {
        var options = new AutoencoderModel.Options(architecture, BOTTLENECK, Loss.MSE, 1e-3);
        // Targets are random pixels rather than the inputs; the step costs the same.
        return Bench.trainingStep(FastLayers.acceleratedNetwork(AutoencoderModel.configuration(options, SIDE, seed)),
                new long[]{BATCH, SIDE * SIDE},
                SIDE * SIDE, seed);
    }

    /** {@code dae-dense}: 784-256-64-256-784. */
    public static final class Dense extends AutoencoderBench {
        public Dense() {
            super(Architecture.DENSE);
        }

        @Override
        public String name() {
            return "dae-dense";
        }

        @Override
        public String description() {
            return "denoising autoencoder 784-256-64-256-784, ReLU, sigmoid, MSE, Adam; batch " + BATCH;
        }
    }

    /** {@code dae-conv}: conv 16, pool, conv 32, pool, dense 64, dense, upsample, conv 16, upsample, conv 1. */
    public static final class Conv extends AutoencoderBench {
        public Conv() {
            super(Architecture.CONV);
        }

        @Override
        public String name() {
            return "dae-conv";
        }

        @Override
        public String description() {
            return "conv autoencoder 28x28: conv16-pool-conv32-pool-64-upsample-conv16-upsample-conv1, MSE, Adam; "
                    + "batch " + BATCH;
        }
    }
}
