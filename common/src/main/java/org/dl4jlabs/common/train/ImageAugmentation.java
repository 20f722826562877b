package org.dl4jlabs.common.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Random;

/**
 * Training-time augmentation of image batches: each image is flipped left to right with
 * probability 1/2 and shifted by up to {@code padding} pixels each way, as a random crop of the image
 * padded with zeros would. Features are flat rows of {@code channels x height x width} values (channel
 * planes first), as the suite's data sets hold them; labels are left alone.
 *
 * <p>Give it to the training iterator only ({@link ShuffledBatches#setPreProcessor}); evaluation
 * never sees it. Its draws come from its own seeded generator, so a run repeats exactly. Zero is
 * the padding value: after standardization that is the average pixel.
 */
public final class ImageAugmentation implements DataSetPreProcessor {

    private final int channels;
    private final int height;
    private final int width;
    private final boolean flip;
    private final int padding;
    private final Random random;

    public ImageAugmentation(int channels, int height, int width, boolean flip, int padding, long seed) {
        if (padding < 0 || padding >= Math.min(height, width)) {
            throw new IllegalArgumentException("padding must be in [0, " + Math.min(height, width) + "): " + padding);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.flip = flip;
        this.padding = padding;
        this.random = new Random(seed);
    }

    @Override
    public void preProcess(DataSet batch) {
        INDArray features = batch.getFeatures();
        int plane = height * width;
        int length = channels * plane;
        if (features.rank() != 2 || features.size(1) != length) {
            throw new IllegalArgumentException("expected features [n, " + length + "], got "
                    + Arrays.toString(features.shape()));
        }
        int rows = (int) features.size(0);
        float[] in = features.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] out = new float[in.length];
        for (int row = 0; row < rows; row++) {
            boolean mirrored = flip && random.nextBoolean();
            int dy = padding == 0 ? 0 : random.nextInt(2 * padding + 1) - padding;
            int dx = padding == 0 ? 0 : random.nextInt(2 * padding + 1) - padding;
            int base = row * length;
            for (int c = 0; c < channels; c++) {
                int planeBase = base + c * plane;
                for (int y = 0; y < height; y++) {
                    int sourceY = y + dy;
                    if (sourceY < 0 || sourceY >= height) {
                        continue;
                    }
                    for (int x = 0; x < width; x++) {
                        int shiftedX = x + dx;
                        if (shiftedX < 0 || shiftedX >= width) {
                            continue;
                        }
                        int sourceX = mirrored ? width - 1 - shiftedX : shiftedX;
                        out[planeBase + y * width + x] = in[planeBase + sourceY * width + sourceX];
                    }
                }
            }
        }
        batch.setFeatures(Nd4j.create(out, features.shape(), 'c').castTo(features.dataType()));
    }
}
