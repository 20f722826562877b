package org.dl4jlabs.common.report;

import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.backend.BackendInfo;
import org.dl4jlabs.common.backend.PeakMemory;
import org.dl4jlabs.common.eval.ClassificationResult;
import org.dl4jlabs.common.eval.ClassificationResult.ClassMetrics;
import org.dl4jlabs.common.io.IoErrors;
import org.dl4jlabs.common.train.EpochStats;

/**
 * What one run did and how well, as written to {@code report.json}. The JSON keys are the
 * snake_case forms of the component names ({@code examples_train}, {@code per_class}, ...) and are
 * part of the labs' interface: graders and notebooks read them, so rename nothing.
 *
 * <p>Numbers that do not exist, such as the test accuracy of a regression model, are written as
 * {@code null} (JSON has no NaN) and read back as NaN.
 *
 * @param app               the app that ran, e.g. {@code mnist-mlp}
 * @param command           the subcommand, e.g. {@code train}
 * @param dataset           the data actually used, which may differ from the one asked for
 * @param examplesTrain     number of training examples
 * @param examplesTest      number of test examples
 * @param epochs            epochs trained
 * @param metrics           a classifier's test metrics; {@code null} (and left out) for other models
 * @param trainSeconds      wall-clock seconds spent training
 * @param examplesPerSecond training throughput: examples seen per second of training
 * @param backend           what ND4J ran on
 * @param seed              the random seed
 * @param history           one entry per epoch
 * @param config            the app's options as given, e.g. hidden sizes and learning rate
 * @param created           when the report was made, ISO-8601 with offset
 * @param extra             any further results, e.g. a table as a list of row objects
 *                          ({@code [{"noise": 0.1, "psnr": 21.4}, ...]}), which loads straight into pandas
 */
public record RunReport(
        String app,
        String command,
        String dataset,
        long examplesTrain,
        long examplesTest,
        int epochs,
        ClassifierMetrics metrics,
        double trainSeconds,
        double examplesPerSecond,
        Backend backend,
        long seed,
        List<EpochStats> history,
        Map<String, Object> config,
        String created,
        Map<String, Object> extra) {

    public RunReport {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(created, "created");
        history = List.copyOf(history);
        config = ordered(config);
        extra = ordered(extra);
    }

    /** Keeps the insertion order, so the report lists options the way the app declared them. */
    private static Map<String, Object> ordered(Map<String, Object> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /**
     * A classifier's test metrics; precision, recall and F1 are macro averages, defined as in
     * {@link ClassificationResult}.
     *
     * @param top5Accuracy    {@code null} (and left out) with 5 classes or fewer
     * @param confusionMatrix rows = true class, columns = predicted class, in {@code perClass} order
     */
    public record ClassifierMetrics(double accuracy, double precision, double recall, double f1,
                                    Double top5Accuracy, List<ClassMetrics> perClass, int[][] confusionMatrix) {

        public static ClassifierMetrics of(ClassificationResult result) {
            Double top5 = result.top5Accuracy().isPresent() ? result.top5Accuracy().getAsDouble() : null;
            return new ClassifierMetrics(result.accuracy(), result.precision(), result.recall(), result.f1(),
                    top5, result.perClass(), result.confusionMatrix());
        }
    }

    /** {@link BackendInfo} under the report's key names. */
    public record Backend(String type, boolean onednn, int threads) {

        public static Backend of(BackendInfo info) {
            return new Backend(info.backend(), info.onednn(), info.threads());
        }

        @Override
        public String toString() {
            return new BackendInfo(type, onednn, threads).toString();
        }
    }

    public static Builder builder(String app, String command) {
        return new Builder(app, command);
    }

    /** The report as pretty-printed JSON. */
    public String toJson() {
        return ReportJson.write(this);
    }

    /** Reads a {@code report.json}, e.g. to compare runs. */
    public static RunReport read(Path file) {
        try {
            return ReportJson.read(file);
        } catch (IOException e) {
            throw new LabsException("Cannot read the run report " + file + ": " + IoErrors.reason(e), e);
        }
    }

    /**
     * Collects a report's parts as the run produces them. Required: {@link #dataset} and
     * {@link #backend}; everything else defaults to zero or empty.
     */
    public static final class Builder {
        private final String app;
        private final String command;
        private String dataset;
        private long examplesTrain;
        private long examplesTest;
        private int epochs;
        private double trainSeconds;
        private ClassifierMetrics metrics;
        private BackendInfo backend;
        private long seed;
        private List<EpochStats> history = List.of();
        private final Map<String, Object> config = new LinkedHashMap<>();
        private final Map<String, Object> extra = new LinkedHashMap<>();

        private Builder(String app, String command) {
            this.app = app;
            this.command = command;
        }

        /** @param name the data actually loaded, e.g. "MNIST" or "synthetic (MNIST not found)" */
        public Builder dataset(String name, long examplesTrain, long examplesTest) {
            this.dataset = name;
            this.examplesTrain = examplesTrain;
            this.examplesTest = examplesTest;
            return this;
        }

        /** Throughput is derived from these: training examples times epochs over seconds. */
        public Builder training(int epochs, double trainSeconds) {
            this.epochs = epochs;
            this.trainSeconds = trainSeconds;
            return this;
        }

        public Builder history(List<EpochStats> history) {
            this.history = history;
            return this;
        }

        public Builder metrics(ClassificationResult result) {
            this.metrics = ClassifierMetrics.of(result);
            return this;
        }

        public Builder backend(BackendInfo backend) {
            this.backend = backend;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Records one of the app's options; call once per option, in the order to show them. */
        public Builder config(String option, Object value) {
            config.put(option, value);
            return this;
        }

        /** Adds a result outside {@code metrics}; any value Jackson can write. */
        public Builder extra(String name, Object value) {
            extra.put(name, value);
            return this;
        }

        public RunReport build() {
            Objects.requireNonNull(dataset, "dataset(...) was not set");
            Objects.requireNonNull(backend, "backend(...) was not set");
            double examplesPerSecond = trainSeconds > 0 ? examplesTrain * (double) epochs / trainSeconds : 0;
            String created = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
            extra.putIfAbsent("peak_memory", PeakMemory.now().toMap());
            return new RunReport(app, command, dataset, examplesTrain, examplesTest, epochs, metrics, trainSeconds,
                    examplesPerSecond, Backend.of(backend), seed, history, config, created, extra);
        }
    }
}
