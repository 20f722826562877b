package org.dl4jlabs.common.train;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

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

    private static List<Double> firstColumn(ShuffledBatches batches) {
        DataSet all = batches.next();
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < all.numExamples(); i++) {
            values.add(all.getFeatures().getDouble(i, 0));
        }
        return values;
    }
}
