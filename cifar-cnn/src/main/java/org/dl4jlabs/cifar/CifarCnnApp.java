package org.dl4jlabs.cifar;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.cli.CommonOptions;
import org.dl4jlabs.common.cli.LabsApp;
import org.dl4jlabs.common.cli.LabsCli;
import org.dl4jlabs.common.data.ImageClassData;
import org.dl4jlabs.common.data.cifar.CifarDataResolver;
import org.dl4jlabs.common.data.cifar.CifarFormat.Labels;
import org.dl4jlabs.common.data.cifar.CifarFormat;
import org.dl4jlabs.common.data.mnist.MnistDataResolver;
import org.dl4jlabs.common.layers.fast.FastLayers;
import org.dl4jlabs.common.layers.fmp.FractionalMaxPooling2D.Regions;
import org.dl4jlabs.common.train.ChannelStandardization;
import org.dl4jlabs.common.train.ImageAugmentation.Affine;
import org.dl4jlabs.common.train.ImageAugmentation;
import org.dl4jlabs.common.train.Network;
import org.dl4jlabs.common.workflow.ImageClassifierCommands.Pipeline;
import org.dl4jlabs.common.workflow.ImageClassifierCommands;
import org.dl4jlabs.common.workflow.RunContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ./labs cifar-cnn}: convolutional networks on colour images, with Graham's fractional max-pooling. */
@Command(name = CifarCnnApp.NAME, mixinStandardHelpOptions = true,
        description = "Convolutional networks on CIFAR-10, CIFAR-100 and MNIST: a standard CNN, and Graham's "
                + "fractional max-pooling networks with test-time averaging.",
        subcommands = {CifarCnnApp.Train.class, CifarCnnApp.Eval.class, CifarCnnApp.Predict.class})
public class CifarCnnApp implements LabsApp {

    static final String NAME = "cifar-cnn";
    static final int EPOCHS = 10;
    static final int BATCH = 64;

    public enum Dataset { CIFAR10, CIFAR100, MNIST }

    public enum Architecture { STANDARD, FMP }

    /** Graham's configurations; the FMP options below override single values of one. */
    public enum FmpPreset { MNIST, CIFAR_CPU, CIFAR_PAPER }

    public enum RegionsOption { RANDOM, PSEUDO }

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

        @Option(names = "--model", defaultValue = "standard",
                description = "Network: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        Architecture model;

        @Option(names = "--lr", defaultValue = "0.003", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
        double learningRate;

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

        @Option(names = "--width", defaultValue = "16", description = "standard: filters of the first block, doubling at each (default: ${DEFAULT-VALUE}).")
        int width;

        @Option(names = "--blocks", defaultValue = "3", description = "standard: conv-BN-ReLU x2 + max-pool blocks (default: ${DEFAULT-VALUE}).")
        int blocks;

        @Option(names = "--dropout", defaultValue = "0.2", description = "standard: dropout after each block (default: ${DEFAULT-VALUE}).")
        double dropout;

        @Option(names = "--fmp-preset", paramLabel = "PRESET",
                description = "fmp: ${COMPLETION-CANDIDATES} (default: mnist for --dataset mnist, else cifar_cpu).")
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
            Affine affine = checkAffine(rotate, scale, augment);
            try (RunContext run = RunContext.start(NAME, "train", common)) {
                ImageClassData images = data.load(common);
                CnnModel.Input input = new CnnModel.Input(images.height(), images.width(), images.channels(),
                        images.numClasses());
                Map<String, Object> config = new LinkedHashMap<>();
                config.put("dataset", data.dataset.name().toLowerCase());
                config.put("model", model.name().toLowerCase());
                // The network in stock DL4J builders, built with the suite's faster twins of its layers swapped in.
                MultiLayerNetwork net = FastLayers.acceleratedNetwork(
                        model == Architecture.STANDARD ? standard(input, config) : fmp(input, config));
                config.put("lr", learningRate);
                config.put("augment", augment);
                config.put("rotate", affine.maxDegrees());
                config.put("scale", affine.maxScaleChange());
                config.put("test_repeats", testRepeats);
                Pipeline pipeline = new Pipeline(train -> ChannelStandardization.fit(train, images.channels()),
                        augment ? augmentation(images, affine, run.seed()) : null, testRepeats);
                ImageClassifierCommands.train(run, images, Network.of(net), config, common.epochs(EPOCHS),
                        common.batch(BATCH), pipeline);
            }
            return 0;
        }

        private MultiLayerConfiguration standard(CnnModel.Input input, Map<String, Object> config) {
            config.put("width", width);
            config.put("blocks", blocks);
            config.put("dropout", dropout);
            return CnnModel.standard(new CnnModel.Standard(width, blocks, dropout, learningRate), input, common.seed);
        }

        private MultiLayerConfiguration fmp(CnnModel.Input input, Map<String, Object> config) {
            FmpPreset preset = fmpPreset != null ? fmpPreset
                    : data.dataset == Dataset.MNIST ? FmpPreset.MNIST : FmpPreset.CIFAR_CPU;
            Regions regions = fmpRegions == RegionsOption.RANDOM ? Regions.RANDOM : Regions.PSEUDO_RANDOM;
            CnnModel.Fmp base = switch (preset) {
                case MNIST -> CnnModel.Fmp.mnistPaper(regions, fmpOverlap);
                case CIFAR_CPU -> CnnModel.Fmp.cifarCpu(regions, fmpOverlap);
                case CIFAR_PAPER -> CnnModel.Fmp.cifarPaper(regions, fmpOverlap);
            };
            CnnModel.Fmp options = new CnnModel.Fmp(
                    fmpStages != null ? fmpStages : base.stages(),
                    fmpFilters != null ? fmpFilters : base.filters(),
                    fmpAlpha != null ? fmpAlpha : base.alpha(),
                    fmpInput != null ? fmpInput : base.paddedSide(),
                    regions, fmpOverlap,
                    fmpDropout != null ? fmpDropout : base.dropout(),
                    learningRate);
            config.put("fmp_preset", preset.name().toLowerCase());
            config.put("fmp_stages", options.stages());
            config.put("fmp_filters", options.filters());
            config.put("fmp_alpha", options.alpha());
            config.put("fmp_input", options.paddedSide());
            config.put("fmp_dropout", options.dropout());
            config.put("fmp_regions", fmpRegions.name().toLowerCase());
            config.put("fmp_overlap", fmpOverlap);
            return CnnModel.fmp(options, input, common.seed);
        }

        /** Flips make no sense for digits (a flipped 2 is no 2); shifts suit both. */
        private ImageAugmentation augmentation(ImageClassData images, Affine affine, long seed) {
            boolean flip = data.dataset != Dataset.MNIST;
            int padding = data.dataset == Dataset.MNIST ? 2 : 4;
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
            try (RunContext run = RunContext.start(NAME, "eval", common)) {
                ImageClassifierCommands.eval(run, model, data.load(common), common.batch(BATCH), testRepeats);
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
