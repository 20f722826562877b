package org.dl4jlabs.common.train;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The training loop every app uses: epochs of mini-batches with a progress display, a check that
 * the loss stays finite, and a score on held-out data after each epoch.
 */
public final class Trainer {

    /** Scores the network on held-out data after an epoch. */
    @FunctionalInterface
    public interface EpochScorer {
        EpochScore score(Network net);
    }

    /**
     * A network's score on held-out data.
     *
     * @param accuracy NaN for networks that are not classifiers
     */
    public record EpochScore(double loss, double accuracy) {
        public static EpochScore lossOnly(double loss) {
            return new EpochScore(loss, Double.NaN);
        }
    }

    /** What a finished training run measured. */
    public record Result(List<EpochStats> history, long examplesSeen, double trainSeconds) {
        public double examplesPerSecond() {
            return trainSeconds > 0 ? examplesSeen / trainSeconds : 0;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(Trainer.class);

    private final Network net;
    private final EpochScorer scorer;
    private final double lossSteps;

    public Trainer(Network net, EpochScorer scorer) {
        this(net, scorer, 1);
    }

    /**
     * @param lossSteps what each step's loss is divided by before it is shown and recorded: the time
     *                  steps of a truncated back-propagation segment, for a sequence loss that DL4J sums
     *                  over them, so that the training loss is per step like the held-out one
     */
    public Trainer(Network net, EpochScorer scorer, double lossSteps) {
        this.net = net;
        this.scorer = scorer;
        this.lossSteps = lossSteps;
    }

    /** Trains for {@code epochs} passes over {@code train}; the iterator is reset before each. */
    public Result fit(DataSetIterator train, int epochs) {
        List<EpochStats> history = new ArrayList<>();
        long examplesSeen = 0;
        double trainSeconds = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            train.reset();
            long start = System.nanoTime();
            double lossSum = 0;
            long examples = 0;
            int batch = 0;
            try (Progress progress = Progress.start("epoch " + epoch + "/" + epochs, countExamples(train))) {
                while (train.hasNext()) {
                    DataSet data = train.next();
                    batch++;
                    net.fit(data);
                    double loss = net.lastLoss() / lossSteps;
                    if (!Double.isFinite(loss)) {
                        throw new TrainingDivergedException(epoch, batch, loss);
                    }
                    int size = data.numExamples();
                    lossSum += loss * size;
                    examples += size;
                    progress.step(size, loss);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            trainSeconds += seconds;
            examplesSeen += examples;
            EpochScore test = scorer.score(net);
            EpochStats stats = new EpochStats(epoch, lossSum / examples, test.loss(), test.accuracy(), seconds);
            history.add(stats);
            log.info(describe(stats, epochs, examples / seconds));
        }
        return new Result(history, examplesSeen, trainSeconds);
    }

    private static String describe(EpochStats stats, int epochs, double examplesPerSecond) {
        String accuracy = Double.isNaN(stats.testAccuracy()) ? ""
                : String.format("  test accuracy %.2f%%", 100 * stats.testAccuracy());
        return String.format("epoch %d/%d  train loss %.4f  test loss %.4f%s  (%.1f s, %.0f examples/s)",
                stats.epoch(), epochs, stats.trainLoss(), stats.testLoss(), accuracy, stats.seconds(),
                examplesPerSecond);
    }

    private static long countExamples(DataSetIterator train) {
        return train instanceof ShuffledBatches batches ? batches.numExamples() : 0;
    }
}
