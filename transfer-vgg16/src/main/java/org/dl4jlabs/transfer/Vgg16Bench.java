package org.dl4jlabs.transfer;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jlabs.common.bench.BenchModel;
import org.dl4jlabs.common.transfer.Vgg16Model;
import org.dl4jlabs.common.transfer.Vgg16Model.Width;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code vgg16-features-32} and {@code vgg16-features-150}: a forward pass of VGG16's full-width base
 * (to block5_pool) on a batch of 32 photos, what featurizing a data set for feature extraction costs.
 */
public abstract class Vgg16Bench implements BenchModel {

    private static final int BATCH = 32;
    private final int size;

    Vgg16Bench(int size) {
        this.size = size;
    }

    @Override
    public String name() {
        return "vgg16-features-" + size;
    }

    @Override
    public String description() {
        return "VGG16 base (13 conv 3x3, 5 maxpool, full width) forward to block5_pool, inference; " + size + "x"
                + size + "x3, batch " + BATCH;
    }

    @Override
    public int batchSize() {
        return BATCH;
    }

    @Override
    public Runnable prepare(long seed) {
        MultiLayerNetwork base = Vgg16Model.network(Vgg16Model.baseUpTo(Width.FULL, size, "block5_pool"));
        INDArray photos = Nd4j.rand(BATCH, 3 * size * size);
        return () -> base.output(photos, false);
    }

    /** CIFAR-10's size. */
    public static final class Small extends Vgg16Bench {
        public Small() {
            super(32);
        }
    }

    /** The photos' default size. */
    public static final class Photos extends Vgg16Bench {
        public Photos() {
            super(150);
        }
    }
}
