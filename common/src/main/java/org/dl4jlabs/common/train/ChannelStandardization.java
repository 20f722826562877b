package org.dl4jlabs.common.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Standardizes images per colour channel: every pixel of channel c has the mean and standard
 * deviation of all of channel c's values in the training set subtracted and divided out. Unlike
 * per-pixel standardization it does not blow up border pixels that are always black in training,
 * and it treats a shifted or flipped image the same.
 *
 * <p>The result is an ordinary {@link NormalizerStandardize} (the channel statistics repeated for
 * each pixel), so {@code ModelSerializer} saves and restores it with the model.
 */
public final class ChannelStandardization {

    private ChannelStandardization() {
    }

    /**
     * @param train    features {@code [N, channels*height*width]}, channel planes first
     * @param channels number of channel planes in a row
     */
    public static NormalizerStandardize fit(DataSet train, int channels) {
        INDArray features = train.getFeatures();
        long length = features.size(1);
        if (length % channels != 0) {
            throw new IllegalArgumentException(length + " features do not split into " + channels + " channel planes");
        }
        int plane = (int) (length / channels);
        INDArray planes = features.castTo(DataType.DOUBLE).reshape('c', features.size(0), channels, plane);
        float[] mean = new float[(int) length];
        float[] std = new float[(int) length];
        for (int c = 0; c < channels; c++) {
            INDArray values = planes.get(NDArrayIndex.all(), NDArrayIndex.point(c), NDArrayIndex.all());
            float channelMean = (float) values.meanNumber().doubleValue();
            float channelStd = (float) Math.max(values.stdNumber().doubleValue(), 1e-6);
            for (int p = 0; p < plane; p++) {
                mean[c * plane + p] = channelMean;
                std[c * plane + p] = channelStd;
            }
        }
        return new NormalizerStandardize(Nd4j.create(mean, new long[]{1, length}, DataType.FLOAT),
                Nd4j.create(std, new long[]{1, length}, DataType.FLOAT));
    }
}
