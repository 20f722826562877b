package org.dl4jlabs.lstm;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.ImageShape;
import org.dl4jlabs.common.eval.ClassificationEvaluator;
import org.dl4jlabs.common.eval.ClassificationResult;
import org.dl4jlabs.common.layers.fast.FastLayers;
import org.dl4jlabs.common.report.ClassificationSections;
import org.dl4jlabs.common.report.HtmlReport;
import org.dl4jlabs.common.report.ReportWriter;
import org.dl4jlabs.common.report.RunReport;
import org.dl4jlabs.common.report.Settings;
import org.dl4jlabs.common.train.EpochStats;
import org.dl4jlabs.common.train.ModelInfo;
import org.dl4jlabs.common.train.LearningRateDecay;
import org.dl4jlabs.common.train.ModelStore;
import org.dl4jlabs.common.train.Network;
import org.dl4jlabs.common.train.ShuffledBatches;
import org.dl4jlabs.common.train.Trainer;
import org.dl4jlabs.common.workflow.RunContext;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/** {@code --task classify}: which of six control chart patterns a series shows. */
final class ClassifyTask {

    static final String TASK = "classify";
    static final double TEST_FRACTION = 0.2;
    /** Fewer steps than this leave no pattern to see. */
    static final int MIN_STEPS = 2;

    private static final Logger log = LoggerFactory.getLogger(ClassifyTask.class);

    private ClassifyTask() {
    }

    /**
     * Trains a classifier and writes model.zip (with its normalizer), report.json and report.html.
     *
     * @param minLength when positive, each series is cut to a random length between this and its full
     *                  length, to practise masking; 0 keeps the series whole
     */
    static RunReport train(RunContext run, ControlChartData.Loaded data, LstmModel.Options options, int minLength,
                           double lrDecay, int epochs, int batch) {
        List<String> classes = ControlChart.names();
        List<LabelledSeries> series = minLength > 0 ? truncateAtRandom(data.series(), minLength, run.seed())
                : data.series();
        SequenceDataSets.Split split = SequenceDataSets.stratifiedSplit(series, TEST_FRACTION, run.seed());
        DataSet train = SequenceDataSets.toDataSet(split.train(), classes.size());
        DataSet test = SequenceDataSets.toDataSet(split.test(), classes.size());
        DataNormalization normalizer = new NormalizerStandardize();
        normalizer.fit(train);
        normalizer.preProcess(train);
        normalizer.preProcess(test);
        log.info("data: {} ({} training, {} test series)", data.name(), train.numExamples(), test.numExamples());

        Network net = Network.of(FastLayers.acceleratedNetwork(LearningRateDecay.apply(
                LstmModel.classifier(options, 1, classes.size(), run.seed()), lrDecay,
                ShuffledBatches.batchesPerEpoch(train.numExamples(), batch))));
        run.printSummary(net);
        Trainer trainer = new Trainer(net, n -> new Trainer.EpochScore(n.loss(test), SequenceClassifier.accuracy(n, test)));
        Trainer.Result trained = trainer.fit(new ShuffledBatches(train, batch, run.seed()), epochs);

        INDArray probabilities = SequenceClassifier.probabilities(net, test);
        ClassificationResult result = evaluate(probabilities, test.getLabels());
        Map<String, Object> config = Settings.toMap(new SplitSettings(TASK, minLength), options);
        ModelStore.save(net, new ModelInfo(run.app(), data.name(), classes, new long[]{1, longest(series)}, config),
                normalizer, run.out().resolve(ModelStore.FILE_NAME));

        RunReport.Builder builder = run.report()
                .dataset(data.name(), train.numExamples(), test.numExamples())
                .training(epochs, trained.trainSeconds())
                .history(trained.history());
        config.forEach(builder::config);
        return writeReport(run, builder, data.name(), result, trained.history(), split.test(), probabilities, test);
    }

    /**
     * Scores a saved classify model on the held-out series of {@code data}: the same split as
     * training when the data, {@code --per-class} and seed are the same as then.
     */
    static RunReport eval(RunContext run, ModelStore.Loaded model, ControlChartData.Loaded data) {
        Map<String, Object> config = model.info().config();
        SplitSettings saved = Settings.fromMap(config, SplitSettings.class, "the model");
        if (!TASK.equals(saved.task())) {
            throw new LabsException("eval scores classify models, but this model was trained for --task "
                    + saved.task());
        }
        int minLength = saved.minLength();
        List<LabelledSeries> series = minLength > 0 ? truncateAtRandom(data.series(), minLength, run.seed())
                : data.series();
        List<LabelledSeries> testSeries = SequenceDataSets.stratifiedSplit(series, TEST_FRACTION, run.seed()).test();
        DataSet test = SequenceDataSets.toDataSet(testSeries, model.info().classNames().size());
        if (model.normalizer() instanceof DataNormalization normalizer) {
            normalizer.preProcess(test);
        }
        INDArray probabilities = SequenceClassifier.probabilities(model.network(), test);
        ClassificationResult result = evaluate(probabilities, test.getLabels());
        RunReport.Builder builder = run.report()
                .dataset(data.name(), 0, test.numExamples())
                .config("trained_on", model.info().dataset());
        config.forEach(builder::config);
        return writeReport(run, builder, data.name(), result, List.of(), testSeries, probabilities, test);
    }

    private static RunReport writeReport(RunContext run, RunReport.Builder builder, String dataName,
                                         ClassificationResult result, List<EpochStats> history,
                                         List<LabelledSeries> testSeries, INDArray probabilities, DataSet test) {
        RunReport report = builder.metrics(result).build();
        HtmlReport page = new HtmlReport(report);
        page.addGallery("One test series per class", SeriesCharts.onePerClass(testSeries,
                probabilities.toDoubleMatrix(), ControlChart.names()), "The raw series (before standardizing), its "
                + "true class and the model's answer with the probability it gave it.");
        ClassificationSections.addAll(page, result, history, test.getFeatures(),
                new ImageShape(1, (int) test.getFeatures().size(2), 1));
        ReportWriter.write(run.out(), report, page);
        log.info("test accuracy {} on {} (macro F1 {})",
                String.format("%.2f%%", 100 * result.accuracy()), dataName, String.format("%.4f", result.f1()));
        return report;
    }

    /** Prints the predicted class and every class's probability for each series of {@code file}. */
    static void predict(ModelStore.Loaded model, Path file, PrintStream out) {
        String task = LstmSequenceApp.ModelTask.of(model);
        if (!TASK.equals(task)) {
            throw new LabsException("predict classifies series, but this model was trained for --task " + task
                    + (GenerateTask.TASK.equals(task) ? "; write text with it using the sample command" : ""));
        }
        List<String> classes = model.info().classNames();
        List<LabelledSeries> series = new ArrayList<>();
        for (double[] values : ControlChartFile.readSeries(file)) {
            if (values.length < MIN_STEPS) {
                throw new LabsException(file + ": a series of " + values.length + " step is too short to classify");
            }
            series.add(new LabelledSeries(values, 0));
        }
        DataSet data = SequenceDataSets.toDataSet(series, classes.size());
        if (model.normalizer() instanceof DataNormalization normalizer) {
            normalizer.preProcess(data);
        }
        double[][] probabilities = SequenceClassifier.probabilities(model.network(), data).toDoubleMatrix();
        for (int i = 0; i < probabilities.length; i++) {
            int best = SeriesCharts.argMax(probabilities[i]);
            StringBuilder line = new StringBuilder(String.format("series %d: %s (%.1f%%) ", i + 1, classes.get(best),
                    100 * probabilities[i][best]));
            for (int c = 0; c < classes.size(); c++) {
                line.append(String.format(" %s=%.3f", classes.get(c).replace(' ', '-'), probabilities[i][c]));
            }
            out.println(line);
        }
    }

    /** Each series cut to a length drawn uniformly from [minLength, its length]. */
    static List<LabelledSeries> truncateAtRandom(List<LabelledSeries> series, int minLength, long seed) {
        Random random = new Random(seed);
        List<LabelledSeries> cut = new ArrayList<>(series.size());
        for (LabelledSeries s : series) {
            int length = s.values().length;
            if (minLength > length) {
                throw new LabsException("--min-length " + minLength + " is longer than the series (" + length
                        + " steps)");
            }
            cut.add(s.truncated(minLength + random.nextInt(length - minLength + 1)));
        }
        return cut;
    }

    private static ClassificationResult evaluate(INDArray probabilities, INDArray labels) {
        // The probabilities were computed with the masks; the evaluator only scores them.
        return new ClassificationEvaluator(ControlChart.names(), 0)
                .evaluate(Function.identity(), new DataSet(probabilities, labels), probabilities.rows());
    }

    private static long longest(List<LabelledSeries> series) {
        return series.stream().mapToInt(s -> s.values().length).max().orElse(0);
    }

    /** What eval needs to rebuild the test split: the task, and how series were cut (0: not at all). */
    record SplitSettings(String task, int minLength) {
    }
}
