package org.dl4jlabs.common.bench;

import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A network that {@code ./labs bench --model NAME} can time. Implementations are found with
 * {@link java.util.ServiceLoader}: list them in {@code META-INF/services/org.dl4jlabs.common.bench.BenchModel}.
 */
public interface BenchModel {

    /** The name given to {@code --model}. */
    String name();

    /** One line for {@code --help}: the network and its batch size. */
    String description();

    /** Examples per training step. */
    int batchSize();

    /** A freshly initialised network ({@code MultiLayerNetwork} or {@code ComputationGraph}). */
    Model build(long seed);

    /** One batch of random data of the right shape for {@link #build}. */
    DataSet randomBatch(long seed);
}
