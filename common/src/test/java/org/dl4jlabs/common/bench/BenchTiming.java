package org.dl4jlabs.common.bench;

import java.util.Arrays;
import java.util.ServiceLoader;

/**
 * Times registered bench models the way {@code ./labs bench} reports them, from the command line
 * rather than as a unit test: after warm-up, the median of many steps.
 *
 * <pre>
 * mvn -q -o -pl common test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp common/target/classes:common/target/test-classes:$(cat /tmp/cp.txt) \
 *     org.dl4jlabs.common.bench.BenchTiming fmp fmp-96
 * </pre>
 */
public final class BenchTiming {

    private static final int WARMUP_STEPS = 50;
    private static final int TIMED_STEPS = 200;

    private BenchTiming() {
    }

    public static void main(String[] args) {
        for (String name : args) {
            BenchModel model = ServiceLoader.load(BenchModel.class).stream()
                    .map(ServiceLoader.Provider::get)
                    .filter(m -> m.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no bench model named " + name));
            Runnable step = model.prepare(12345);
            for (int i = 0; i < WARMUP_STEPS; i++) {
                step.run();
            }
            double[] millis = new double[TIMED_STEPS];
            for (int i = 0; i < TIMED_STEPS; i++) {
                long start = System.nanoTime();
                step.run();
                millis[i] = (System.nanoTime() - start) / 1e6;
            }
            Arrays.sort(millis);
            double median = millis[TIMED_STEPS / 2];
            System.out.printf("%-8s median %7.2f ms (min %.2f, p90 %.2f) %8.0f examples/s  %s%n", name, median,
                    millis[0], millis[TIMED_STEPS * 9 / 10], model.batchSize() / (median / 1e3), model.description());
        }
    }
}
