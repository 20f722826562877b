package org.dl4jlabs.autoencoder;

import org.dl4jlabs.common.backend.NativeFloats;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.lang.ref.Reference;
import java.nio.FloatBuffer;

/**
 * How close images are to their originals, for pixels in 0..1: mean squared error and peak
 * signal-to-noise ratio, {@code PSNR = 10 log10(1 / MSE)} in decibels (higher is better; every
 * 3 dB halves the error).
 */
public final class ImageQuality {

    private ImageQuality() {
    }

    /** The mean squared error of each example (row) of {@code images} against the same row of {@code originals}. */
    public static double[] perExampleMse(INDArray images, INDArray originals) {
        if (!images.equalShapes(originals)) {
            throw new IllegalArgumentException("shapes differ: " + images.shapeInfoToString() + " vs "
                    + originals.shapeInfoToString());
        }
        // In Java over the floats, row by row: ND4J's double copies and differences of a whole test
        // set were most of the time the autoencoder's results took.
        INDArray a = NativeFloats.wholeBuffer(images);
        INDArray b = NativeFloats.wholeBuffer(originals);
        int n = (int) images.size(0);
        int perExample = Math.toIntExact(images.length() / n);
        FloatBuffer aValues = a.data().asNioFloat();
        FloatBuffer bValues = b.data().asNioFloat();
        float[] aRow = new float[perExample];
        float[] bRow = new float[perExample];
        double[] mse = new double[n];
        for (int row = 0; row < n; row++) {
            aValues.get(row * perExample, aRow);
            bValues.get(row * perExample, bRow);
            double sum = 0;
            for (int i = 0; i < perExample; i++) {
                double difference = (double) aRow[i] - bRow[i];
                sum += difference * difference;
            }
            mse[row] = sum / perExample;
        }
        Reference.reachabilityFence(a);
        Reference.reachabilityFence(b);
        return mse;
    }

    /** The mean squared error over all pixels of all examples. */
    public static double mse(INDArray images, INDArray originals) {
        double[] perExample = perExampleMse(images, originals);
        double sum = 0;
        for (double value : perExample) {
            sum += value;
        }
        return sum / perExample.length;
    }

    /** PSNR in dB for a mean squared error on a 0..1 scale; infinite for identical images. */
    public static double psnr(double mse) {
        return 10 * Math.log10(1 / mse);
    }
}
