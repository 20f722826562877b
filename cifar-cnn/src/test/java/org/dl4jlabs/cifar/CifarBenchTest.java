package org.dl4jlabs.cifar;

import org.dl4jlabs.common.bench.Bench;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class CifarBenchTest {

    @Test
    void everyModelIsRegisteredAndRuns() {
        for (String name : new String[]{"cifar-resnet", "cifar-standard", "cifar-fmp"}) {
            var model = Bench.available().get(name);
            assertTrue(model != null, name + " registered");
            Bench.Result result = Bench.run(model, 1, 0, 1, 42);
            assertTrue(result.examplesPerSecond() > 0, name);
        }
    }
}
