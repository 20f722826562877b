package org.dl4jlabs.common.bench;

/**
 * A workload that {@code ./labs bench --model NAME} can time. Implementations are found with
 * {@link java.util.ServiceLoader}: list them in {@code META-INF/services/org.dl4jlabs.common.bench.BenchModel}.
 */
public interface BenchModel {

    /** The name given to {@code --model}. */
    String name();

    /** One line for {@code --help}: the network and its batch size. */
    String description();

    /** Examples processed by one step; examples per second = batchSize / seconds per step. */
    int batchSize();

    /**
     * Builds the network and one batch of random data of the right shape, and returns one
     * training step on that batch (forward, backward, update). Called once; the step is then
     * run repeatedly, first to warm up, then timed.
     */
    Runnable prepare(long seed);
}
