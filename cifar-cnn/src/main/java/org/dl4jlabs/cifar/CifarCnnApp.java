package org.dl4jlabs.cifar;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.cli.CommonOptions;
import org.dl4jlabs.common.cli.LabsApp;
import org.dl4jlabs.common.cli.LabsCli;
import org.dl4jlabs.common.data.ImageClassData;
import org.dl4jlabs.common.data.cifar.CifarDataResolver;
import org.dl4jlabs.common.data.cifar.CifarFormat.Labels;
import org.dl4jlabs.common.data.cifar.CifarFormat;
import org.dl4jlabs.common.data.mnist.IdxDataset;
import org.dl4jlabs.common.data.mnist.MnistDataResolver;
import org.dl4jlabs.common.layers.fast.FastLayers;
import org.dl4jlabs.common.layers.fmp.FractionalMaxPooling2D.Regions;
import org.dl4jlabs.common.eval.ClassificationResult;
import org.dl4jlabs.common.report.Settings;
import org.dl4jlabs.common.train.ChannelStandardization;
import org.dl4jlabs.common.train.ImageAugmentation.Affine;
import org.dl4jlabs.common.train.ImageAugmentation;
import org.dl4jlabs.common.train.LabelSmoothing;
import org.dl4jlabs.common.train.LearningRateDecay;
import org.dl4jlabs.common.train.ModelStore;
import org.dl4jlabs.common.train.Network;
import org.dl4jlabs.common.train.ShuffledBatches;
import org.dl4jlabs.common.train.Trainer;
import org.dl4jlabs.common.workflow.ImageClassifierCommands;
import org.dl4jlabs.common.workflow.RunContext;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.preprocessor.CompositeDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ./labs cifar-cnn}: convolutional networks on colour images, with Graham's fractional max-pooling. */
@Command(name = CifarCnnApp.NAME, mixinStandardHelpOptions = true,
        description = "Convolutional networks on CIFAR-10, CIFAR-100 and MNIST: a small residual network, a small "
                + "plain CNN, and Graham's "
                + "fractional max-pooling networks with test-time averaging.",
        subcommands = {CifarCnnApp.Train.class, CifarCnnApp.Eval.class, CifarCnnApp.Predict.class})
public class CifarCnnApp implements LabsApp {

    static final String NAME = "cifar-cnn";
    static final int EPOCHS = 10;
    static final int BATCH = 64;
    /** Adam's learning rate for the small and FMP networks. */
    static final double ADAM_LEARNING_RATE = 3e-3;
    /** The residual network's training, Page's recipe; 26 epochs fit in 15 minutes on two cores. */
    static final int RESNET_EPOCHS = 26;
    static final int RESNET_BATCH = 256;
    static final double RESNET_PEAK_LEARNING_RATE = 0.2;
    static final double RESNET_WEIGHT_DECAY = 5e-4;
    static final double RESNET_LABEL_SMOOTHING = 0.2;

    public enum Dataset {
        CIFAR10, CIFAR100, MNIST, FASHION;

        /** MNIST and Fashion-MNIST: 28x28 greyscale in IDX files. */
        boolean idx() {
            return this == MNIST || this == FASHION;
        }
    }

    public enum Architecture { RESNET, SMALL, FMP }

    /** Graham's configurations; the FMP options below override single values of one. */
    public enum FmpPreset { MNIST, CIFAR_CPU, CIFAR_PAPER }

    public enum RegionsOption { RANDOM, PSEUDO }

    /**
     * What a run trained, as its report and model.zip record it; the network's own options
     * ({@link CnnModel.Residual}, {@link CnnModel.Small} or {@link CnnModel.Fmp}) follow it there.
     *
     * @param fmpPreset the FMP preset the network started from; null for the other networks
     */
    record TrainSettings(Dataset dataset, Architecture model, FmpPreset fmpPreset, double lrDecay,
                         double labelSmoothing, boolean augment, double rotate, double scale, int testRepeats) {
    }

    public static void main(String[] args) {
        LabsCli.main(new CifarCnnApp(), args);
    }

    /** Rejects a bad --test-repeats before any data is loaded. */
    static void checkTestRepeats(int repeats) {
        if (repeats < 1) {
            throw new LabsException("--test-repeats must be 1 or more, not " + repeats);
        }
    }

    /** Checks --rotate and --scale before any data is loaded; they only make sense with augmentation on. */
    static Affine checkAffine(double rotate, double scale, boolean augment) {
        if (!(rotate >= 0 && rotate <= Affine.MAX_DEGREES)) {
            throw new LabsException("--rotate takes an angle from 0 to " + (int) Affine.MAX_DEGREES
                    + " degrees (the largest turn either way), not " + rotate);
        }
        if (!(scale >= 0 && scale <= Affine.MAX_SCALE_CHANGE)) {
            throw new LabsException("--scale takes a fraction from 0 to " + Affine.MAX_SCALE_CHANGE
                    + " (0.1 scales by 0.9 to 1.1), not " + scale);
        }
        if (!augment && (rotate > 0 || scale > 0)) {
            throw new LabsException("--rotate and --scale are part of augmentation, which --augment false turns off; "
                    + "drop one or the other.");
        }
        return new Affine(rotate, scale);
    }

    /** The data-choosing options shared by train and eval. */
    static class DataChoice {
        @Option(names = "--dataset", defaultValue = "cifar10",
                description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); see --data for where it comes from.")
        Dataset dataset;

        @Option(names = "--labels", defaultValue = "fine",
                description = "CIFAR-100's 100 fine or 20 coarse classes: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        Labels labels;

        ImageClassData load(CommonOptions common) {
            if (labels == Labels.COARSE && dataset != Dataset.CIFAR100) {
                throw new LabsException("--labels coarse is for CIFAR-100 only; " + dataset.name().toLowerCase()
                        + " has one label per image.");
            }
            return switch (dataset) {
                case MNIST -> MnistDataResolver.inCache(common.cacheDirectory()).resolve(common.dataOption());
                case FASHION -> MnistDataResolver.inCache(common.cacheDirectory(), IdxDataset.FASHION)
                        .resolve(common.dataOption());
                case CIFAR10 -> CifarDataResolver.inCache(common.cacheDirectory(), CifarFormat.CIFAR10, Labels.FINE)
                        .resolve(common.dataOption());
                case CIFAR100 -> CifarDataResolver.inCache(common.cacheDirectory(), CifarFormat.CIFAR100, labels)
                        .resolve(common.dataOption());
            };
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Train a CNN; writes model.zip, report.json, report.html and train.log to --out.")
    static class Train implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        DataChoice data;

        @Option(names = "--model", defaultValue = "resnet",
                description = "Network: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        Architecture model;

        @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate: resnet, the peak of SGD's one cycle "
                + "(default " + RESNET_PEAK_LEARNING_RATE + "); small and fmp, Adam's (default " + ADAM_LEARNING_RATE + ").")
        Double learningRate;

        @Option(names = "--lr-decay", defaultValue = "1", paramLabel = "F", description = "small and fmp: the learning "
                + "rate is multiplied by F over each epoch, a little at every step; 1 keeps it constant (default: "
                + "${DEFAULT-VALUE}).")
        double lrDecay;

        @Option(names = "--weight-decay", paramLabel = "W", description = "resnet: weight decay (default: 5e-4).")
        Double weightDecay;

        @Option(names = "--label-smoothing", paramLabel = "EPSILON", description = "Training targets give EPSILON of "
                + "their weight to all classes evenly (default " + RESNET_LABEL_SMOOTHING + " for resnet, else 0).")
        Double labelSmoothing;

        @Option(names = "--augment", defaultValue = "true", arity = "1", paramLabel = "true|false",
                description = "Random shifts (and left-right flips, not for MNIST) of training images (default: ${DEFAULT-VALUE}).")
        boolean augment;

        @Option(names = "--rotate", defaultValue = "0", paramLabel = "DEGREES",
                description = "Augmentation: also turn each training image by a random angle between -DEGREES and "
                        + "+DEGREES, 0 to 180 (default: ${DEFAULT-VALUE}, off).")
        double rotate;

        @Option(names = "--scale", defaultValue = "0", paramLabel = "FRACTION",
                description = "Augmentation: also scale each training image by a random factor between 1-FRACTION and "
                        + "1+FRACTION, 0 to 0.5 (default: ${DEFAULT-VALUE}, off).")
        double scale;

        @Option(names = "--width", defaultValue = "16", description = "resnet and small: filters of the first "
                + "convolution, doubling at each stage (default: ${DEFAULT-VALUE}).")
        int width;

        @Option(names = "--blocks", defaultValue = "3", description = "small: conv-BN-ReLU x2 + max-pool blocks (default: ${DEFAULT-VALUE}).")
        int blocks;

        @Option(names = "--dropout", defaultValue = "0.2", description = "small: dropout after each block (default: ${DEFAULT-VALUE}).")
        double dropout;

        @Option(names = "--fmp-preset", paramLabel = "PRESET",
                description = "fmp: ${COMPLETION-CANDIDATES} (default: mnist for --dataset mnist or fashion, else cifar_cpu).")
        FmpPreset fmpPreset;

        @Option(names = "--fmp-stages", paramLabel = "L", description = "fmp: number of conv + FMP stages (preset's by default).")
        Integer fmpStages;

        @Option(names = "--fmp-filters", paramLabel = "K", description = "fmp: stage n has K*n filters (preset's by default).")
        Integer fmpFilters;

        @Option(names = "--fmp-alpha", paramLabel = "ALPHA", description = "fmp: pooling ratio, e.g. 1.414 (preset's by default).")
        Double fmpAlpha;

        @Option(names = "--fmp-input", paramLabel = "SIDE", description = "fmp: pad images to SIDE x SIDE; 0 = the smallest that works (preset's by default).")
        Integer fmpInput;

        @Option(names = "--fmp-dropout", paramLabel = "P", description = "fmp: dropout of the last hidden layer, rising linearly to it (preset's by default).")
        Double fmpDropout;

        @Option(names = "--fmp-regions", defaultValue = "pseudo",
                description = "fmp: pooling regions ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        RegionsOption fmpRegions;

        @Option(names = "--fmp-overlap", defaultValue = "true", arity = "1", paramLabel = "true|false",
                description = "fmp: overlapping pooling regions (default: ${DEFAULT-VALUE}).")
        boolean fmpOverlap;

        @Option(names = "--test-repeats", defaultValue = "1", paramLabel = "R",
                description = "Average R forward passes per test image (FMP's random pooling makes them differ); the "
                        + "report shows 1 pass beside R (default: ${DEFAULT-VALUE}).")
        int testRepeats;

        @Override
        public Integer call() {
            checkTestRepeats(testRepeats);
            LearningRateDecay.check(lrDecay);
            if (model == Architecture.RESNET && lrDecay != 1) {
                throw new LabsException("--lr-decay is for small and fmp; the residual network's one cycle sets its "
                        + "own schedule.");
            }
            if (model != Architecture.RESNET && weightDecay != null) {
                throw new LabsException("--weight-decay is for the residual network; small and fmp train with Adam "
                        + "and no weight penalty.");
            }
            LabelSmoothing smoothing = new LabelSmoothing(labelSmoothing());
            Affine affine = checkAffine(rotate, scale, augment);
            int epochs = common.epochs(model == Architecture.RESNET ? RESNET_EPOCHS : EPOCHS);
            int batch = common.batch(model == Architecture.RESNET ? RESNET_BATCH : BATCH);
            Record network = switch (model) {
                case RESNET -> new CnnModel.Residual(width, learningRate(RESNET_PEAK_LEARNING_RATE),
                        weightDecay != null ? weightDecay : RESNET_WEIGHT_DECAY);
                case SMALL -> new CnnModel.Small(width, blocks, dropout, learningRate(ADAM_LEARNING_RATE));
                case FMP -> fmpOptions();
            };
            try (RunContext run = RunContext.start(NAME, "train", common)) {
                // 1. Data: images and labels; each colour channel standardized with the training set's mean and spread.
                ImageClassData images = data.load(common);
                ImageClassifierCommands.describe(images);
                DataNormalization standardization = ChannelStandardization.fit(images.train(), images.channels());
                DataSet train = ImageClassifierCommands.normalized(images.train(), standardization);
                DataSet test = ImageClassifierCommands.normalized(images.test(), standardization);

                // 2. The network: stock DL4J layers (CnnModel), built with the suite's faster twins swapped in.
                CnnModel.Input input = new CnnModel.Input(images.height(), images.width(), images.channels(),
                        images.numClasses());
                TrainSettings settings = new TrainSettings(data.dataset, model, fmpPreset(), lrDecay,
                        smoothing.epsilon(), augment,
                        affine.maxDegrees(), affine.maxScaleChange(), testRepeats);
                Network net = network(network, input, ShuffledBatches.batchesPerEpoch(train.numExamples(), batch),
                        epochs);
                run.printSummary(net);

                // 3. Train: shuffled, augmented mini-batches with soft targets; after each epoch, the loss and
                //    accuracy on the test set.
                ShuffledBatches batches = new ShuffledBatches(train, batch, run.seed());
                List<DataSetPreProcessor> preparation = new ArrayList<>();
                if (augment) {
                    preparation.add(augmentation(images, affine, run.seed()));
                }
                if (smoothing.epsilon() > 0) {
                    preparation.add(smoothing);
                }
                if (!preparation.isEmpty()) {
                    batches.setPreProcessor(new CompositeDataSetPreProcessor(
                            preparation.toArray(DataSetPreProcessor[]::new)));
                }
                Trainer trainer = new Trainer(net, ImageClassifierCommands.testScore(test, images.classNames()));
                Trainer.Result trained = trainer.fit(batches, epochs);

                // 4. Evaluate, each prediction averaging --test-repeats passes (FMP's pooling differs on each).
                ClassificationResult result = ImageClassifierCommands.evaluate(net, test, images.classNames(),
                        testRepeats);

                // 5. Save the model with its standardization, so eval and predict prepare images the same way.
                Map<String, Object> config = Settings.toMap(settings, network);
                ModelStore.save(net, ImageClassifierCommands.modelInfo(run, images, config), standardization,
                        run.out().resolve(ModelStore.FILE_NAME));

                // 6. Report: report.json and report.html, with learning curves, 1 pass beside R, and the mistakes.
                ImageClassifierCommands.report(run, images, trained, result, config, net, testRepeats, test);

                // 7. Keep the run: its files move into --out together; an earlier run there is replaced only now.
                run.complete();
            }
            return 0;
        }

        /**
         * The network the options describe: the residual one as a graph, its one cycle as long as the
         * run; the others as a stack of layers, with the --lr-decay schedule.
         */
        private Network network(Record options, CnnModel.Input input, int batchesPerEpoch, int epochs) {
            if (options instanceof CnnModel.Residual residual) {
                return Network.of(FastLayers.acceleratedGraph(CnnModel.residual(residual, input,
                        batchesPerEpoch * epochs, common.seed)));
            }
            MultiLayerConfiguration conf = options instanceof CnnModel.Fmp fmp
                    ? CnnModel.fmp(fmp, input, common.seed)
                    : CnnModel.small((CnnModel.Small) options, input, common.seed);
            return Network.of(FastLayers.acceleratedNetwork(LearningRateDecay.apply(conf, lrDecay, batchesPerEpoch)));
        }

        private double learningRate(double modelDefault) {
            return learningRate != null ? learningRate : modelDefault;
        }

        private double labelSmoothing() {
            return labelSmoothing != null ? labelSmoothing : model == Architecture.RESNET ? RESNET_LABEL_SMOOTHING : 0;
        }

        /** Graham's preset for the data set, unless --fmp-preset names another; null for the standard network. */
        private FmpPreset fmpPreset() {
            if (model != Architecture.FMP) {
                return null;
            }
            return fmpPreset != null ? fmpPreset : data.dataset.idx() ? FmpPreset.MNIST : FmpPreset.CIFAR_CPU;
        }

        /** The preset's network, with the single values the --fmp-* options override. */
        private CnnModel.Fmp fmpOptions() {
            Regions regions = fmpRegions == RegionsOption.RANDOM ? Regions.RANDOM : Regions.PSEUDO_RANDOM;
            CnnModel.Fmp base = switch (fmpPreset()) {
                case MNIST -> CnnModel.Fmp.mnistPaper(regions, fmpOverlap);
                case CIFAR_CPU -> CnnModel.Fmp.cifarCpu(regions, fmpOverlap);
                case CIFAR_PAPER -> CnnModel.Fmp.cifarPaper(regions, fmpOverlap);
            };
            return new CnnModel.Fmp(
                    fmpStages != null ? fmpStages : base.stages(),
                    fmpFilters != null ? fmpFilters : base.filters(),
                    fmpAlpha != null ? fmpAlpha : base.alpha(),
                    fmpInput != null ? fmpInput : base.paddedSide(),
                    regions, fmpOverlap,
                    fmpDropout != null ? fmpDropout : base.dropout(),
                    learningRate(ADAM_LEARNING_RATE));
        }

        /** Flips make no sense for digits (a flipped 2 is no 2); shifts suit both. */
        private ImageAugmentation augmentation(ImageClassData images, Affine affine, long seed) {
            boolean flip = !data.dataset.idx();
            int padding = data.dataset.idx() ? 2 : 4;
            return new ImageAugmentation(images.channels(), images.height(), images.width(), flip, padding, affine,
                    seed);
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "Evaluate a trained model on the test set; writes report.json and report.html to --out.")
    static class Eval implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        DataChoice data;

        @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.zip from train.")
        Path model;

        @Option(names = "--test-repeats", defaultValue = "1", paramLabel = "R",
                description = "Average R forward passes per test image (default: ${DEFAULT-VALUE}).")
        int testRepeats;

        @Override
        public Integer call() {
            checkTestRepeats(testRepeats);
            ModelStore.Loaded loaded = ModelStore.load(model, NAME);
            try (RunContext run = RunContext.start(NAME, "eval", common)) {
                ImageClassifierCommands.eval(run, loaded, model, data.load(common), common.batch(BATCH), testRepeats);
                run.complete();
            }
            return 0;
        }
    }

    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = "Classify PNG or JPEG images of the size the model was trained on (32x32 colour for CIFAR).")
    static class Predict implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.zip from train.")
        Path model;

        @Option(names = "--test-repeats", defaultValue = "1", paramLabel = "R",
                description = "Average R forward passes per image (default: ${DEFAULT-VALUE}).")
        int testRepeats;

        @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files.")
        List<Path> images;

        @Override
        public Integer call() {
            checkTestRepeats(testRepeats);
            ImageClassifierCommands.predict(NAME, model, images, System.out, testRepeats);
            return 0;
        }
    }
}
