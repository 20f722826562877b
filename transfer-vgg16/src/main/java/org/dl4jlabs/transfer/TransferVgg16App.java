package org.dl4jlabs.transfer;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.cli.CommonOptions;
import org.dl4jlabs.common.cli.LabsApp;
import org.dl4jlabs.common.cli.LabsCli;
import org.dl4jlabs.common.cli.PhotoSplitOptions;
import org.dl4jlabs.common.data.CacheDirectory;
import org.dl4jlabs.common.data.ImageClassData;
import org.dl4jlabs.common.data.cifar.CifarDataResolver;
import org.dl4jlabs.common.data.cifar.CifarFormat;
import org.dl4jlabs.common.data.download.Downloader;
import org.dl4jlabs.common.data.folder.PetImages;
import org.dl4jlabs.common.data.folder.Photo;
import org.dl4jlabs.common.data.folder.PhotoFolder;
import org.dl4jlabs.common.data.folder.PhotoLoader;
import org.dl4jlabs.common.data.folder.PhotoScan;
import org.dl4jlabs.common.data.folder.PhotoSplit.Part;
import org.dl4jlabs.common.eval.ClassificationResult;
import org.dl4jlabs.common.report.Settings;
import org.dl4jlabs.common.train.ModelStore;
import org.dl4jlabs.common.train.Network;
import org.dl4jlabs.common.train.ShuffledBatches;
import org.dl4jlabs.common.train.Trainer;
import org.dl4jlabs.common.workflow.ImageClassifierCommands;
import org.dl4jlabs.common.workflow.RunContext;
import org.dl4jlabs.common.transfer.BaseFeatures;
import org.dl4jlabs.common.transfer.ImageNetClasses;
import org.dl4jlabs.common.transfer.KerasWeights;
import org.dl4jlabs.common.transfer.Pretraining;
import org.dl4jlabs.common.transfer.Vgg16Model;
import org.dl4jlabs.common.transfer.Vgg16Weights;
import org.dl4jlabs.common.transfer.Vgg16Model.Head;
import org.dl4jlabs.common.transfer.Vgg16Model.Pooling;
import org.dl4jlabs.common.transfer.Vgg16Model.Width;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.image.ResizeBilinear;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.SplitTestAndTrain;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ./labs transfer-vgg16}: transfer learning from VGG16: freeze the base, train a new head, fine-tune. */
@Command(name = TransferVgg16App.NAME, mixinStandardHelpOptions = true,
        description = "Transfer learning from VGG16: take a network trained on ImageNet, freeze its convolutional "
                + "base, train a new head for your task, then fine-tune the top block.",
        subcommands = {TransferVgg16App.Train.class, TransferVgg16App.Pretrain.class, TransferVgg16App.Eval.class,
                TransferVgg16App.Predict.class, TransferVgg16App.Features.class, TransferVgg16App.Export.class})
public class TransferVgg16App implements LabsApp {

    static final String NAME = "transfer-vgg16";
    static final int EPOCHS = 20;
    static final int BATCH = 32;
    /** Photos per forward pass when evaluating: VGG16 on 150x150 photos makes large activations. */
    static final int EVAL_BATCH = 32;
    static final String BASE_FILE = "vgg16-base.h5";

    private static final Logger log = LoggerFactory.getLogger(TransferVgg16App.class);

    public static void main(String[] args) {
        LabsCli.main(new TransferVgg16App(), args);
    }

    /** The task: a folder of photos (or the generated cats and dogs), or CIFAR-10. */
    enum Task { PHOTOS, CIFAR10 }

    /** What a model was trained with, saved in its model.zip. */
    record TrainSettings(Task task, String weights, Width width, String freeze, Pooling head, int dense,
                         double dropout, int size, double learningRate, int fineTuneEpochs) {
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Transfer: load the base's weights, freeze it up to --freeze, train a new head, then "
                    + "optionally fine-tune the top block; writes model.zip, report.json, report.html and train.log.")
    static class Train implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @ArgGroup(exclusive = false)
        PhotoSplitOptions split = new PhotoSplitOptions();

        @Option(names = "--task", defaultValue = "photos",
                description = "photos (a folder in any layout cats-dogs reads; --data) or cifar10 (default: ${DEFAULT-VALUE}).")
        Task task;

        @Option(names = "--weights", defaultValue = "auto", paramLabel = "auto|imagenet|self|none|FILE",
                description = "The base's weights: imagenet (Keras' file, downloaded once), self (a quarter-width base "
                        + "the suite pretrains offline), none (random: from scratch), a Keras .h5 FILE, or auto "
                        + "(imagenet, else self) (default: ${DEFAULT-VALUE}).")
        String weights;

        @Option(names = "--freeze", defaultValue = "block5_pool", paramLabel = "LAYER",
                description = "Freeze the base up to and including LAYER (block1_pool ... block5_pool), or none "
                        + "(default: ${DEFAULT-VALUE}: all of it, feature extraction).")
        String freeze;

        @Option(names = "--head", defaultValue = "flatten",
                description = "How the head reads the last maps: flatten or average (default: ${DEFAULT-VALUE}).")
        Pooling head;

        @Option(names = "--dense", defaultValue = "256", description = "Units of the head's hidden layer; 0 for none (default: ${DEFAULT-VALUE}).")
        int dense;

        @Option(names = "--dropout", defaultValue = "0.5", description = "Dropout before the head's output (default: ${DEFAULT-VALUE}).")
        double dropout;

        @Option(names = "--size", paramLabel = "PIXELS", description = "Photos are resized to PIXELS x PIXELS "
                + "(default: 150 for photos, 32 for cifar10, whose images it enlarges).")
        Integer size;

        @Option(names = "--lr", defaultValue = "0.001", description = "Adam's learning rate for the head (default: ${DEFAULT-VALUE}).")
        double learningRate;

        @Option(names = "--fine-tune-epochs", defaultValue = "0", paramLabel = "N",
                description = "After the head: unfreeze block5 and train N more epochs at a tenth of --lr (default: ${DEFAULT-VALUE}).")
        int fineTuneEpochs;

        @Option(names = "--compare-scratch", description = "Also train the same network from random weights for as "
                + "many epochs, and report the two side by side.")
        boolean compareScratch;

        @Override
        public Integer call() {
            checkOptions();
            int epochs = common.epochs(EPOCHS);
            int batch = common.batch(BATCH);
            try (RunContext run = RunContext.start(NAME, "train", common)) {
                // 1. Data: the task's photos, RGB in 0..1; the network prepares them as its weights expect.
                TaskData data = loadTask(common, task, split, size, run.seed());
                int side = data.images().height();

                // 2. Weights: ImageNet's (or the suite's own, or none), copied into VGG16's base by layer name.
                Vgg16Weights.Resolved base = weightsSource(common.cacheDirectory(), common.seed).resolve(weights);
                log.info("weights: {}", base.origin());
                Head newHead = new Head(head, dense, dropout, data.images().numClasses());
                MultiLayerNetwork net = Vgg16Model.network(Vgg16Model.withHead(base.width(), side, newHead, learningRate,
                        common.seed));
                if (base.pretrained()) {
                    KerasWeights.load(base.file(), net, Vgg16Model.CONVOLUTIONS);
                }

                // 3. Freeze the base up to --freeze and train what is above it.
                Trainer.Result trained;
                if (freeze.equals("none")) {
                    trained = trainOnPhotos(Network.of(net), data, batch, epochs, run.seed());
                } else {
                    int lastFrozen = Vgg16Model.indexOf(freeze);
                    net = Vgg16Model.frozenUpTo(net, lastFrozen, learningRate, common.seed);
                    run.printSummary(Network.of(net));
                    trained = lastFrozen == Vgg16Model.indexOf("block5_pool")
                            ? BaseFeatures.trainHead(net, newHead, base, side, data.images().train(), data.validation(),
                                    data.images().classNames(), batch, epochs, learningRate, common.seed,
                                    common.cacheDirectory())
                            : trainOnPhotos(Network.of(net), data, batch, epochs, run.seed());
                }

                // 4. Fine-tune: block5 unfrozen too, at a tenth of the learning rate (Chollet's recipe).
                if (fineTuneEpochs > 0) {
                    net = Vgg16Model.frozenUpTo(unfrozen(net, base.width(), side, newHead), Vgg16Model.indexOf("block4_pool"),
                            learningRate / 10, common.seed);
                    Trainer.Result tuned = trainOnPhotos(Network.of(net), data, batch, fineTuneEpochs, run.seed());
                    trained = joined(trained, tuned);
                }

                // 5. Evaluate on the test photos; with --compare-scratch, the same network from random weights.
                ClassificationResult result = ImageClassifierCommands.evaluate(Network.of(net),
                        data.images().test(), data.images().classNames(), 1, EVAL_BATCH);
                TrainSettings settings = new TrainSettings(task, weights, base.width(), freeze, head, dense, dropout,
                        side, learningRate, fineTuneEpochs);
                Map<String, Object> config = new LinkedHashMap<>(Settings.toMap(settings));
                config.put("weights_origin", base.origin());
                if (compareScratch) {
                    config.put("scratch_test_accuracy", scratchAccuracy(base.width(), newHead, data, batch,
                            epochs + fineTuneEpochs, run.seed()));
                    config.put("transfer_test_accuracy", result.accuracy());
                }

                // 6. Save the model and report.
                ModelStore.save(Network.of(net), ImageClassifierCommands.modelInfo(run, data.images(), config), null,
                        run.out().resolve(ModelStore.FILE_NAME));
                ImageClassifierCommands.report(run, data.images(), trained, result, config);

                // 7. Keep the run: its files move into --out together; an earlier run there is replaced only now.
                run.complete();
            }
            return 0;
        }

        private void checkOptions() {
            if (!freeze.equals("none")) {
                Vgg16Model.indexOf(freeze);
                if (!freeze.endsWith("_pool")) {
                    throw new LabsException("--freeze takes a pooling layer (block1_pool ... block5_pool) or none, "
                            + "not " + freeze);
                }
            }
            if (!(learningRate > 0 && Double.isFinite(learningRate))) {
                throw new LabsException("--lr must be a number greater than 0, not " + learningRate);
            }
            if (dropout < 0 || dropout >= 1) {
                throw new LabsException("--dropout is a fraction from 0 to below 1, not " + dropout);
            }
            if (dense < 0 || fineTuneEpochs < 0) {
                throw new LabsException("--dense and --fine-tune-epochs cannot be negative");
            }
        }
    }

    /** The task's photos: training, validation (scored after each epoch) and test. */
    record TaskData(ImageClassData images, DataSet validation) {
    }

    static TaskData loadTask(CommonOptions common, Task task, PhotoSplitOptions split, Integer size, long seed) {
        if (task == Task.CIFAR10) {
            int side = size == null ? 32 : size;
            ImageClassData cifar = CifarDataResolver.inCache(common.cacheDirectory(), CifarFormat.CIFAR10,
                    CifarFormat.Labels.FINE).resolve(common.dataOption());
            ImageClassifierCommands.describe(cifar);
            if (side != 32) {
                cifar = upscaled(cifar, side);
            }
            // A tenth of the training images are held out to score the epochs; the test set is kept for the end.
            DataSet shuffled = cifar.train().copy();
            shuffled.shuffle(seed);
            SplitTestAndTrain parts = shuffled.splitTestAndTrain(shuffled.numExamples() - shuffled.numExamples() / 10);
            return new TaskData(new ImageClassData(cifar.name(), cifar.source(), parts.getTrain(), cifar.test(),
                    cifar.classNames(), side, side, 3), parts.getTest());
        }
        int side = size == null ? 150 : size;
        PhotoFolder folder = PetImages.inCache(common.cacheDirectory()).resolve(common.dataOption());
        log.info("data: {}", folder.describe());
        PhotoScan.Result scan = PhotoScan.scanInCache(folder, common.cacheDirectory());
        Map<Part, List<Photo>> parts = split.split(folder, scan.usable(), seed);
        PhotoLoader loader = new PhotoLoader(side, PhotoLoader.Resize.SQUASH);
        List<String> classes = folder.classNames();
        DataSet train = loader.load(parts.get(Part.TRAIN), classes);
        DataSet validation = loader.load(parts.get(Part.VALIDATION), classes);
        DataSet test = loader.load(parts.get(Part.TEST), classes);
        log.info("split: {} training, {} validation, {} test photos ({}x{})", train.numExamples(),
                validation.numExamples(), test.numExamples(), side, side);
        return new TaskData(new ImageClassData(folder.root().getFileName().toString(), folder.root().toString(),
                train, test, classes, side, side, 3), validation.numExamples() > 0 ? validation : test);
    }

    /** Most memory the resized CIFAR images may take; above it, --size is refused before anything is allocated. */
    static final long UPSCALED_BYTES_LIMIT = 8L << 30;

    /**
     * CIFAR's 32x32 images resized (bilinear) to {@code side} x {@code side}, so that the base sees more
     * than 1x1 maps at block5_pool; the rows take {@code side / 32} squared times the memory.
     */
    static ImageClassData upscaled(ImageClassData cifar, int side) {
        long images = (long) cifar.train().numExamples() + cifar.test().numExamples();
        long bytes = 4L * 3 * side * side * images;
        if (bytes > UPSCALED_BYTES_LIMIT) {
            long largest = (long) Math.sqrt(UPSCALED_BYTES_LIMIT / (4.0 * 3 * images));
            throw new LabsException(String.format("--size %d makes the %,d CIFAR images %.1f GiB in memory; choose "
                    + "--size %d or less", side, images, bytes / (double) (1L << 30), largest));
        }
        log.info("resizing {} images from 32x32 to {}x{}", images, side, side);
        return new ImageClassData(cifar.name(), cifar.source(), resized(cifar.train(), side), resized(cifar.test(), side),
                cifar.classNames(), side, side, 3);
    }

    static DataSet resized(DataSet images, int side) {
        long count = images.numExamples();
        INDArray rows = Nd4j.create(DataType.FLOAT, count, 3L * side * side);
        for (long start = 0; start < count; start += 500) {
            long end = Math.min(count, start + 500);
            INDArray channelsLast = images.getFeatures().get(NDArrayIndex.interval(start, end), NDArrayIndex.all())
                    .reshape('c', end - start, 3, 32, 32).permute(0, 2, 3, 1).dup('c');
            INDArray bigger = Nd4j.create(DataType.FLOAT, end - start, side, side, 3);
            Nd4j.exec(new ResizeBilinear(channelsLast, bigger, side, side, false, true));
            rows.get(NDArrayIndex.interval(start, end), NDArrayIndex.all())
                    .assign(bigger.permute(0, 3, 1, 2).dup('c').reshape('c', end - start, 3L * side * side));
        }
        return new DataSet(rows, images.getLabels());
    }

    static Vgg16Weights weightsSource(Path cacheDirectory, long seed) {
        return new Vgg16Weights(cacheDirectory, Vgg16Weights.IMAGENET_NOTOP, new Downloader(),
                file -> Pretraining.selfPretrained(cacheDirectory, seed, file));
    }



    /** A copy of {@code trained} without frozen layers, to freeze anew at another layer. */
    static MultiLayerNetwork unfrozen(MultiLayerNetwork trained, Width width, int size, Head head) {
        MultiLayerNetwork copy = Vgg16Model.network(Vgg16Model.withHead(width, size, head, 1e-3, 0));
        copy.setParams(trained.params().dup());
        return copy;
    }

    static Trainer.Result trainOnPhotos(Network net, TaskData data, int batch, int epochs, long seed) {
        return new Trainer(net, ImageClassifierCommands.testScore(data.validation(), data.images().classNames()))
                .fit(new ShuffledBatches(data.images().train(), batch, seed), epochs);
    }

    private static double scratchAccuracy(Width width, Head head, TaskData data, int batch, int epochs, long seed) {
        log.info("--compare-scratch: the same network from random weights, {} epochs on the photos", epochs);
        MultiLayerNetwork scratch = Vgg16Model.network(Vgg16Model.withHead(width, data.images().height(), head, 1e-4, seed));
        trainOnPhotos(Network.of(scratch), data, batch, epochs, seed);
        double accuracy = ImageClassifierCommands.evaluate(Network.of(scratch), data.images().test(),
                data.images().classNames(), 1, EVAL_BATCH).accuracy();
        log.info("from scratch: test accuracy {}", String.format("%.2f%%", 100 * accuracy));
        return accuracy;
    }

    private static Trainer.Result joined(Trainer.Result first, Trainer.Result second) {
        List<org.dl4jlabs.common.train.EpochStats> history = new ArrayList<>(first.history());
        history.addAll(second.history());
        return new Trainer.Result(history, first.examplesSeen() + second.examplesSeen(),
                first.trainSeconds() + second.trainSeconds());
    }

    @Command(name = "pretrain", mixinStandardHelpOptions = true,
            description = "Train a quarter-width VGG16 base on CIFAR-format images (generated shapes offline) and "
                    + "save it as a Keras weight file, for --weights FILE when ImageNet's cannot be had.")
    static class Pretrain implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            try (RunContext run = RunContext.start(NAME, "pretrain", common)) {
                ImageClassData source = CifarDataResolver.inCache(common.cacheDirectory(), CifarFormat.CIFAR10,
                        CifarFormat.Labels.FINE).resolve(common.dataOption());
                ImageClassifierCommands.describe(source);
                Pretraining.Outcome outcome = Pretraining.pretrain(source, common.epochs(Pretraining.EPOCHS),
                        common.batch(BATCH), run.seed(), run.out().resolve(BASE_FILE));
                Path kept = run.destination().resolve(BASE_FILE);
                ImageClassifierCommands.report(run, source, outcome.trained(), outcome.result(),
                        Map.of("weights_file", kept.toString(), "width", Width.QUARTER.name().toLowerCase()));
                run.complete();
                log.info("base weights in {}: use them with --weights {}", kept, kept);
            }
            return 0;
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "Evaluate a trained model on the test photos of --data; writes report.json and report.html.")
    static class Eval implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.zip from train.")
        Path model;

        @Override
        public Integer call() {
            ModelStore.Loaded loaded = ModelStore.load(model, NAME);
            TrainSettings settings = Settings.fromMap(loaded.info().config(), TrainSettings.class, model.toString());
            try (RunContext run = RunContext.start(NAME, "eval", common)) {
                TaskData data = loadTask(common, settings.task(), new PhotoSplitOptions(),
                        settings.task() == Task.PHOTOS ? settings.size() : null, run.seed());
                ImageClassifierCommands.eval(run, loaded, model, data.images(), EVAL_BATCH);
                run.complete();
            }
            return 0;
        }
    }

    @Command(name = "features", mixinStandardHelpOptions = true,
            description = "Run photos through the base up to --layer and write its outputs, with the file names, "
                    + "as a NumPy .npz (numpy.load(FILE)['features'] and ['files']).")
    static class Features implements Callable<Integer> {
        @Option(names = "--weights", defaultValue = "auto", paramLabel = "auto|imagenet|self|FILE",
                description = "The base's weights, as for train (default: ${DEFAULT-VALUE}).")
        String weights;

        @Option(names = "--layer", defaultValue = "block5_pool", description = "Layer whose outputs are written "
                + "(block1_conv1 ... block5_pool) (default: ${DEFAULT-VALUE}).")
        String layer;

        @Option(names = "--size", defaultValue = "150", paramLabel = "PIXELS",
                description = "Photos are resized to PIXELS x PIXELS (default: ${DEFAULT-VALUE}).")
        int size;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The .npz file to write.")
        Path out;

        @Option(names = "--cache-dir", paramLabel = "DIR", description = "Where weights are kept (default: "
                + "$DL4J_LABS_DATA, else ~/.dl4j-labs/data).")
        Path cacheDir;

        @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "For a self-pretrained base "
                + "made on the way (default: ${DEFAULT-VALUE}).")
        long seed;

        @Parameters(arity = "1..*", paramLabel = "PHOTO", description = "Photo files or folders of photos.")
        List<Path> inputs;

        @Override
        public Integer call() {
            Vgg16Model.indexOf(layer); // an unknown layer is refused before any photo is read
            if (Vgg16Weights.kindOf(weights) == Vgg16Weights.Kind.NONE) {
                throw new LabsException("features come from a trained base; --weights none has nothing to give");
            }
            List<Path> files = PhotoFolder.photosIn(inputs);
            INDArray photos = new PhotoLoader(size, PhotoLoader.Resize.SQUASH).loadAll(files);
            Vgg16Weights.Resolved base = weightsSource(CacheDirectory.resolve(cacheDir), seed).resolve(weights);
            MultiLayerNetwork upToLayer = Vgg16Model.network(Vgg16Model.baseUpTo(base.width(), size, layer));
            KerasWeights.load(base.file(), upToLayer, Vgg16Model.CONVOLUTIONS.stream()
                    .filter(name -> Vgg16Model.indexOf(name) < upToLayer.getnLayers()).toList());
            INDArray features = Network.of(upToLayer).output(photos, BaseFeatures.BATCH);
            Map<String, Object> arrays = new LinkedHashMap<>();
            arrays.put("features", features);
            arrays.put("files", files.stream().map(Path::toString).toList());
            Npz.write(out, arrays);
            System.out.printf("wrote %s: features %s (photos, rows, columns, channels) of %s, from %s%n", out,
                    java.util.Arrays.toString(features.shape()), layer, base.origin());
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write a trained model's parameters as a NumPy .npz: one array per layer and parameter, "
                    + "named LAYER_W and LAYER_b, in DL4J's shapes.")
    static class Export implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.zip from train.")
        Path model;

        @Option(names = "--npz", required = true, paramLabel = "FILE", description = "The .npz file to write.")
        Path npz;

        @Override
        public Integer call() {
            MultiLayerNetwork net = (MultiLayerNetwork) ModelStore.load(model, NAME).network().model();
            Map<String, Object> arrays = new LinkedHashMap<>();
            for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) {
                String name = layer.conf().getLayer().getLayerName();
                layer.paramTable().forEach((parameter, values) -> arrays.put(name + "_" + parameter, values));
            }
            Npz.write(npz, arrays);
            System.out.printf("wrote %d arrays (%,d parameters) to %s%n", arrays.size(), net.numParams(), npz);
            return 0;
        }
    }

    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = "Classify photos: with --model, by a model from train; with --imagenet, the top 5 of "
                    + "ImageNet's 1000 classes by VGG16 as Keras publishes it (553 MB, downloaded once).")
    static class Predict implements Callable<Integer> {
        @Option(names = "--model", paramLabel = "FILE", description = "A model.zip from train.")
        Path model;

        @Option(names = "--imagenet", description = "VGG16 with ImageNet's top instead of a trained model.")
        boolean imagenet;

        @Option(names = "--cache-dir", paramLabel = "DIR", description = "Where the ImageNet weights are kept "
                + "(default: $DL4J_LABS_DATA, else ~/.dl4j-labs/data).")
        Path cacheDir;

        @Parameters(arity = "1..*", paramLabel = "PHOTO", description = "Photo files or folders of photos.")
        List<Path> inputs;

        @Override
        public Integer call() {
            if (imagenet == (model != null)) {
                throw new LabsException("give --model FILE or --imagenet");
            }
            List<Path> files = PhotoFolder.photosIn(inputs);
            MultiLayerNetwork net;
            List<String> classes;
            int size;
            if (imagenet) {
                Path directory = CacheDirectory.resolve(cacheDir).resolve("vgg16");
                List<Path> downloaded = new Downloader().fetchAll(
                        List.of(Vgg16Weights.IMAGENET_TOP, ImageNetClasses.INDEX), directory);
                classes = ImageNetClasses.read(downloaded.get(1));
                size = 224;
                net = Vgg16Model.network(Vgg16Model.imagenet(0));
                KerasWeights.load(downloaded.get(0), net, Vgg16Model.withTopLayers());
            } else {
                ModelStore.Loaded loaded = ModelStore.load(model, NAME);
                net = (MultiLayerNetwork) loaded.network().model();
                classes = loaded.info().classNames();
                size = (int) loaded.info().inputShape()[1];
            }
            INDArray photos = new PhotoLoader(size, PhotoLoader.Resize.SQUASH).loadAll(files);
            for (String line : TopClasses.describe(net, photos, classes, imagenet ? 5 : Math.min(5, classes.size()),
                    files)) {
                System.out.println(line);
            }
            return 0;
        }
    }
}
