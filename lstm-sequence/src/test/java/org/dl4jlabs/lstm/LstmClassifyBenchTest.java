package org.dl4jlabs.lstm;

import org.dl4jlabs.common.bench.Bench;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LstmClassifyBenchTest {

    @Test
    void isRegisteredAndRunsATrainingStep() {
        var model = Bench.available().get("lstm-classify");
        assertEquals(64, model.batchSize());
        Bench.Result result = Bench.run(model, 1, 0, 2, 1);
        assertTrue(result.examplesPerSecond() > 0);
    }
}
