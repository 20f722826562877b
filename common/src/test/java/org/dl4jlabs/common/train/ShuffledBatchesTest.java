package org.dl4jlabs.common.train;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShuffledBatchesTest {

    private static final DataSet DATA = TinyNets.twoClasses(10, 5);

    @Test
    void everyExampleOncePerEpochInBatchesOfTheGivenSize() {
        ShuffledBatches batches = new ShuffledBatches(DATA, 4, 1);
        List<Integer> sizes = new ArrayList<>();
        double sum = 0;
        while (batches.hasNext()) {
            DataSet batch = batches.next();
            sizes.add(batch.numExamples());
            sum += batch.getFeatures().sumNumber().doubleValue();
        }
        assertEquals(List.of(4, 4, 2), sizes);
        assertEquals(DATA.getFeatures().sumNumber().doubleValue(), sum, 1e-4);
        assertEquals(3, batches.numBatches());
    }

    @Test
    void orderChangesEachEpochAndRepeatsForTheSameSeed() {
        List<Double> first = firstColumn(new ShuffledBatches(DATA, 10, 1));
        ShuffledBatches again = new ShuffledBatches(DATA, 10, 1);
        assertEquals(first, firstColumn(again));
        again.reset();
        assertNotEquals(first, firstColumn(again));
    }

    @Test
    void theExamplesAreCopiedWhateverTheArraysLayoutTypeOrOffset() {
        int[] rows = {4, 0, 4, 2};
        INDArray whole = Nd4j.arange(0, 6 * 2 * 3).reshape('c', 6, 2, 3);
        INDArray expected = Nd4j.concat(0, whole.get(NDArrayIndex.point(4)), whole.get(NDArrayIndex.point(0)),
                whole.get(NDArrayIndex.point(4)), whole.get(NDArrayIndex.point(2))).reshape('c', 4, 2, 3);
        assertEquals(expected, ShuffledBatches.rowsOf(whole, rows));

        INDArray inLargerBuffer = Nd4j.arange(-6, 6 * 2 * 3).castTo(DataType.DOUBLE)
                .get(NDArrayIndex.interval(6, 6 + 36)).reshape('c', 6, 2, 3);
        assertTrue(inLargerBuffer.offset() > 0);
        assertEquals(expected.castTo(DataType.DOUBLE), ShuffledBatches.rowsOf(inLargerBuffer, rows));

        INDArray columnMajor = whole.dup('f');
        assertEquals(expected, ShuffledBatches.rowsOf(columnMajor, rows));
        assertEquals(expected.castTo(DataType.INT), ShuffledBatches.rowsOf(whole.castTo(DataType.INT), rows));
    }

    @Test
    void timeSeriesKeepTheirMasksRowForRow() {
        // Example i: features all i, mask of ones over its first i + 1 steps.
        INDArray features = Nd4j.zeros(4, 1, 5);
        INDArray labels = Nd4j.zeros(4, 2);
        INDArray mask = Nd4j.zeros(4, 5);
        for (int i = 0; i < 4; i++) {
            features.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all()).assign(i);
            labels.putScalar(i, i % 2, 1);
            mask.get(NDArrayIndex.point(i), NDArrayIndex.interval(0, i + 1)).assign(1);
        }
        DataSet batch = new ShuffledBatches(new DataSet(features, labels, mask, null), 4, 3).next();
        for (int row = 0; row < 4; row++) {
            int example = (int) batch.getFeatures().getDouble(row, 0, 0);
            assertEquals(example + 1, batch.getFeaturesMaskArray().getRow(row).sumNumber().intValue());
            assertEquals(example % 2, batch.getLabels().getRow(row).argMax().getInt(0));
        }
    }

    private static List<Double> firstColumn(ShuffledBatches batches) {
        DataSet all = batches.next();
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < all.numExamples(); i++) {
            values.add(all.getFeatures().getDouble(i, 0));
        }
        return values;
    }

    @Test
    void aBatchsNativeMemoryIsFreedWhenTheNextIsAskedForAndTheDataSetIsNeverTouched() {
        DataSet data = new DataSet(Nd4j.rand(20, 4), Nd4j.rand(20, 2));
        ShuffledBatches batches = new ShuffledBatches(data, 8, 1);
        List<INDArray> replaced = new ArrayList<>();
        batches.setPreProcessor(batch -> {
            replaced.add(batch.getFeatures());
            batch.setFeatures(batch.getFeatures().mul(2));
        });

        DataSet first = batches.next();
        assertTrue(replaced.get(0).wasClosed(), "the gathered features the pre-processor replaced are freed at once");
        assertFalse(first.getFeatures().wasClosed() || first.getLabels().wasClosed(), "the batch handed out lives on");
        DataSet second = batches.next();
        assertTrue(first.getFeatures().wasClosed() && first.getLabels().wasClosed(), "until the next is asked for");
        assertFalse(second.getFeatures().wasClosed());
        batches.reset();
        batches.next();
        assertFalse(data.getFeatures().wasClosed() || data.getLabels().wasClosed());
        assertEquals(20, data.getFeatures().rows());
    }
}
