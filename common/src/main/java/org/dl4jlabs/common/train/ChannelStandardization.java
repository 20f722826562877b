package org.dl4jlabs.common.train;

import org.dl4jlabs.common.backend.NativeFloats;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import java.util.Arrays;

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
        double[] channelMean = new double[channels];
        double[] channelStd = new double[channels];
        // Two passes in Java over the floats as they lie, summing in double: a double copy of CIFAR-10's
        // training set and ND4J's strided reductions over it took seconds before the first step.
        INDArray floats = NativeFloats.wholeBuffer(features);
        FloatBuffer values = floats.data().asNioFloat();
        long rows = features.size(0);
        double count = (double) rows * plane;
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (long row = 0; row < rows; row++) {
                int start = (int) (row * length + (long) c * plane);
                for (int p = 0; p < plane; p++) {
                    sum += values.get(start + p);
                }
            }
            channelMean[c] = sum / count;
            double squares = 0;
            for (long row = 0; row < rows; row++) {
                int start = (int) (row * length + (long) c * plane);
                for (int p = 0; p < plane; p++) {
                    double deviation = values.get(start + p) - channelMean[c];
                    squares += deviation * deviation;
                }
            }
            // The sample deviation (n - 1), as ND4J's stdNumber gives it.
            channelStd[c] = Math.sqrt(squares / Math.max(1, count - 1));
        }
        // The buffer reads the array's memory, which must outlive the loops.
        Reference.reachabilityFence(floats);
        float[] mean = new float[(int) length];
        float[] std = new float[(int) length];
        for (int c = 0; c < channels; c++) {
            Arrays.fill(mean, c * plane, (c + 1) * plane, (float) channelMean[c]);
            Arrays.fill(std, c * plane, (c + 1) * plane, (float) Math.max(channelStd[c], 1e-6));
        }
        return new NormalizerStandardize(Nd4j.create(mean, new long[]{1, length}, DataType.FLOAT),
                Nd4j.create(std, new long[]{1, length}, DataType.FLOAT));
    }
}
