package org.dl4jlabs.common.train;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
