package org.dl4jlabs.cifar;

import org.dl4jlabs.common.bench.Bench;
import org.dl4jlabs.common.bench.BenchModel;
import org.dl4jlabs.common.layers.fast.FastLayers;
import org.dl4jlabs.common.layers.fmp.FractionalMaxPooling2D.Regions;

/** The app's networks in {@code ./labs bench}, built by the app's own factory on 32x32 colour images. */
public final class CifarBench {

    static final CnnModel.Input CIFAR10 = new CnnModel.Input(32, 32, 3, 10);
    private static final long[] BATCH_SHAPE = {64, 32 * 32 * 3};

    private CifarBench() {
    }

    /** {@code cifar-resnet}: the default residual network, at its training batch of 256. */
    public static final class Residual implements BenchModel {
        private static final long[] RESNET_BATCH = {CifarCnnApp.RESNET_BATCH, 32 * 32 * 3};

        @Override
        public String name() {
            return "cifar-resnet";
        }

        @Override
        public String description() {
            return "ResNet-9 at width 16: prep, layer1+res1, layer2, layer3+res3 (conv3x3-BN-ReLU), global avg pool, "
                    + "SGD Nesterov; 32x32x3, batch " + RESNET_BATCH[0];
        }

        @Override
        public int batchSize() {
            return (int) RESNET_BATCH[0];
        }

        @Override
        public Runnable prepare(long seed) {
            return Bench.trainingStep(FastLayers.acceleratedGraph(
                    CnnModel.residual(new CnnModel.Residual(16, CifarCnnApp.RESNET_PEAK_LEARNING_RATE,
                            CifarCnnApp.RESNET_WEIGHT_DECAY), CIFAR10, 1000, seed)),
                    RESNET_BATCH, CIFAR10.classes(), seed);
        }
    }

    /** {@code cifar-standard}: the small CNN (the app's default until the residual network). */
    public static final class Standard implements BenchModel {
        @Override
        public String name() {
            return "cifar-standard";
        }

        @Override
        public String description() {
            return "CNN 3 blocks of (conv3x3-BN-ReLU)x2 + maxpool, 16-32-64 filters, global avg pool, Adam; "
                    + "32x32x3, batch " + BATCH_SHAPE[0];
        }

        @Override
        public int batchSize() {
            return (int) BATCH_SHAPE[0];
        }

        @Override
        public Runnable prepare(long seed) {
            return Bench.trainingStep(FastLayers.acceleratedNetwork(
                    CnnModel.small(new CnnModel.Small(16, 3, 0.2, 3e-3), CIFAR10, seed)),
                    BATCH_SHAPE, CIFAR10.classes(), seed);
        }
    }

    /** {@code cifar-fmp}: the CPU-sized FMP network. */
    public static final class Fmp implements BenchModel {
        @Override
        public String name() {
            return "cifar-fmp";
        }

        @Override
        public String description() {
            return "FMP (16nC2-FMPsqrt2)x6-C2-C1, leaky ReLU, pseudo-random overlapping, Adam; 32x32x3, batch "
                    + BATCH_SHAPE[0];
        }

        @Override
        public int batchSize() {
            return (int) BATCH_SHAPE[0];
        }

        @Override
        public Runnable prepare(long seed) {
            return Bench.trainingStep(FastLayers.acceleratedNetwork(
                    CnnModel.fmp(CnnModel.Fmp.cifarCpu(Regions.PSEUDO_RANDOM, true), CIFAR10, seed)),
                    BATCH_SHAPE, CIFAR10.classes(), seed);
        }
    }
}
