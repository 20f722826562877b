package org.dl4jlabs.common.bench;

import org.dl4jlabs.common.backend.Backend;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchTest {

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, Bench.median(new double[]{3, 1, 2}));
        assertEquals(2.5, Bench.median(new double[]{4, 1, 3, 2}));
    }

    /** A benchmark whose step is {@code step}. */
    private static BenchModel model(int batch, Runnable step) {
        return new BenchModel() {
            public String name() { return "test"; }
            public String description() { return "a test step"; }
            public int batchSize() { return batch; }
            public Runnable prepare(long seed) { return step; }
        };
    }

    @Test
    void runsWarmupThenTimedStepsAndReportsExamplesPerSecond() {
        AtomicInteger steps = new AtomicInteger();
        Bench.Result result = Bench.run(model(10, steps::incrementAndGet), 2, 0, 5, 1);
        assertEquals(7, steps.get());
        assertTrue(result.examplesPerSecond() > 0);
        assertEquals(10, result.batch());
    }

    @Test
    void warmsUpForTheGivenTimeButNeverPastTheStepCap() {
        AtomicInteger steps = new AtomicInteger();
        Bench.run(model(1, () -> {
            steps.incrementAndGet();
            long end = System.nanoTime() + 5_000_000;
            while (System.nanoTime() < end) {
                Thread.onSpinWait(); // at least 5 ms a step, however busy the machine
            }
        }), 2, 0.2, 1, 1);
        assertTrue(steps.get() > 3 && steps.get() <= 42, "up to 0.2 s of 5 ms steps, then one timed: " + steps.get());

        steps.set(0);
        Bench.run(model(1, steps::incrementAndGet), 2, 600, 3, 1);
        assertEquals(Bench.MAX_TIMED_WARMUP_STEPS + 3, steps.get());
    }

    @Test
    void leNetIsRegisteredAndTrains() {
        Backend.init(0);
        BenchModel lenet = Bench.available().get("lenet");
        Bench.Result result = Bench.run(lenet, 0, 0, 1, 1);
        assertEquals(64, result.batch());
        assertTrue(result.examplesPerSecond() > 0);
    }
}
