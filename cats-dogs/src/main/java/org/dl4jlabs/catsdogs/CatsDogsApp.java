package org.dl4jlabs.catsdogs;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jlabs.catsdogs.CatsDogsModel.Architecture;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.cli.CommonOptions;
import org.dl4jlabs.common.cli.LabsApp;
import org.dl4jlabs.common.cli.LabsCli;
import org.dl4jlabs.common.cli.PhotoSplitOptions;
import org.dl4jlabs.common.data.ImageShape;
import org.dl4jlabs.common.data.download.Downloader;
import org.dl4jlabs.common.data.folder.FolderLayout;
import org.dl4jlabs.common.data.folder.PetImages;
import org.dl4jlabs.common.data.folder.Photo;
import org.dl4jlabs.common.data.folder.PhotoFolder;
import org.dl4jlabs.common.data.folder.PhotoLoader;
import org.dl4jlabs.common.data.folder.PhotoLoader.Resize;
import org.dl4jlabs.common.data.folder.PhotoScan;
import org.dl4jlabs.common.data.folder.PhotoSplit.Part;
import org.dl4jlabs.common.eval.BinaryMetrics;
import org.dl4jlabs.common.eval.ClassificationEvaluator;
import org.dl4jlabs.common.eval.ClassificationResult;
import org.dl4jlabs.common.io.AtomicFiles;
import org.dl4jlabs.common.io.IoErrors;
import org.dl4jlabs.common.layers.fast.FastLayers;
import org.dl4jlabs.common.report.ClassificationSections;
import org.dl4jlabs.common.report.HtmlReport;
import org.dl4jlabs.common.report.ReportCharts;
import org.dl4jlabs.common.report.ReportWriter;
import org.dl4jlabs.common.report.RunReport;
import org.dl4jlabs.common.report.Settings;
import org.dl4jlabs.common.train.ImageAugmentation;
import org.dl4jlabs.common.train.ImageAugmentation.Affine;
import org.dl4jlabs.common.train.ModelInfo;
import org.dl4jlabs.common.train.ModelStore;
import org.dl4jlabs.common.train.Network;
import org.dl4jlabs.common.train.ShuffledBatches;
import org.dl4jlabs.common.train.Trainer;
import org.dl4jlabs.common.transfer.BaseFeatures;
import org.dl4jlabs.common.transfer.KerasWeights;
import org.dl4jlabs.common.transfer.Pretraining;
import org.dl4jlabs.common.transfer.Vgg16Model;
import org.dl4jlabs.common.transfer.Vgg16Weights;
import org.dl4jlabs.common.workflow.RunContext;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** {@code ./labs cats-dogs}: binary image classification from folders of real photos. */
@Command(name = CatsDogsApp.NAME, mixinStandardHelpOptions = true,
        description = "Cats or dogs from folders of photos: loading photos of any size, skipping bad files, "
                + "augmentation, a CNN, and a binary classifier's ROC, AUC and threshold.",
        subcommands = {CatsDogsApp.Train.class, CatsDogsApp.Eval.class, CatsDogsApp.Predict.class})
public class CatsDogsApp implements LabsApp {

    static final String NAME = "cats-dogs";
    static final int EPOCHS = 60;
    static final int BATCH = 32;
    /** Photos per forward pass when scoring: 150x150 photos make large activations. */
    static final int SCORE_BATCH = 64;
    static final int MISTAKES_SHOWN = 24;

    private static final Logger log = LoggerFactory.getLogger(CatsDogsApp.class);

    public static void main(String[] args) {
        LabsCli.main(new CatsDogsApp(), args);
    }

    /**
     * What a model was trained with, saved in its model.zip: predict and eval prepare photos the same way.
     *
     * @param threshold     P(positive class) at and above which a photo is called positive; chosen on the validation photos
     * @param positiveClass the second class by name (Dog), whose probability is the score
     */
    record TrainSettings(Architecture model, int size, Resize resize, double dropout, double learningRate,
                         boolean augment, int trainPhotos, int validationPhotos, int testPhotos, double threshold,
                         String positiveClass) {
        PhotoLoader loader() {
            return new PhotoLoader(size, resize);
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Train a classifier; writes model.zip, report.json, report.html and train.log to --out.")
    static class Train implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @ArgGroup(exclusive = false)
        PhotoSplitOptions split = new PhotoSplitOptions();

        @Option(names = "--model", defaultValue = "keras",
                description = "Network: keras or linear; vgg16 comes with --pretrained vgg16 (default: ${DEFAULT-VALUE}).")
        Architecture model;

        @Option(names = "--size", defaultValue = "150", paramLabel = "PIXELS",
                description = "Photos are resized to PIXELS x PIXELS (default: ${DEFAULT-VALUE}).")
        int size;

        @Option(names = "--resize", defaultValue = "squash",
                description = "How a photo that is not square becomes one: squash (all of it, distorted) or crop "
                        + "(the centred square, undistorted) (default: ${DEFAULT-VALUE}).")
        Resize resize;

        @Option(names = "--dropout", defaultValue = "0.5", description = "keras: dropout before the dense layers (default: ${DEFAULT-VALUE}).")
        double dropout;

        @Option(names = "--lr", defaultValue = "0.0005", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
        double learningRate;

        @Option(names = "--augment", defaultValue = "true", arity = "1", paramLabel = "true|false",
                description = "Random flips, shifts, turns of up to 20 degrees and zooms of up to 20 %% of the "
                        + "training photos (default: ${DEFAULT-VALUE}).")
        boolean augment;

        @Option(names = "--pretrained", paramLabel = "vgg16",
                description = "Chollet's feature extraction instead: VGG16's base (ImageNet's weights, or offline "
                        + "the suite's self-pretrained one) frozen, a new head trained on its outputs.")
        String pretrained;

        @Override
        public Integer call() {
            if (pretrained != null && !pretrained.equalsIgnoreCase("vgg16")) {
                throw new LabsException("unknown --pretrained network '" + pretrained + "'; the one there is: vgg16");
            }
            if (pretrained == null && model == Architecture.VGG16) {
                throw new LabsException("the vgg16 network comes pretrained: use --pretrained vgg16");
            }
            Architecture architecture = pretrained != null ? Architecture.VGG16 : model;
            PhotoLoader loader = new PhotoLoader(size, resize);
            int epochs = common.epochs(EPOCHS);
            int batch = common.batch(BATCH);
            try (RunContext run = RunContext.start(NAME, "train", common)) {
                // 1. Data: a folder of photos, checked once for bad files, split, and resized to size x size RGB.
                PhotoFolder folder = photos(common);
                PhotoScan.Result scan = PhotoScan.scanInCache(folder, common.cacheDirectory());
                Map<Part, List<Photo>> parts = split.split(folder, scan.usable(), run.seed());
                List<String> classes = binaryClasses(folder);
                DataSet train = loader.load(parts.get(Part.TRAIN), classes);
                DataSet validation = loader.load(parts.get(Part.VALIDATION), classes);
                DataSet test = loader.load(parts.get(Part.TEST), classes);
                log.info("split: {} training, {} validation, {} test photos ({}x{}, {})", train.numExamples(),
                        validation.numExamples(), test.numExamples(), size, size, resize.lowerName());

                DataSet scored = validation.numExamples() > 0 ? validation : test;
                Network net;
                Trainer.Result trained;
                if (architecture == Architecture.VGG16) {
                    // 2-3. VGG16's base, frozen; its outputs computed once, and a new head trained on them.
                    Vgg16Weights.Resolved weights = new Vgg16Weights(common.cacheDirectory(),
                            Vgg16Weights.IMAGENET_NOTOP, new Downloader(),
                            file -> Pretraining.selfPretrained(common.cacheDirectory(), common.seed, file))
                            .resolve("auto");
                    log.info("weights: {}; photos are not augmented: each goes through the base once", weights.origin());
                    Vgg16Model.Head head = new Vgg16Model.Head(Vgg16Model.Pooling.FLATTEN, 256, dropout, classes.size());
                    MultiLayerNetwork vgg = Vgg16Model.network(Vgg16Model.withHead(weights.width(), size, head,
                            learningRate, common.seed));
                    KerasWeights.load(weights.file(), vgg, Vgg16Model.CONVOLUTIONS);
                    vgg = Vgg16Model.frozenUpTo(vgg, Vgg16Model.indexOf("block5_pool"), learningRate, common.seed);
                    run.printSummary(Network.of(vgg));
                    trained = BaseFeatures.trainHead(vgg, head, weights, size, train, scored, classes, batch, epochs,
                            learningRate, common.seed, common.cacheDirectory());
                    net = Network.of(vgg);
                } else {
                    // 2. The network: stock DL4J layers (CatsDogsModel), built with the suite's faster twins swapped in.
                    var options = new CatsDogsModel.Options(architecture, size, dropout, learningRate);
                    net = Network.of(FastLayers.acceleratedNetwork(
                            CatsDogsModel.configuration(options, classes.size(), common.seed)));
                    run.printSummary(net);

                    // 3. Train: shuffled, augmented mini-batches; after each epoch, the loss and accuracy on the validation photos.
                    ShuffledBatches batches = new ShuffledBatches(train, batch, run.seed());
                    if (augment) {
                        batches.setPreProcessor(new ImageAugmentation(3, size, size, true, size / 10,
                                new Affine(20, 0.2), run.seed()));
                    }
                    trained = new Trainer(net, n -> score(n, scored)).fit(batches, epochs);
                }

                // 4. Evaluate: the threshold with the best accuracy on the validation photos, then the test photos.
                double threshold = validation.numExamples() > 0
                        ? BinaryMetrics.of(positiveScores(net, validation), isPositive(validation)).bestThreshold() : 0.5;
                Evaluation evaluation = evaluate(net, test, classes, threshold);

                // 5. Save the model, with how it prepares photos and its threshold.
                TrainSettings settings = new TrainSettings(architecture, size, resize, dropout, learningRate,
                        augment && architecture != Architecture.VGG16,
                        train.numExamples(), validation.numExamples(), test.numExamples(), threshold, classes.get(1));
                Map<String, Object> config = Settings.toMap(settings);
                ModelStore.save(net, new ModelInfo(NAME, folder.root().getFileName().toString(), classes,
                        new long[]{3, size, size}, config), null, run.out().resolve(ModelStore.FILE_NAME));

                // 6. Report: report.json and report.html, with the ROC and precision-recall curves and the mistakes.
                RunReport.Builder report = run.report()
                        .dataset(folder.root().toString(), train.numExamples(), test.numExamples())
                        .training(trained.history().size(), trained.trainSeconds())
                        .history(trained.history());
                config.forEach(report::config);
                writeReport(run, report, evaluation, trained, test, scan, size);

                // 7. Keep the run: its files move into --out together; an earlier run there is replaced only now.
                run.complete();
            }
            return 0;
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "Evaluate a trained model on a folder of photos (its test/ folder when it has one, else "
                    + "every photo); writes report.json and report.html to --out.")
    static class Eval implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.zip from train.")
        Path modelFile;

        @Override
        public Integer call() {
            try (RunContext run = RunContext.start(NAME, "eval", common)) {
                ModelStore.Loaded model = ModelStore.load(modelFile, NAME);
                TrainSettings settings = Settings.fromMap(model.info().config(), TrainSettings.class, modelFile.toString());
                PhotoFolder folder = photos(common);
                PhotoScan.Result scan = PhotoScan.scanInCache(folder, common.cacheDirectory());
                List<Photo> photos = folder.layout() == FolderLayout.SPLIT_FOLDERS
                        ? folder.presplit().get(Part.TEST).stream().filter(new HashSet<>(scan.usable())::contains).toList()
                        : scan.usable();
                DataSet test = settings.loader().load(photos, model.info().classNames());
                Evaluation evaluation = evaluate(model.network(), test, model.info().classNames(), settings.threshold());
                RunReport.Builder report = run.report()
                        .dataset(folder.root().toString(), 0, test.numExamples())
                        .config("model_file", modelFile.toAbsolutePath().toString());
                model.info().config().forEach(report::config);
                writeReport(run, report, evaluation, null, test, scan, settings.size());
                run.complete();
            }
            return 0;
        }
    }

    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = "Print P(dog) and the label of each photo (files, or folders of them); with --kaggle, "
                    + "write Kaggle's submission file instead.")
    static class Predict implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.zip from train.")
        Path modelFile;

        @Option(names = "--threshold", paramLabel = "P", description = "Call a photo positive from this probability "
                + "on (default: the threshold chosen on the validation photos, saved in the model).")
        Double threshold;

        @Option(names = "--kaggle", paramLabel = "DIR", description = "Kaggle's unlabelled test1/ folder (1.jpg, 2.jpg, ...).")
        Path kaggle;

        @Option(names = "--csv", paramLabel = "FILE", description = "With --kaggle: the submission to write, id,label "
                + "with label = P(dog), sorted by id.")
        Path csv;

        @Parameters(arity = "0..*", paramLabel = "PHOTO", description = "Photo files or folders of photos.")
        List<Path> inputs = new ArrayList<>();

        @Override
        public Integer call() {
            if ((kaggle == null) != (csv == null) || (kaggle != null && !inputs.isEmpty())
                    || (kaggle == null && inputs.isEmpty())) {
                throw new LabsException("give photos, or --kaggle DIR with --csv FILE (and no photos)");
            }
            if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
                throw new LabsException("--threshold is a probability from 0 to 1, not " + threshold);
            }
            ModelStore.Loaded model = ModelStore.load(modelFile, NAME);
            TrainSettings settings = Settings.fromMap(model.info().config(), TrainSettings.class, modelFile.toString());
            List<Path> files = kaggle != null ? PhotoFolder.photosIn(List.of(kaggle)) : PhotoFolder.photosIn(inputs);
            PhotoLoader loader = settings.loader();
            INDArray features = loader.loadAll(files);
            double[] scores = positiveScores(model.network(), new DataSet(features, null));
            if (kaggle != null) {
                writeSubmission(files, scores, csv);
                System.out.println("wrote " + files.size() + " predictions to " + csv);
                return 0;
            }
            double cut = threshold != null ? threshold : settings.threshold();
            List<String> classes = model.info().classNames();
            for (int i = 0; i < files.size(); i++) {
                System.out.printf("%s\tP(%s)=%.4f\t%s%n", files.get(i), classes.get(1).toLowerCase(), scores[i],
                        scores[i] >= cut ? classes.get(1) : classes.get(0));
            }
            return 0;
        }

        private static void writeSubmission(List<Path> files, double[] scores, Path csv) {
            List<String[]> rows = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                String name = files.get(i).getFileName().toString();
                String id = name.substring(0, name.indexOf('.'));
                if (!id.chars().allMatch(Character::isDigit) || id.isEmpty()) {
                    throw new LabsException(files.get(i) + " is not named like Kaggle's test photos (a number: 123.jpg)");
                }
                rows.add(new String[]{id, String.format("%.6f", scores[i])});
            }
            rows.sort(Comparator.comparingLong(row -> Long.parseLong(row[0])));
            StringBuilder text = new StringBuilder("id,label\n");
            rows.forEach(row -> text.append(row[0]).append(',').append(row[1]).append('\n'));
            try {
                AtomicFiles.writeString(csv, text.toString());
            } catch (IOException e) {
                throw new LabsException("could not write " + csv + ": " + IoErrors.reason(e), e);
            }
        }
    }

    /** The photos --data asks for. */
    static PhotoFolder photos(CommonOptions common) {
        PhotoFolder folder = PetImages.inCache(common.cacheDirectory())
                .resolve(common.dataOption());
        log.info("data: {}", folder.describe());
        return folder;
    }

    static List<String> binaryClasses(PhotoFolder folder) {
        if (folder.classNames().size() != 2) {
            throw new LabsException(folder.root() + " holds " + folder.classNames().size() + " classes "
                    + folder.classNames() + "; this lab classifies two (cats and dogs)");
        }
        return folder.classNames();
    }

    /** The validation loss and accuracy after an epoch, in batches (a whole set of 150x150 photos at once is too big). */
    static Trainer.EpochScore score(Network net, DataSet data) {
        INDArray probabilities = probabilities(net, data.getFeatures());
        INDArray truth = data.getLabels();
        double loss = -Nd4j.math().log(probabilities.mul(truth).sum(1).addi(1e-7)).meanNumber().doubleValue();
        double accuracy = probabilities.argMax(1).eq(truth.argMax(1)).castTo(DataType.FLOAT)
                .meanNumber().doubleValue();
        return new Trainer.EpochScore(loss, accuracy);
    }

    static INDArray probabilities(Network net, INDArray features) {
        return net.output(features, SCORE_BATCH);
    }

    /** P(second class) for each photo. */
    static double[] positiveScores(Network net, DataSet data) {
        return probabilities(net, data.getFeatures()).getColumn(1).toDoubleVector();
    }

    static boolean[] isPositive(DataSet data) {
        double[] second = data.getLabels().getColumn(1).toDoubleVector();
        boolean[] positive = new boolean[second.length];
        for (int i = 0; i < second.length; i++) {
            positive[i] = second[i] > 0.5;
        }
        return positive;
    }

    /** The usual metrics (at the most probable class), and the binary ones at {@code threshold}. */
    record Evaluation(ClassificationResult result, BinaryMetrics binary, double threshold, double accuracyAtThreshold) {
    }

    static Evaluation evaluate(Network net, DataSet test, List<String> classes, double threshold) {
        // One forward pass over the test photos; the evaluator only scores its probabilities.
        INDArray probabilities = probabilities(net, test.getFeatures());
        ClassificationResult result = new ClassificationEvaluator(classes, MISTAKES_SHOWN)
                .evaluate(Function.identity(), new DataSet(probabilities, test.getLabels()), test.numExamples());
        double[] scores = probabilities.getColumn(1).toDoubleVector();
        boolean[] positive = isPositive(test);
        BinaryMetrics binary = BinaryMetrics.of(scores, positive);
        double accuracy = BinaryMetrics.accuracyAt(scores, positive, threshold);
        log.info("test: accuracy {} at threshold {} ({} at 0.5), AUC {}", percent(accuracy),
                String.format("%.3f", threshold), percent(result.accuracy()), String.format("%.4f", binary.auc()));
        return new Evaluation(result, binary, threshold, accuracy);
    }

    private static void writeReport(RunContext run, RunReport.Builder report, Evaluation evaluation,
                                    Trainer.Result trained, DataSet test, PhotoScan.Result scan, int size) {
        Map<String, Object> binary = new LinkedHashMap<>();
        binary.put("auc", evaluation.binary().auc());
        binary.put("threshold", evaluation.threshold());
        binary.put("accuracy_at_threshold", evaluation.accuracyAtThreshold());
        report.metrics(evaluation.result()).extra("binary", binary)
                .extra("skipped_files", scan.skipped())
                .extra("converted_to_rgb", Map.of("greyscale", scan.greyscale(), "cmyk", scan.cmyk()));
        RunReport built = report.build();
        HtmlReport page = new HtmlReport(built)
                .addHeadline("AUC", String.format("%.4f", evaluation.binary().auc()))
                .addHeadline("Accuracy at the threshold " + String.format("%.3f", evaluation.threshold()),
                        percent(evaluation.accuracyAtThreshold()));
        page.addChart("ROC curve", ReportCharts.rocCurve(evaluation.binary()),
                "Each point is one threshold: the fraction of dogs called dogs against the fraction of cats called dogs. "
                        + "The area under the curve (AUC) is the chance that a random dog scores above a random cat.");
        page.addChart("Precision and recall", ReportCharts.precisionRecallCurve(evaluation.binary()),
                "As the threshold falls, more dogs are found (recall) and more cats slip in (precision falls).");
        ClassificationSections.addAll(page, evaluation.result(), trained == null ? List.of() : trained.history(),
                test.getFeatures(), new ImageShape(size, size, 3));
        if (!scan.skipped().isEmpty()) {
            page.addTable("Skipped files (" + scan.skipped().size() + ")", List.of("file", "reason"),
                    scan.skipped().stream().map(s -> List.of(s.file(), s.reason())).toList());
        }
        ReportWriter.write(run.out(), built, page);
    }

    private static String percent(double fraction) {
        return String.format("%.2f%%", 100 * fraction);
    }
}
