package org.dl4jlabs.autoencoder;

import org.dl4jlabs.common.bench.Bench;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutoencoderBenchTest {

    @Test
    void bothAutoencodersAreRegisteredAndRun() {
        for (String name : new String[]{"dae-dense", "dae-conv"}) {
            assertTrue(Bench.available().containsKey(name), Bench.names());
            Bench.Result result = Bench.run(Bench.available().get(name), 1, 0, 1, 3);
            assertEquals(128, result.batch());
            assertTrue(result.examplesPerSecond() > 0);
        }
    }
}
