package org.dl4jlabs.common.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FractionalMaxPoolingBenchTest {

    @Test
    void bothShapesAreRegisteredAndRunInTheirWorkspace() {
        for (String name : new String[] {"fmp", "fmp-96"}) {
            BenchModel model = Bench.available().get(name);
            assertEquals(64, model.batchSize(), name);
            Bench.Result result = Bench.run(model, 1, 0, 2, 1);
            assertTrue(result.examplesPerSecond() > 0, name);
        }
    }
}
