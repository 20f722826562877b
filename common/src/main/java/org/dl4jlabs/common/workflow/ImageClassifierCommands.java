package org.dl4jlabs.common.workflow;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.ImageClassData;
import org.dl4jlabs.common.data.ImageFiles;
import org.dl4jlabs.common.data.ImageShape;
import org.dl4jlabs.common.eval.ClassificationEvaluator;
import org.dl4jlabs.common.eval.ClassificationResult;
import org.dl4jlabs.common.eval.TestTimeAveraging;
import org.dl4jlabs.common.report.ClassificationSections;
import org.dl4jlabs.common.report.HtmlReport;
import org.dl4jlabs.common.report.ReportWriter;
import org.dl4jlabs.common.report.RunReport;
import org.dl4jlabs.common.train.ModelInfo;
import org.dl4jlabs.common.train.ModelStore;
import org.dl4jlabs.common.train.Network;
import org.dl4jlabs.common.train.Trainer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.Normalizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What {@code train}, {@code eval} and {@code predict} do for any app that classifies images:
 * the app brings the network and the data, this does the rest and writes the run's files.
 */
public final class ImageClassifierCommands {

    /** Misclassified test examples shown in the report. */
    static final int MISTAKES_SHOWN = 24;
    /** Examples per forward pass when evaluating, to bound memory. */
    static final int EVAL_BATCH = 512;

    private static final Logger log = LoggerFactory.getLogger(ImageClassifierCommands.class);

    private ImageClassifierCommands() {
    }

    /** Logs what was loaded and from where, in one line. */
    public static void describe(ImageClassData data) {
        log.info("data: {} ({} training, {} test examples) from {}", data.name(), data.train().numExamples(),
                data.test().numExamples(), data.source());
    }

    /**
     * Scores a network on {@code test} after each epoch: its loss and its accuracy, both from one
     * forward pass over the test set (the full evaluation, per class and with the mistakes, comes
     * once at the end).
     */
    public static Trainer.EpochScorer testScore(DataSet test, List<String> classNames) {
        if (test.getLabels().columns() != classNames.size()) {
            throw new LabsException("The test labels have " + test.getLabels().columns() + " columns but "
                    + classNames.size() + " classes were expected: labels must be one-hot rows.");
        }
        INDArray actual = Nd4j.argMax(test.getLabels(), 1);
        return net -> {
            INDArray probabilities = net.output(test.getFeatures(), EVAL_BATCH);
            double accuracy = Nd4j.argMax(probabilities, 1).eq(actual).castTo(DataType.DOUBLE).meanNumber()
                    .doubleValue();
            return new Trainer.EpochScore(net.loss(probabilities, test.getLabels(), test.getLabelsMaskArray()),
                    accuracy);
        };
    }

    /** Accuracy, precision, recall, F1 per class, the confusion matrix and the worst mistakes on {@code data}'s test set. */
    public static ClassificationResult evaluate(Network net, ImageClassData data) {
        return evaluate(net, data.test(), data.classNames(), 1);
    }

    /**
     * The same on {@code test} (normalized as the network was trained), with each prediction the
     * average of {@code testRepeats} forward passes ({@link TestTimeAveraging}); 1 for a plain pass.
     */
    public static ClassificationResult evaluate(Network net, DataSet test, List<String> classNames, int testRepeats) {
        return evaluate(net, test, classNames, testRepeats, EVAL_BATCH);
    }

    /** The same, {@code batch} examples per forward pass (fewer for large networks on large photos). */
    public static ClassificationResult evaluate(Network net, DataSet test, List<String> classNames, int testRepeats,
                                                int batch) {
        return evaluator(classNames).evaluate(predictor(net, testRepeats), test, batch);
    }

    /** What {@code eval} and {@code predict} need to know about a model trained on {@code data}. */
    public static ModelInfo modelInfo(RunContext run, ImageClassData data, Map<String, Object> config) {
        ImageShape shape = shapeOf(data);
        return new ModelInfo(run.app(), data.name(), data.classNames(),
                new long[]{shape.channels(), shape.height(), shape.width()}, config);
    }

    /**
     * Writes {@code report.json} and {@code report.html} of a training run: the options, the learning
     * curves, the test metrics and the mistakes. Returns the report.
     */
    public static RunReport report(RunContext run, ImageClassData data, Trainer.Result trained,
                                   ClassificationResult result, Map<String, Object> config) {
        return report(run, data, trained, result, config, null, 1, data.test());
    }

    /**
     * The same for a network evaluated with {@code testRepeats} passes per image on {@code test} (the
     * normalized test set): the report also sets the accuracy of one pass beside that of R, like the
     * "1 test" and "R tests" columns of Graham's paper.
     */
    public static RunReport report(RunContext run, ImageClassData data, Trainer.Result trained,
                                   ClassificationResult result, Map<String, Object> config, Network net,
                                   int testRepeats, DataSet test) {
        RunReport.Builder report = run.report()
                .dataset(data.name(), data.train().numExamples(), test.numExamples())
                .training(trained.history().size(), trained.trainSeconds())
                .history(trained.history())
                .metrics(result);
        config.forEach(report::config);
        TestTimeAveraging.Accuracy averaging = averaging(net, testRepeats, test, report, result);
        RunReport built = report.build();
        writeReport(run, built, result, trained, data.test(), shapeOf(data), averaging);
        log.info("test accuracy {} on {}{} (macro F1 {})", percent(result.accuracy()), data.name(),
                passes(testRepeats), String.format("%.4f", result.f1()));
        return built;
    }

    /** Scores a saved model (loaded from {@code modelFile}) on {@code data}'s test set and writes the report files. */
    public static RunReport eval(RunContext run, ModelStore.Loaded model, Path modelFile, ImageClassData data,
                                 int batch) {
        return eval(run, model, modelFile, data, batch, 1);
    }

    /**
     * Scores a saved model on {@code data}'s test set, through the normalizer saved with it, averaging
     * {@code testRepeats} passes per example; writes the report files. The model is loaded by the
     * caller before the data, so a wrong model file is refused before the data is read.
     */
    public static RunReport eval(RunContext run, ModelStore.Loaded model, Path modelFile, ImageClassData data,
                                 int batch, int testRepeats) {
        checkCompatible(model.info(), data, modelFile);
        DataSet test = model.normalizer() == null ? data.test() : normalized(data.test(), model.normalizer());
        ClassificationResult result = evaluator(data.classNames())
                .evaluate(predictor(model.network(), testRepeats), test, batch);
        RunReport.Builder report = run.report()
                .dataset(data.name(), 0, data.test().numExamples())
                .metrics(result)
                .config("model", modelFile.toAbsolutePath().toString())
                .config("trained_on", model.info().dataset());
        TestTimeAveraging.Accuracy averaging = averaging(model.network(), testRepeats, test, report, result);
        RunReport built = report.build();
        writeReport(run, built, result, null, data.test(), shapeOf(data), averaging);
        log.info("test accuracy {} on {}{} ({} examples)", percent(result.accuracy()), data.name(),
                passes(testRepeats), data.test().numExamples());
        return built;
    }

    /** Prints the predicted class and every class's probability for each image. */
    public static void predict(String app, Path modelFile, List<Path> images, PrintStream out) {
        predict(app, modelFile, images, out, 1);
    }

    /**
     * Prints the predicted class and every class's probability for each image, through the normalizer
     * saved with the model, averaging {@code testRepeats} passes.
     */
    public static void predict(String app, Path modelFile, List<Path> images, PrintStream out, int testRepeats) {
        ModelStore.Loaded model = ModelStore.load(modelFile, app);
        Function<INDArray, INDArray> network = predictor(model.network(), testRepeats);
        long[] shape = model.info().inputShape();
        ImageShape expected = new ImageShape((int) shape[1], (int) shape[2], (int) shape[0]);
        List<String> classes = model.info().classNames();
        for (Path image : images) {
            INDArray features = ImageFiles.read(image, expected);
            if (model.normalizer() instanceof DataNormalization normalizer) {
                normalizer.transform(features);
            }
            INDArray probabilities = network.apply(features);
            int best = probabilities.argMax(1).getInt(0);
            StringBuilder line = new StringBuilder(String.format("%s: %s (%.1f%%)  ", image, classes.get(best),
                    100 * probabilities.getDouble(0, best)));
            for (int c = 0; c < classes.size(); c++) {
                line.append(String.format(" %s=%.3f", classes.get(c), probabilities.getDouble(0, c)));
            }
            out.println(line);
        }
    }

    private static void writeReport(RunContext run, RunReport report, ClassificationResult result,
                                    Trainer.Result trained, DataSet test, ImageShape shape,
                                    TestTimeAveraging.Accuracy averaging) {
        HtmlReport page = new HtmlReport(report);
        if (averaging != null) {
            page.addTable("Test-time averaging", List.of("passes per image", "test accuracy"), List.of(
                    List.of(1, percent(averaging.onePass())),
                    List.of(averaging.repeats(), percent(averaging.averaged()))));
        }
        ClassificationSections.addAll(page, result, trained == null ? List.of() : trained.history(),
                test.getFeatures(), shape);
        ReportWriter.write(run.out(), report, page);
    }

    private static Function<INDArray, INDArray> predictor(Network net, int testRepeats) {
        return testRepeats == 1 ? net::output : new TestTimeAveraging(net.model(), testRepeats);
    }

    /**
     * With R > 1, the accuracy of one pass and of R passes averaged, like the "1 test" and "R tests"
     * columns of Graham's paper, recorded in the report as {@code test_time_averaging}; else null. The
     * averaged figure is {@code result}'s, so a run states one; one pass is scored beside it, a single
     * draw of the network's randomness.
     */
    private static TestTimeAveraging.Accuracy averaging(Network net, int testRepeats, DataSet test,
                                                        RunReport.Builder report, ClassificationResult result) {
        if (testRepeats == 1) {
            return null;
        }
        ClassificationResult onePass = evaluator(result.classNames()).evaluate(net::output, test, EVAL_BATCH);
        TestTimeAveraging.Accuracy accuracy = new TestTimeAveraging.Accuracy(result.examples(), onePass.accuracy(),
                result.accuracy(), testRepeats);
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("repeats", testRepeats);
        table.put("accuracy_one_pass", accuracy.onePass());
        table.put("accuracy_averaged", accuracy.averaged());
        report.extra("test_time_averaging", table);
        log.info("test-time averaging: {}", accuracy);
        return accuracy;
    }

    private static String passes(int testRepeats) {
        return testRepeats == 1 ? "" : ", each prediction averaged over " + testRepeats + " passes";
    }

    /** A normalized copy; the original stays as it was (reports show its images). */
    public static DataSet normalized(DataSet data, Normalizer<?> normalizer) {
        DataSet copy = data.copy();
        ((DataNormalization) normalizer).transform(copy);
        return copy;
    }

    private static void checkCompatible(ModelInfo info, ImageClassData data, Path modelFile) {
        long[] dataShape = {data.channels(), data.height(), data.width()};
        if (!Arrays.equals(info.inputShape(), dataShape) || !info.classNames().equals(data.classNames())) {
            throw new LabsException(modelFile + " was trained on " + info.dataset() + " with inputs "
                    + Arrays.toString(info.inputShape()) + " and classes " + info.classNames()
                    + "; it cannot be evaluated on " + data.name() + " " + Arrays.toString(dataShape));
        }
    }

    private static ClassificationEvaluator evaluator(List<String> classNames) {
        return new ClassificationEvaluator(classNames, MISTAKES_SHOWN);
    }

    private static ImageShape shapeOf(ImageClassData data) {
        return new ImageShape(data.height(), data.width(), data.channels());
    }

    private static String percent(double fraction) {
        return String.format("%.2f%%", 100 * fraction);
    }
}
