package org.dl4jlabs.common.train;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageAugmentationTest {

    private static final int C = 3;
    private static final int H = 6;
    private static final int W = 5;

    /** Distinct positive values: value = 1 + index. */
    private static DataSet batch(int rows) {
        INDArray features = Nd4j.arange(1, 1 + rows * C * H * W).castTo(DataType.FLOAT).reshape(rows, C * H * W);
        INDArray labels = Nd4j.eye(rows).castTo(DataType.FLOAT);
        return new DataSet(features, labels);
    }

    @Test
    void keepsShapeAndLabelsAndIsRepeatableUnderASeed() {
        DataSet first = batch(8);
        DataSet second = batch(8);
        INDArray labels = first.getLabels().dup();
        new ImageAugmentation(C, H, W, true, 2, 7).preProcess(first);
        new ImageAugmentation(C, H, W, true, 2, 7).preProcess(second);
        assertArrayEquals(new long[]{8, C * H * W}, first.getFeatures().shape());
        assertEquals(labels, first.getLabels());
        assertEquals(first.getFeatures(), second.getFeatures());
        DataSet other = batch(8);
        new ImageAugmentation(C, H, W, true, 2, 8).preProcess(other);
        assertNotEquals(first.getFeatures(), other.getFeatures());
    }

    @Test
    void theImagesAreTheSameOnOneThreadAsOnSeveralAndFromAView() throws Exception {
        ImageAugmentation.Affine affine = new ImageAugmentation.Affine(15, 0.1);
        DataSet onSeveral = batch(40);
        new ImageAugmentation(C, H, W, true, 2, affine, 5).preProcess(onSeveral);
        ForkJoinPool oneThread = new ForkJoinPool(1);
        try {
            DataSet onOne = batch(40);
            oneThread.submit(() -> new ImageAugmentation(C, H, W, true, 2, affine, 5).preProcess(onOne)).get();
            assertEquals(onSeveral.getFeatures(), onOne.getFeatures());
        } finally {
            oneThread.shutdown();
        }
        // The same rows as a view into a larger array, at an offset.
        INDArray larger = Nd4j.concat(0, Nd4j.zeros(DataType.FLOAT, 3, C * H * W), batch(40).getFeatures());
        DataSet fromView = new DataSet(larger.get(NDArrayIndex.interval(3, 43), NDArrayIndex.all()), batch(40).getLabels());
        new ImageAugmentation(C, H, W, true, 2, affine, 5).preProcess(fromView);
        assertEquals(onSeveral.getFeatures(), fromView.getFeatures());
    }

    @Test
    void flipOnlyMirrorsEachRowOrLeavesItAlone() {
        DataSet data = batch(16);
        INDArray original = data.getFeatures().dup();
        new ImageAugmentation(C, H, W, true, 0, 3).preProcess(data);
        int flipped = 0;
        for (int row = 0; row < 16; row++) {
            float[] before = original.getRow(row).toFloatVector();
            float[] after = data.getFeatures().getRow(row).toFloatVector();
            boolean same = java.util.Arrays.equals(before, after);
            boolean mirrored = true;
            for (int c = 0; c < C; c++) {
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        mirrored &= after[c * H * W + y * W + x] == before[c * H * W + y * W + (W - 1 - x)];
                    }
                }
            }
            assertTrue(same || mirrored, "row " + row);
            flipped += same ? 0 : 1;
        }
        assertTrue(flipped > 2 && flipped < 14, flipped + " of 16 flipped");
    }

    @Test
    void shiftsMoveTheImageAndFillWithZeros() {
        DataSet data = batch(16);
        INDArray original = data.getFeatures().dup();
        new ImageAugmentation(C, H, W, false, 1, 5).preProcess(data);
        for (int row = 0; row < 16; row++) {
            float[] after = data.getFeatures().getRow(row).toFloatVector();
            java.util.Set<Float> values = new java.util.HashSet<>();
            for (float v : original.getRow(row).toFloatVector()) {
                values.add(v);
            }
            for (float v : after) {
                assertTrue(v == 0 || values.contains(v)); // every pixel comes from the image or the padding
            }
        }
        assertNotEquals(original, data.getFeatures());
    }

    /** One image of {@code channels} square planes, every value distinct: value = 1 + index. */
    private static float[] image(int channels, int side) {
        float[] image = new float[channels * side * side];
        for (int i = 0; i < image.length; i++) {
            image[i] = 1 + i;
        }
        return image;
    }

    private static float[] transformed(float[] image, int channels, int side, ImageAugmentation.Draw draw) {
        float[] out = new float[image.length];
        new ImageAugmentation(channels, side, side, false, 0, 1).transform(image, out, 0, draw);
        return out;
    }

    @Test
    void flipsAndShiftsAreCopiedAsTheInterpolationWouldGiveThemBitForBit() {
        int side = 7;
        // Standardized pixels, and zeros of both signs.
        Random random = new Random(3);
        float[] image = new float[C * side * side];
        for (int i = 0; i < image.length; i++) {
            image[i] = i % 5 == 0 ? (i % 2 == 0 ? 0f : -0f) : (float) random.nextGaussian();
        }
        ImageAugmentation augmentation = new ImageAugmentation(C, side, side, true, 3, 1);
        for (boolean mirrored : new boolean[]{false, true}) {
            for (int dy = -3; dy <= 3; dy++) {
                for (int dx = -3; dx <= 3; dx++) {
                    ImageAugmentation.Draw draw = new ImageAugmentation.Draw(mirrored, dx, dy, 0, 1);
                    float[] interpolated = new float[image.length];
                    augmentation.interpolated(image, interpolated, 0, draw);
                    assertArrayEquals(interpolated, transformed(image, C, side, draw), draw.toString());
                }
            }
        }
    }

    @Test
    void noRotationAndUnitScaleLeaveTheImageAlone() {
        float[] image = image(C, 5);
        assertArrayEquals(image, transformed(image, C, 5, new ImageAugmentation.Draw(false, 0, 0, 0, 1)));
        DataSet data = batch(4);
        INDArray original = data.getFeatures().dup();
        new ImageAugmentation(C, H, W, false, 0, ImageAugmentation.Affine.NONE, 9).preProcess(data);
        assertEquals(original, data.getFeatures());
    }

    @Test
    void aQuarterTurnMovesEveryPixelWhereExpected() {
        for (int side : new int[]{4, 5}) {
            float[] image = image(2, side);
            float[] turned = transformed(image, 2, side, new ImageAugmentation.Draw(false, 0, 0, 90, 1));
            float[] mirroredThenTurned = transformed(image, 2, side, new ImageAugmentation.Draw(true, 0, 0, 90, 1));
            float[] turnedThenShifted = transformed(image, 2, side, new ImageAugmentation.Draw(false, 1, 0, 90, 1));
            int plane = side * side;
            for (int c = 0; c < 2; c++) {
                for (int y = 0; y < side; y++) {
                    for (int x = 0; x < side; x++) {
                        int at = c * plane + y * side + x;
                        // Counterclockwise as displayed: the right column becomes the top row.
                        assertEquals(image[c * plane + x * side + (side - 1 - y)], turned[at], 1e-4, "turned " + at);
                        // A mirror image turned a quarter is the transpose.
                        assertEquals(image[c * plane + x * side + y], mirroredThenTurned[at], 1e-4, "mirrored " + at);
                        float shifted = x + 1 < side ? image[c * plane + (x + 1) * side + (side - 1 - y)] : 0;
                        assertEquals(shifted, turnedThenShifted[at], 1e-4, "shifted " + at);
                    }
                }
            }
        }
    }

    @Test
    void scalingStretchesAboutTheCentreAndInterpolatesBetweenPixels() {
        float[] image = image(1, 5);
        float[] doubled = transformed(image, 1, 5, new ImageAugmentation.Draw(false, 0, 0, 0, 2));
        assertEquals(image[2 * 5 + 2], doubled[2 * 5 + 2]); // the centre stays
        assertEquals(image[2 * 5 + 3], doubled[2 * 5 + 4]); // two pixels out came from one out
        assertEquals(image[1 * 5 + 2], doubled[0 * 5 + 2], 1e-4); // the top row came from one row up of centre
        assertEquals((image[2 * 5 + 2] + image[2 * 5 + 3]) / 2, doubled[2 * 5 + 3], 1e-4); // halfway between
        float[] halved = transformed(image, 1, 5, new ImageAugmentation.Draw(false, 0, 0, 0, 0.5));
        assertEquals(image[2 * 5 + 4], halved[2 * 5 + 3], 1e-4);
        assertEquals(0, halved[2 * 5 + 4]); // beyond the shrunken image: zero
    }

    @Test
    void randomRotationAndScalingKeepTheCentrePixelAndFillCornersWithZero() {
        int side = 7;
        int rows = 12;
        INDArray features = Nd4j.ones(DataType.FLOAT, rows, C * side * side);
        features.putScalar(new long[]{0, side * side + 3 * side + 3}, 5); // the centre of the second channel
        DataSet data = new DataSet(features, Nd4j.eye(rows).castTo(DataType.FLOAT));
        new ImageAugmentation(C, side, side, true, 0, new ImageAugmentation.Affine(45, 0.3), 11).preProcess(data);
        INDArray out = data.getFeatures();
        assertEquals(5, out.getFloat(0, side * side + 3 * side + 3), 1e-5);
        int zeroCorners = 0;
        for (int row = 0; row < rows; row++) {
            assertEquals(1, out.getFloat(row, 3 * side + 3), 1e-5, "centre of row " + row);
            for (float v : out.getRow(row).toFloatVector()) {
                assertTrue(v >= 0 && v <= 5, "value " + v);
            }
            zeroCorners += out.getFloat(row, 0) < 0.5 ? 1 : 0;
        }
        assertTrue(zeroCorners > 0, "some turned images have the outside in a corner");
    }

    @Test
    void affineAugmentationKeepsShapeAndLabelsAndIsRepeatableUnderASeed() {
        ImageAugmentation.Affine affine = new ImageAugmentation.Affine(15, 0.1);
        DataSet first = batch(8);
        DataSet second = batch(8);
        INDArray labels = first.getLabels().dup();
        new ImageAugmentation(C, H, W, true, 2, affine, 7).preProcess(first);
        new ImageAugmentation(C, H, W, true, 2, affine, 7).preProcess(second);
        assertArrayEquals(new long[]{8, C * H * W}, first.getFeatures().shape());
        assertEquals(labels, first.getLabels());
        assertEquals(first.getFeatures(), second.getFeatures());
        DataSet withoutAffine = batch(8);
        new ImageAugmentation(C, H, W, true, 2, 7).preProcess(withoutAffine);
        assertNotEquals(withoutAffine.getFeatures(), first.getFeatures());
        DataSet otherSeed = batch(8);
        new ImageAugmentation(C, H, W, true, 2, affine, 8).preProcess(otherSeed);
        assertNotEquals(first.getFeatures(), otherSeed.getFeatures());
    }

    @Test
    void rejectsNegativeOrOversizedRotationAndScaling() {
        for (double[] bad : new double[][]{{-1, 0}, {181, 0}, {Double.NaN, 0}, {0, -0.1}, {0, 0.6}, {0, Double.NaN}}) {
            assertThrows(IllegalArgumentException.class, () -> new ImageAugmentation.Affine(bad[0], bad[1]),
                    Arrays.toString(bad));
        }
        new ImageAugmentation.Affine(ImageAugmentation.Affine.MAX_DEGREES, ImageAugmentation.Affine.MAX_SCALE_CHANGE);
    }

    @Test
    void channelStandardizationGivesEachChannelMeanZeroAndUnitSpread() {
        DataSet data = batch(4);
        NormalizerStandardize normalizer = ChannelStandardization.fit(data, C);
        normalizer.transform(data);
        INDArray planes = data.getFeatures().reshape(4, C, H * W);
        for (int c = 0; c < C; c++) {
            INDArray channel = planes.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(c), org.nd4j.linalg.indexing.NDArrayIndex.all());
            assertEquals(0, channel.meanNumber().doubleValue(), 1e-4);
            assertEquals(1, channel.stdNumber().doubleValue(), 1e-3);
        }
    }
}
