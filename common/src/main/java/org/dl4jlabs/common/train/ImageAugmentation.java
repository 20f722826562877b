package org.dl4jlabs.common.train;

import org.dl4jlabs.common.backend.NativeFloats;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Training-time augmentation of image batches: each image is flipped left to right with
 * probability 1/2 and shifted by up to {@code padding} pixels each way, as a random crop of the image
 * padded with zeros would. Optionally ({@link Affine}) it is also rotated by a random angle within
 * ±{@code maxDegrees} and scaled by a random factor within [1 − {@code maxScaleChange},
 * 1 + {@code maxScaleChange}] about the image centre. Features are flat rows of
 * {@code channels x height x width} values (channel planes first), as the suite's data sets hold them;
 * labels are left alone and every image keeps its shape.
 *
 * <p>All of it is one inverse mapping per image: each output pixel looks up where it comes from in
 * the original and reads that point by bilinear interpolation. Flips and whole-pixel shifts land on
 * pixel centres, so without rotation or scaling the pixels are copied exactly.
 *
 * <p>Give it to the training iterator only ({@link ShuffledBatches#setPreProcessor}); evaluation
 * never sees it. Its draws come from its own seeded generator, so a run repeats exactly; with the
 * affine part off it draws exactly what it drew before that part existed. A batch's images are
 * transformed in parallel, each by its own draw. Zero is the value outside
 * the image: after standardization that is the average pixel.
 */
public final class ImageAugmentation implements DataSetPreProcessor {

    /**
     * The optional rotation and scaling, as the largest deviation from none in each direction.
     *
     * @param maxDegrees     rotations are drawn uniformly from [−maxDegrees, maxDegrees], 0 to
     *                       {@value #MAX_DEGREES}
     * @param maxScaleChange scale factors are drawn uniformly from [1 − maxScaleChange, 1 + maxScaleChange],
     *                       0 to {@value #MAX_SCALE_CHANGE}: beyond that an image is no longer a slight variation
     */
    public record Affine(double maxDegrees, double maxScaleChange) {
        public static final double MAX_DEGREES = 180;
        public static final double MAX_SCALE_CHANGE = 0.5;
        public static final Affine NONE = new Affine(0, 0);

        public Affine {
            if (!(maxDegrees >= 0 && maxDegrees <= MAX_DEGREES)) {
                throw new IllegalArgumentException("maxDegrees must be in [0, " + MAX_DEGREES + "]: " + maxDegrees);
            }
            if (!(maxScaleChange >= 0 && maxScaleChange <= MAX_SCALE_CHANGE)) {
                throw new IllegalArgumentException("maxScaleChange must be in [0, " + MAX_SCALE_CHANGE + "]: "
                        + maxScaleChange);
            }
        }
    }

    /**
     * What is done to one image: mirrored left to right, turned by {@code degrees} counterclockwise as
     * displayed and scaled by {@code scale} about its centre, then shifted so that output pixel (x, y)
     * shows what was at (x + dx, y + dy).
     */
    record Draw(boolean mirrored, int dx, int dy, double degrees, double scale) {
    }

    private final int channels;
    private final int height;
    private final int width;
    private final boolean flip;
    private final int padding;
    private final Affine affine;
    private final Random random;

    /** Flips and shifts only. */
    public ImageAugmentation(int channels, int height, int width, boolean flip, int padding, long seed) {
        this(channels, height, width, flip, padding, Affine.NONE, seed);
    }

    public ImageAugmentation(int channels, int height, int width, boolean flip, int padding, Affine affine,
                             long seed) {
        if (padding < 0 || padding >= Math.min(height, width)) {
            throw new IllegalArgumentException("padding must be in [0, " + Math.min(height, width) + "): " + padding);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.flip = flip;
        this.padding = padding;
        this.affine = affine;
        this.random = new Random(seed);
    }

    @Override
    public void preProcess(DataSet batch) {
        INDArray features = batch.getFeatures();
        int length = channels * height * width;
        if (features.rank() != 2 || features.size(1) != length) {
            throw new IllegalArgumentException("expected features [n, " + length + "], got "
                    + Arrays.toString(features.shape()));
        }
        int rows = (int) features.size(0);
        float[] in = NativeFloats.toArray(features);
        float[] out = new float[in.length];
        // The draws in order from the one generator, then the images on all cores: the same images on any number.
        Draw[] draws = new Draw[rows];
        for (int row = 0; row < rows; row++) {
            draws[row] = nextDraw();
        }
        IntStream.range(0, rows).parallel().forEach(row -> transform(in, out, row * length, draws[row]));
        batch.setFeatures(NativeFloats.fromArray(out, features.shape(), features.dataType()));
    }

    private Draw nextDraw() {
        boolean mirrored = flip && random.nextBoolean();
        int dy = padding == 0 ? 0 : random.nextInt(2 * padding + 1) - padding;
        int dx = padding == 0 ? 0 : random.nextInt(2 * padding + 1) - padding;
        double degrees = affine.maxDegrees() == 0 ? 0 : uniform(affine.maxDegrees());
        double scale = affine.maxScaleChange() == 0 ? 1 : 1 + uniform(affine.maxScaleChange());
        return new Draw(mirrored, dx, dy, degrees, scale);
    }

    /** Uniform in [−limit, limit). */
    private double uniform(double limit) {
        return (2 * random.nextDouble() - 1) * limit;
    }

    /** Writes the image at {@code base} of {@code in}, transformed by {@code draw}, to the same place in {@code out}. */
    void transform(float[] in, float[] out, int base, Draw draw) {
        if (draw.degrees() == 0 && draw.scale() == 1) {
            shifted(in, out, base, draw);
        } else {
            interpolated(in, out, base, draw);
        }
    }

    /**
     * A flip and a whole-pixel shift as a copy: each output pixel lands on a pixel centre, where the
     * interpolation gives the pixel itself, and a copy is several times as fast. A zero goes through the
     * interpolation all the same, which decides the sign it ends with; so the values are the
     * interpolation's for any finite input, bit for bit.
     */
    private void shifted(float[] in, float[] out, int base, Draw draw) {
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            int planeBase = base + c * plane;
            for (int y = 0; y < height; y++) {
                int sourceY = y + draw.dy();
                int row = planeBase + y * width;
                if (sourceY < 0 || sourceY >= height) {
                    Arrays.fill(out, row, row + width, 0f);
                    continue;
                }
                int sourceRow = planeBase + sourceY * width;
                for (int x = 0; x < width; x++) {
                    int sourceX = draw.mirrored() ? width - 1 - (x + draw.dx()) : x + draw.dx();
                    float value = sourceX < 0 || sourceX >= width ? 0 : in[sourceRow + sourceX];
                    out[row + x] = value != 0 ? value : (float) bilinear(in, planeBase, sourceX, sourceY);
                }
            }
        }
    }

    /**
     * The general case: each output pixel undoes the shift, then the turn and scaling, then the
     * mirroring, to find the point of the original it shows, and reads it by bilinear interpolation.
     */
    void interpolated(float[] in, float[] out, int base, Draw draw) {
        double centreX = (width - 1) / 2.0;
        double centreY = (height - 1) / 2.0;
        double radians = Math.toRadians(draw.degrees());
        // Turning back by the angle and dividing by the scale undo the turn and the scaling in one step.
        double cos = Math.cos(radians) / draw.scale();
        double sin = Math.sin(radians) / draw.scale();
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            double v = y + draw.dy() - centreY;
            for (int x = 0; x < width; x++) {
                double u = x + draw.dx() - centreX;
                double sourceX = centreX + u * cos - v * sin;
                double sourceY = centreY + u * sin + v * cos;
                if (draw.mirrored()) {
                    sourceX = width - 1 - sourceX;
                }
                for (int c = 0; c < channels; c++) {
                    int planeBase = base + c * plane;
                    out[planeBase + y * width + x] = (float) bilinear(in, planeBase, sourceX, sourceY);
                }
            }
        }
    }

    /** The plane's value at a point between pixel centres; zero beyond the image. */
    private double bilinear(float[] in, int planeBase, double x, double y) {
        int left = (int) Math.floor(x);
        int top = (int) Math.floor(y);
        double right = x - left;
        double down = y - top;
        double upper = (1 - right) * pixel(in, planeBase, left, top) + right * pixel(in, planeBase, left + 1, top);
        double lower = (1 - right) * pixel(in, planeBase, left, top + 1) + right * pixel(in, planeBase, left + 1, top + 1);
        return (1 - down) * upper + down * lower;
    }

    private float pixel(float[] in, int planeBase, int x, int y) {
        return x < 0 || x >= width || y < 0 || y >= height ? 0 : in[planeBase + y * width + x];
    }
}
