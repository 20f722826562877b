package org.dl4jlabs.autoencoder;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jlabs.autoencoder.AutoencoderModel.Architecture;
import org.dl4jlabs.autoencoder.AutoencoderModel.Loss;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.cli.CommonOptions;
import org.dl4jlabs.common.cli.LabsApp;
import org.dl4jlabs.common.cli.LabsCli;
import org.dl4jlabs.common.data.ImageClassData;
import org.dl4jlabs.common.data.mnist.IdxDataset;
import org.dl4jlabs.common.data.mnist.MnistDataResolver;
import org.dl4jlabs.common.layers.fast.FastLayers;
import org.dl4jlabs.common.report.HtmlReport;
import org.dl4jlabs.common.report.ReportWriter;
import org.dl4jlabs.common.report.RunReport;
import org.dl4jlabs.common.report.Settings;
import org.dl4jlabs.common.train.ModelInfo;
import org.dl4jlabs.common.train.ModelStore;
import org.dl4jlabs.common.train.Network;
import org.dl4jlabs.common.train.ShuffledBatches;
import org.dl4jlabs.common.train.Trainer;
import org.dl4jlabs.common.workflow.ImageClassifierCommands;
import org.dl4jlabs.common.workflow.RunContext;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ./labs autoencoder}: denoising autoencoders on digits. */
@Command(name = AutoencoderApp.NAME, mixinStandardHelpOptions = true,
        description = "Denoising autoencoders on digits: corrupt images, learn to restore them, and measure by how "
                + "much (MSE, PSNR), with pictures, codes and anomaly scores.",
        subcommands = {AutoencoderApp.Train.class, AutoencoderApp.Eval.class, AutoencoderApp.Denoise.class})
public class AutoencoderApp implements LabsApp {

    static final String NAME = "autoencoder";
    static final int EPOCHS = 10;
    static final int BATCH = 128;

    private static final Logger log = LoggerFactory.getLogger(AutoencoderApp.class);

    /** Image sets the app can train on; digits are MNIST or the suite's generated digits (see --data). */
    enum Dataset { DIGITS, FASHION }

    public static void main(String[] args) {
        LabsCli.main(new AutoencoderApp(), args);
    }

    static ImageClassData load(Dataset dataset, CommonOptions common) {
        ImageClassData data = switch (dataset) {
            case DIGITS -> MnistDataResolver.inCache(common.cacheDirectory()).resolve(common.dataOption());
            case FASHION -> MnistDataResolver.inCache(common.cacheDirectory(), IdxDataset.FASHION)
                    .resolve(common.dataOption());
        };
        if (data.channels() != 1 || data.height() != data.width()) {
            throw new LabsException(data.name() + " has " + data.channels() + " channels of " + data.height() + "x"
                    + data.width() + " pixels; the autoencoders take square grayscale images");
        }
        return data;
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train a denoising autoencoder; writes model.zip, report.json, report.html and train.log "
                    + "to --out.")
    static class Train implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--dataset", defaultValue = "digits",
                description = "Images to learn: DIGITS (MNIST) or FASHION (Fashion-MNIST) (default: ${DEFAULT-VALUE}).")
        Dataset dataset;

        @Option(names = "--model", defaultValue = "dense",
                description = "Network: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        Architecture architecture;

        @Option(names = "--bottleneck", defaultValue = "64", paramLabel = "N",
                description = "Numbers in the code the image is squeezed into; 2 draws a map of the codes "
                        + "(default: ${DEFAULT-VALUE}).")
        int bottleneck;

        @Option(names = "--loss", defaultValue = "mse",
                description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        Loss loss;

        @Option(names = "--noise", defaultValue = "gaussian",
                description = "How inputs are corrupted: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        Noise.Kind noise;

        @Option(names = "--noise-level", defaultValue = "0.3", paramLabel = "X",
                description = "Standard deviation (gaussian) or fraction of pixels (saltpepper, mask), "
                        + "above 0 and at most 1 (default: ${DEFAULT-VALUE}).")
        double noiseLevel;

        @Option(names = "--lr", defaultValue = "0.001",
                description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
        double learningRate;

        @Override
        public Integer call() {
            TrainSettings settings = new TrainSettings(architecture, bottleneck, loss, noise, noiseLevel, learningRate);
            AutoencoderModel.validate(settings.modelOptions());
            Noise.validate(noise, noiseLevel);
            if (noiseLevel == 0) {
                throw new LabsException("--noise-level 0 leaves nothing to denoise; try 0.3");
            }
            int epochs = common.epochs(EPOCHS);
            int batch = common.batch(BATCH);
            try (RunContext run = RunContext.start(NAME, "train", common)) {
                // 1. Data: square grayscale images in 0..1; the labels are kept only to colour the report.
                ImageClassData data = load(dataset, common);
                ImageClassifierCommands.describe(data);
                int side = data.height();

                // 2. The network: stock DL4J layers (AutoencoderModel), built with the suite's faster twins swapped in.
                MultiLayerNetwork model = FastLayers.acceleratedNetwork(
                        AutoencoderModel.configuration(settings.modelOptions(), side, run.seed()));
                Network net = Network.of(model);
                run.printSummary(net);

                // 3. Train: corrupted images in, the clean ones as targets; after each epoch, the loss on a noisy test set.
                log.info("noise: {} {}", noise.lowerName(), noiseLevel);
                INDArray clean = data.train().getFeatures();
                ShuffledBatches batches = new ShuffledBatches(new DataSet(clean, clean), batch, run.seed());
                batches.setPreProcessor(new Noise(noise, noiseLevel, run.seed()));
                INDArray test = data.test().getFeatures();
                DataSet noisyTest = new DataSet(new Noise(noise, noiseLevel, run.seed() + 1).corrupt(test), test);
                Trainer.Result trained = new Trainer(net, n -> Trainer.EpochScore.lossOnly(n.loss(noisyTest)))
                        .fit(batches, epochs);

                // 4. Evaluate: PSNR of noisy and denoised test images at three noise levels, and anomaly scores.
                DenoisingResults results = DenoisingResults.measure(net, test, noise, noiseLevel, run.seed() + 1);

                // 5. Save the model, with the settings eval needs.
                Map<String, Object> config = Settings.toMap(settings);
                ModelStore.save(net, new ModelInfo(NAME, data.name(), List.of(), new long[]{1, side, side}, config),
                        null, run.out().resolve(ModelStore.FILE_NAME));

                // 6. Report: report.json and report.html, with the picture grid and the learning curve.
                RunReport.Builder report = run.report()
                        .dataset(data.name(), data.train().numExamples(), data.test().numExamples())
                        .training(epochs, trained.trainSeconds())
                        .history(trained.history());
                config.forEach(report::config);
                int exitCode = writeReport(run, report, results, model, settings, data, trained);

                // 7. Keep the run: its files move into --out together.
                run.complete();
                return exitCode;
            }
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "Measure a trained denoiser on the test set at its noise level and around it; writes "
                    + "report.json and report.html to --out.")
    static class Eval implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--dataset", defaultValue = "digits",
                description = "Images to test on: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        Dataset dataset;

        @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.zip from train.")
        Path modelFile;

        @Override
        public Integer call() {
            try (RunContext run = RunContext.start(NAME, "eval", common)) {
                ModelStore.Loaded loaded = ModelStore.load(modelFile, NAME);
                ImageClassData data = load(dataset, common);
                long[] shape = loaded.info().inputShape();
                if (shape[1] != data.height() || shape[2] != data.width()) {
                    throw new LabsException(modelFile + " takes " + shape[1] + "x" + shape[2] + " images; "
                            + data.name() + " has " + data.height() + "x" + data.width());
                }
                TrainSettings settings = Settings.fromMap(loaded.info().config(), TrainSettings.class,
                        modelFile.toString());
                RunReport.Builder report = run.report()
                        .dataset(data.name(), 0, data.test().numExamples())
                        .config("model_file", modelFile.toAbsolutePath().toString())
                        .config("trained_on", loaded.info().dataset());
                loaded.info().config().forEach(report::config);
                DenoisingResults results = DenoisingResults.measure(loaded.network(), data.test().getFeatures(),
                        settings.noise(), settings.noiseLevel(), run.seed() + 1);
                int exitCode = writeReport(run, report, results, (MultiLayerNetwork) loaded.network().model(),
                        settings, data, null);
                run.complete();
                return exitCode;
            }
        }
    }

    @Command(name = "denoise", mixinStandardHelpOptions = true,
            description = "Denoise images with a trained model: writes NAME-denoised.png into --out for each IMAGE. "
                    + "Images are made grayscale and resized to the model's input when needed.")
    static class Denoise implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.zip from train.")
        Path modelFile;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the denoised PNGs go.")
        Path out;

        @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "PNG or JPEG files.")
        List<Path> images;

        @Override
        public Integer call() {
            ModelStore.Loaded loaded = ModelStore.load(modelFile, NAME);
            int side = (int) loaded.info().inputShape()[1];
            List<Path> targets = new ArrayList<>();
            for (Path image : images) {
                Path target = out.resolve(outputName(image));
                if (Files.exists(target) || targets.contains(target)) {
                    throw new LabsException(target + " already exists (or two inputs share a name); choose another "
                            + "--out so that nothing is overwritten");
                }
                targets.add(target);
            }
            List<GrayImages.Prepared> prepared = images.stream().map(image -> GrayImages.read(image, side)).toList();
            for (int i = 0; i < images.size(); i++) {
                prepared.get(i).notes().forEach(System.err::println);
                GrayImages.writePng(loaded.network().output(prepared.get(i).pixels()), side, targets.get(i));
                System.out.println(images.get(i) + " -> " + targets.get(i));
            }
            return 0;
        }

        static String outputName(Path image) {
            String name = image.getFileName().toString();
            int dot = name.lastIndexOf('.');
            return (dot > 0 ? name.substring(0, dot) : name) + "-denoised.png";
        }
    }

    /**
     * What a denoiser was trained with, saved in its model.zip and read back by eval.
     *
     * @param model the network's architecture, as --model names it
     */
    record TrainSettings(Architecture model, int bottleneck, Loss loss, Noise.Kind noise, double noiseLevel,
                         double learningRate) {
        AutoencoderModel.Options modelOptions() {
            return new AutoencoderModel.Options(model, bottleneck, loss, learningRate);
        }
    }

    /** Writes the reports and returns the exit code: {@link LabsCli#FAILED_RUN} when the denoiser fails its check. */
    private static int writeReport(RunContext run, RunReport.Builder report, DenoisingResults results,
                                   MultiLayerNetwork model, TrainSettings settings, ImageClassData data,
                                   Trainer.Result trained) {
        INDArray test = data.test().getFeatures();
        int[] labels = data.test().getLabels().argMax(1).toIntVector();
        DenoisingReport.addTo(report, results, labels);
        RunReport built = report.build();
        INDArray codes = settings.bottleneck() == 2 ? AutoencoderModel.encode(model, settings.model(), test) : null;
        HtmlReport page = DenoisingReport.page(built, results, labels,
                trained == null ? List.of() : trained.history(), codes, data.height());
        ReportWriter.write(run.out(), built, page);
        String verdict = DenoisingReport.verdict(results);
        if (results.passed()) {
            log.info("{}", verdict);
        } else {
            log.warn("{}", verdict);
        }
        return results.passed() ? 0 : LabsCli.FAILED_RUN;
    }
}
