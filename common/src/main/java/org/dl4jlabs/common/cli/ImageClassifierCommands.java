package org.dl4jlabs.common.cli;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.ImageClassData;
import org.dl4jlabs.common.data.ImageFiles;
import org.dl4jlabs.common.eval.ClassificationEvaluator;
import org.dl4jlabs.common.eval.ClassificationResult;
import org.dl4jlabs.common.report.ClassificationSections;
import org.dl4jlabs.common.report.HtmlReport;
import org.dl4jlabs.common.report.ImageShape;
import org.dl4jlabs.common.report.ReportWriter;
import org.dl4jlabs.common.report.RunReport;
import org.dl4jlabs.common.train.ModelInfo;
import org.dl4jlabs.common.train.ModelStore;
import org.dl4jlabs.common.train.Network;
import org.dl4jlabs.common.train.ShuffledBatches;
import org.dl4jlabs.common.train.Trainer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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

    /**
     * Trains {@code net} on {@code data}, then writes {@code model.zip}, {@code report.json} and
     * {@code report.html} into the run's directory. Returns the report.
     */
    public static RunReport train(RunContext run, ImageClassData data, Network net, Map<String, Object> config,
                                  int epochs, int batch) {
        log.info("data: {} ({} training, {} test examples) from {}", data.name(), data.train().numExamples(),
                data.test().numExamples(), data.source());
        log.info("network: {} parameters", net.numParams());
        log.debug("{}", net.summary());

        DataSet test = data.test();
        Trainer trainer = new Trainer(net, n -> new double[]{n.loss(test),
                evaluator(data.classNames()).evaluate(n::output, test, EVAL_BATCH).accuracy()});
        Trainer.Result trained = trainer.fit(new ShuffledBatches(data.train(), batch, run.seed()), epochs);

        ClassificationResult result = evaluator(data.classNames()).evaluate(net::output, test, EVAL_BATCH);
        ImageShape shape = shapeOf(data);
        ModelStore.save(net, new ModelInfo(run.app(), data.name(), data.classNames(),
                new long[]{shape.channels(), shape.height(), shape.width()}, config), null, run.out().resolve("model.zip"));

        RunReport.Builder report = RunReport.builder(run.app(), run.command())
                .dataset(data.name(), data.train().numExamples(), test.numExamples())
                .training(epochs, trained.trainSeconds())
                .history(trained.history())
                .metrics(result)
                .backend(run.backend())
                .seed(run.seed());
        config.forEach(report::config);
        RunReport built = report.build();
        writeReport(run, built, result, trained, test, shape);
        log.info("test accuracy {} on {} (macro F1 {}); model, report.json and report.html in {}",
                percent(result.accuracy()), data.name(), String.format("%.4f", result.f1()), run.out());
        return built;
    }

    /** Scores a saved model on {@code data}'s test set and writes the report files. */
    public static RunReport eval(RunContext run, Path modelFile, ImageClassData data, int batch) {
        ModelStore.Loaded model = ModelStore.load(modelFile, run.app());
        checkCompatible(model.info(), data, modelFile);
        ClassificationResult result = evaluator(data.classNames())
                .evaluate(model.network()::output, data.test(), batch);
        RunReport.Builder report = RunReport.builder(run.app(), run.command())
                .dataset(data.name(), 0, data.test().numExamples())
                .metrics(result)
                .backend(run.backend())
                .seed(run.seed())
                .config("model", modelFile.toAbsolutePath().toString())
                .config("trained_on", model.info().dataset());
        RunReport built = report.build();
        writeReport(run, built, result, null, data.test(), shapeOf(data));
        log.info("test accuracy {} on {} ({} examples); report in {}", percent(result.accuracy()), data.name(),
                data.test().numExamples(), run.out());
        return built;
    }

    /** Prints the predicted class and every class's probability for each image. */
    public static void predict(String app, Path modelFile, List<Path> images, PrintStream out) {
        ModelStore.Loaded model = ModelStore.load(modelFile, app);
        long[] shape = model.info().inputShape();
        ImageShape expected = new ImageShape((int) shape[1], (int) shape[2], (int) shape[0]);
        List<String> classes = model.info().classNames();
        for (Path image : images) {
            INDArray probabilities = model.network().output(ImageFiles.read(image, expected));
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
                                    Trainer.Result trained, DataSet test, ImageShape shape) {
        HtmlReport page = new HtmlReport(report);
        ClassificationSections.addAll(page, result, trained == null ? List.of() : trained.history(),
                test.getFeatures(), shape);
        ReportWriter.write(run.out(), report, page);
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
