package org.dl4jlabs.common.report;

import org.dl4jlabs.common.data.ImageShape;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;

/** Draws examples of an image data set as pictures, e.g. to show what a model got wrong. */
public final class ExampleImages {

    static {
        Headless.unlessChosen();
    }

    private ExampleImages() {
    }

    /**
     * Draws example {@code index} of {@code features} (examples along the first dimension),
     * enlarged {@code scale} times with hard pixel edges so small images stay legible. Each
     * picture is stretched from its own darkest to its brightest value, so inputs normalized to
     * any range display alike.
     */
    public static BufferedImage draw(INDArray features, long index, ImageShape shape, int scale) {
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be at least 1: " + scale);
        }
        if (index < 0 || index >= features.size(0)) {
            throw new IllegalArgumentException("Example " + index + " is outside the " + features.size(0) + " given");
        }
        INDArray example = features.get(NDArrayIndex.point(index));
        if (example.length() != shape.length()) {
            throw new IllegalArgumentException("An example has " + example.length() + " values, but " + shape
                    + " needs " + shape.length());
        }
        float[] values = Nd4j.toFlattened('c', example).toFloatVector();
        BufferedImage image = toImage(values, shape);
        AffineTransformOp enlarge = new AffineTransformOp(AffineTransform.getScaleInstance(scale, scale),
                AffineTransformOp.TYPE_NEAREST_NEIGHBOR);
        return enlarge.filter(image, null);
    }

    private static BufferedImage toImage(float[] values, ImageShape shape) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float value : values) {
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        float range = max > min ? max - min : 1;

        int plane = shape.height() * shape.width();
        int[] rgb = new int[plane];
        for (int pixel = 0; pixel < plane; pixel++) {
            int red = level(values[pixel], min, range);
            int green = shape.channels() == 3 ? level(values[plane + pixel], min, range) : red;
            int blue = shape.channels() == 3 ? level(values[2 * plane + pixel], min, range) : red;
            rgb[pixel] = red << 16 | green << 8 | blue;
        }
        BufferedImage image = new BufferedImage(shape.width(), shape.height(), BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, shape.width(), shape.height(), rgb, 0, shape.width());
        return image;
    }

    private static int level(float value, float min, float range) {
        return Math.round((value - min) / range * 255);
    }
}
