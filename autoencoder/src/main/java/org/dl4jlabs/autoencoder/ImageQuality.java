package org.dl4jlabs.autoencoder;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

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
        long n = images.size(0);
        INDArray difference = images.castTo(DataType.DOUBLE).reshape('c', n, -1)
                .sub(originals.castTo(DataType.DOUBLE).reshape('c', n, -1));
        return difference.muli(difference).mean(1).toDoubleVector();
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
