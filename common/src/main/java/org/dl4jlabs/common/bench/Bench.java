package org.dl4jlabs.common.bench;

import org.deeplearning4j.nn.api.Model;
import org.dl4jlabs.common.train.Network;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Random;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Times {@link BenchModel}s: the median of timed steps after warm-up steps. */
public final class Bench {

    /** One model's figure. */
    public record Result(String model, int batch, double medianSeconds, double examplesPerSecond) {
    }

    private Bench() {
    }

    /** Every benchmark on the classpath, by name. */
    public static TreeMap<String, BenchModel> available() {
        return ServiceLoader.load(BenchModel.class).stream()
                .map(ServiceLoader.Provider::get)
                .collect(Collectors.toMap(BenchModel::name, m -> m, (a, b) -> a, TreeMap::new));
    }

    /**
     * The most warm-up steps the time rule adds: on the benchmarks' random data some of the MLP's
     * ReLU units die, and from about step 700 their Adam moments are denormal and slow.
     */
    static final int MAX_TIMED_WARMUP_STEPS = 400;

    /**
     * Runs {@code warmupSteps} untimed steps, and more (up to {@link #MAX_TIMED_WARMUP_STEPS}) until
     * {@code warmupSeconds} have passed, so the JIT has compiled the Java hot loops (the suite's
     * fast layers and FastAdam run on the JVM) before timing; then times {@code iterations} steps.
     */
    public static Result run(BenchModel model, int warmupSteps, double warmupSeconds, int iterations, long seed) {
        Runnable step = model.prepare(seed);
        long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        for (int i = 0; i < warmupSteps || (i < MAX_TIMED_WARMUP_STEPS && System.nanoTime() < warmupEnd); i++) {
            step.run();
        }
        double[] seconds = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            step.run();
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        double median = median(seconds);
        return new Result(model.name(), model.batchSize(), median, model.batchSize() / median);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /**
     * A training step of {@code net} on random data: features uniform in [0, 1) of
     * {@code featureShape}, labels one-hot over {@code classes}.
     */
    public static Runnable trainingStep(Model model, long[] featureShape, int classes, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray features = Nd4j.rand(DataType.FLOAT, featureShape);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, featureShape[0], classes);
        Random random = new Random(seed);
        for (int i = 0; i < featureShape[0]; i++) {
            labels.putScalar(i, random.nextInt(classes), 1);
        }
        Network net = Network.of(model);
        DataSet batch = new DataSet(features, labels);
        return () -> net.fit(batch);
    }

    /** The names, for messages. */
    public static String names() {
        return String.join(", ", List.copyOf(available().keySet()));
    }
}
