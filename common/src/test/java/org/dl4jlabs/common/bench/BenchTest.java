package org.dl4jlabs.common.bench;

import org.dl4jlabs.common.backend.Backend;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchTest {

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, Bench.median(new double[]{3, 1, 2}));
        assertEquals(2.5, Bench.median(new double[]{4, 1, 3, 2}));
    }

    @Test
    void runsWarmupThenTimedStepsAndReportsExamplesPerSecond() {
        AtomicInteger steps = new AtomicInteger();
        BenchModel counting = new BenchModel() {
            public String name() { return "counting"; }
            public String description() { return "counts"; }
            public int batchSize() { return 10; }
            public Runnable prepare(long seed) { return steps::incrementAndGet; }
        };
        Bench.Result result = Bench.run(counting, 2, 0, 5, 1);
        assertEquals(7, steps.get());
        assertTrue(result.examplesPerSecond() > 0);
        assertEquals(10, result.batch());
    }

    @Test
    void warmsUpForTheGivenTimeButNeverPastTheStepCap() {
        AtomicInteger steps = new AtomicInteger();
        BenchModel sleeping = new BenchModel() {
            public String name() { return "sleeping"; }
            public String description() { return "sleeps 5 ms"; }
            public int batchSize() { return 1; }
            public Runnable prepare(long seed) {
                return () -> {
                    steps.incrementAndGet();
                    LockSupport.parkNanos(5_000_000);
                };
            }
        };
        Bench.run(sleeping, 2, 0.2, 1, 1);
        assertTrue(steps.get() > 10 && steps.get() <= 42, "about 0.2 s of 5 ms steps, then one timed: " + steps.get());

        steps.set(0);
        BenchModel counting = new BenchModel() {
            public String name() { return "counting"; }
            public String description() { return "counts"; }
            public int batchSize() { return 1; }
            public Runnable prepare(long seed) { return steps::incrementAndGet; }
        };
        Bench.run(counting, 2, 600, 3, 1);
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
