package org.dl4jlabs.common.layers.fmp;

import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.dl4jlabs.common.layers.fmp.FractionalMaxPooling2D.DrawPer;
import org.dl4jlabs.common.layers.fmp.FractionalMaxPooling2D.Regions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When regions are drawn, for whom, and from which random numbers. */
class PoolingRegionsTest {

    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();
    private static final int EXAMPLES = 16;

    @Test
    void perExampleDrawsDifferForEachExampleAndPerBatchDrawsAreShared() {
        Nd4j.getRandom().setSeed(1);
        for (Regions kind : Regions.values()) {
            PoolingRegions perExample = draw(builder(kind).drawPer(DrawPer.EXAMPLE), true);
            Set<List<Integer>> rows = new HashSet<>();
            int rowsLikeColumns = 0;
            for (int n = 0; n < EXAMPLES; n++) {
                rows.add(boundaries(perExample.rows(n)));
                rowsLikeColumns += boundaries(perExample.rows(n)).equals(boundaries(perExample.columns(n))) ? 1 : 0;
            }
            // 35 -> 25 has alpha = 7 / 5, for which only 5 pseudo-random sequences exist.
            assertTrue(rows.size() >= 4, kind + ": only " + rows.size() + " distinct row sequences");
            assertTrue(rowsLikeColumns < EXAMPLES / 2, kind + ": rows and columns are drawn together");

            PoolingRegions perBatch = draw(builder(kind).drawPer(DrawPer.BATCH), true);
            for (int n = 1; n < EXAMPLES; n++) {
                assertEquals(boundaries(perBatch.rows(0)), boundaries(perBatch.rows(n)));
                assertEquals(boundaries(perBatch.columns(0)), boundaries(perBatch.columns(n)));
            }
        }
    }

    @Test
    void everyPassDrawsAfreshAtInferenceTooAndTheSeedReproducesIt() {
        FractionalMaxPooling2DLayer layer = FmpTesting.standalone(builder(Regions.PSEUDO_RANDOM).build(), DataType.FLOAT);
        INDArray input = Nd4j.rand(DataType.FLOAT, EXAMPLES, 3, 35, 35);

        Nd4j.getRandom().setSeed(123);
        INDArray first = layer.activate(input, false, NO_WORKSPACES).dup();
        INDArray second = layer.activate(input, false, NO_WORKSPACES).dup();
        assertNotEquals(first, second);

        Nd4j.getRandom().setSeed(123);
        assertEquals(first, layer.activate(input, false, NO_WORKSPACES));
        assertEquals(second, layer.activate(input, true, NO_WORKSPACES));
    }

    @Test
    void fixedInferenceRegionsAreEvenlySpreadAndDrawNoRandomNumbers() {
        FractionalMaxPooling2D conf = builder(Regions.RANDOM).fixedRegionsAtInference(true).build();
        PoolingRegions atInference = draw(builder(Regions.RANDOM).fixedRegionsAtInference(true), false);
        for (int n = 0; n < EXAMPLES; n++) {
            assertArrayEquals(PoolingIntervals.evenlySpread(35, 25, true).boundaries(), atInference.rows(n).boundaries());
            assertArrayEquals(PoolingIntervals.evenlySpread(35, 25, true).boundaries(), atInference.columns(n).boundaries());
        }

        Nd4j.getRandom().setSeed(5);
        double before = Nd4j.getRandom().nextDouble();
        Nd4j.getRandom().setSeed(5);
        PoolingRegions.draw(conf, EXAMPLES, 35, 35, false);
        assertEquals(before, Nd4j.getRandom().nextDouble());

        PoolingRegions training = draw(builder(Regions.RANDOM).fixedRegionsAtInference(true), true);
        boolean anyDrawn = false;
        for (int n = 0; n < EXAMPLES; n++) {
            anyDrawn |= !boundaries(training.rows(n)).equals(boundaries(atInference.rows(n)));
        }
        assertTrue(anyDrawn, "training draws its regions even when inference uses fixed ones");
    }

    private static FractionalMaxPooling2D.Builder builder(Regions kind) {
        return new FractionalMaxPooling2D.Builder().regions(kind);
    }

    private static PoolingRegions draw(FractionalMaxPooling2D.Builder builder, boolean training) {
        return PoolingRegions.draw(builder.build(), EXAMPLES, 35, 35, training);
    }

    private static List<Integer> boundaries(PoolingIntervals intervals) {
        return Arrays.stream(intervals.boundaries()).boxed().toList();
    }
}
