package org.dl4jlabs.common.layers.fmp;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.dl4jlabs.common.layers.fmp.FractionalMaxPooling2D.DrawPer;
import org.dl4jlabs.common.layers.fmp.FractionalMaxPooling2D.Regions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.dl4jlabs.common.layers.fmp.FmpTesting.channels;
import static org.dl4jlabs.common.layers.fmp.FmpTesting.get;
import static org.dl4jlabs.common.layers.fmp.FmpTesting.height;
import static org.dl4jlabs.common.layers.fmp.FmpTesting.put;
import static org.dl4jlabs.common.layers.fmp.FmpTesting.shape;
import static org.dl4jlabs.common.layers.fmp.FmpTesting.width;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fast path against a brute force that loops over each region of the regions the layer
 * reports it used: outputs and gradients must agree exactly.
 */
class FractionalMaxPoolingReferenceTest {

    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();

    static Stream<Arguments> variants() {
        List<Arguments> variants = new ArrayList<>();
        for (Regions regions : Regions.values()) {
            for (boolean overlapping : new boolean[] {false, true}) {
                for (DrawPer drawPer : DrawPer.values()) {
                    for (CNN2DFormat format : CNN2DFormat.values()) {
                        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
                            variants.add(Arguments.of(regions, overlapping, drawPer, format, type));
                        }
                    }
                }
            }
        }
        return variants.stream();
    }

    @ParameterizedTest(name = "{0}, overlapping={1}, per {2}, {3}, {4}")
    @MethodSource("variants")
    void fastPathMatchesBruteForceOnRandomInput(Regions regions, boolean overlapping, DrawPer drawPer,
            CNN2DFormat format, DataType type) {
        FractionalMaxPooling2D conf = new FractionalMaxPooling2D.Builder()
                .regions(regions).overlapping(overlapping).drawPer(drawPer).dataFormat(format).build();
        Nd4j.getRandom().setSeed(7);
        for (long[] size : new long[][] {{9, 7}, {8, 12}, {16, 16}, {3, 2}, {1, 5}}) {
            INDArray input = Nd4j.randn(type, shape(format, 3, 2, size[0], size[1]));
            assertMatchesBruteForce(conf, type, format, input);
        }
    }

    @Test
    void tiesGoToTheFirstMaximumInRowMajorOrder() {
        for (CNN2DFormat format : CNN2DFormat.values()) {
            FractionalMaxPooling2D conf = new FractionalMaxPooling2D.Builder()
                    .regions(Regions.RANDOM).overlapping(true).dataFormat(format).build();
            Nd4j.getRandom().setSeed(11);
            // Three distinct values: most regions hold several maxima.
            INDArray input = Transforms.floor(Nd4j.rand(DataType.FLOAT, shape(format, 4, 3, 11, 10)).muli(3), false);
            assertMatchesBruteForce(conf, DataType.FLOAT, format, input);
        }
    }

    @Test
    void comparesInIeeeTotalOrder() {
        float negativeNaN = Float.intBitsToFloat(0xFFC0_0000);
        // Ratio 2, disjoint: each output is the maximum of one pair of inputs.
        float[][] pairsAndMaxima = {
                {1f, Float.NaN, Float.NaN}, {1f, negativeNaN, 1f}, {-0f, 0f, 0f}, {0f, -0f, 0f},
                {Float.NEGATIVE_INFINITY, -3e38f, -3e38f}, {5f, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY}};
        FractionalMaxPooling2D conf = new FractionalMaxPooling2D.Builder().ratio(1, 2).overlapping(false).build();
        FractionalMaxPooling2DLayer layer = FmpTesting.standalone(conf, DataType.FLOAT);
        INDArray input = Nd4j.create(DataType.FLOAT, 1, 1, pairsAndMaxima.length, 2);
        for (int row = 0; row < pairsAndMaxima.length; row++) {
            input.putScalar(0, 0, row, 0, pairsAndMaxima[row][0]);
            input.putScalar(0, 0, row, 1, pairsAndMaxima[row][1]);
        }
        INDArray output = layer.activate(input, true, NO_WORKSPACES);
        for (int row = 0; row < pairsAndMaxima.length; row++) {
            assertEquals(Float.floatToRawIntBits(pairsAndMaxima[row][2]),
                    Float.floatToRawIntBits(output.getFloat(0, 0, row, 0)), "row " + row);
        }
    }

    private static void assertMatchesBruteForce(FractionalMaxPooling2D conf, DataType type, CNN2DFormat format,
            INDArray input) {
        FractionalMaxPooling2DLayer layer = FmpTesting.standalone(conf, type);
        INDArray output = layer.activate(input, true, NO_WORKSPACES);
        PoolingRegions regions = layer.lastRegions();
        INDArray epsilon = Nd4j.rand(type, output.shape());
        INDArray gradient = layer.backpropGradient(epsilon, NO_WORKSPACES).getSecond();

        INDArray expectedOutput = Nd4j.create(type, output.shape());
        INDArray expectedGradient = Nd4j.zeros(type, input.shape());
        bruteForce(input, epsilon, regions, format, expectedOutput, expectedGradient);

        String context = conf + " on " + Arrays.toString(input.shape());
        assertArrayEquals(expectedOutput.ravel().toDoubleVector(), output.ravel().toDoubleVector(), 0, "output, " + context);
        assertArrayEquals(expectedGradient.ravel().toDoubleVector(), gradient.ravel().toDoubleVector(), 0,
                "gradient, " + context);
    }

    /**
     * For each output cell, in order, scans its region row by row for the first maximum, takes its
     * value, and adds the cell's gradient to it.
     */
    private static void bruteForce(INDArray input, INDArray epsilon, PoolingRegions regions, CNN2DFormat format,
            INDArray output, INDArray gradient) {
        for (int n = 0; n < input.size(0); n++) {
            PoolingIntervals rows = regions.rows(n);
            PoolingIntervals columns = regions.columns(n);
            for (int c = 0; c < channels(input, format); c++) {
                for (int i = 0; i < height(output, format); i++) {
                    for (int j = 0; j < width(output, format); j++) {
                        int bestH = rows.start(i);
                        int bestW = columns.start(j);
                        for (int h = rows.start(i); h < rows.end(i); h++) {
                            for (int w = columns.start(j); w < columns.end(j); w++) {
                                if (get(input, format, n, c, h, w) > get(input, format, n, c, bestH, bestW)) {
                                    bestH = h;
                                    bestW = w;
                                }
                            }
                        }
                        put(output, format, n, c, i, j, get(input, format, n, c, bestH, bestW));
                        put(gradient, format, n, c, bestH, bestW,
                                get(gradient, format, n, c, bestH, bestW) + get(epsilon, format, n, c, i, j));
                    }
                }
            }
        }
        // The layer saw inputs of this size; the regions must say so too.
        assertEquals(height(input, format), regions.rows(0).inputSize());
        assertEquals(width(input, format), regions.columns(0).inputSize());
    }
}
