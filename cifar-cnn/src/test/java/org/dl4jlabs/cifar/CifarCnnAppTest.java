package org.dl4jlabs.cifar;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jlabs.common.cli.BadInputCorpus;
import org.dl4jlabs.common.cli.ConsoleRun;
import org.dl4jlabs.common.data.ImageClassData;
import org.dl4jlabs.common.data.cifar.Cifar;
import org.dl4jlabs.common.data.cifar.CifarFormat.Labels;
import org.dl4jlabs.common.data.cifar.CifarFormat;
import org.dl4jlabs.common.data.cifar.GeneratedCifar;
import org.dl4jlabs.common.data.mnist.TestData;
import org.dl4jlabs.common.eval.ClassificationEvaluator;
import org.dl4jlabs.common.report.RunReport;
import org.dl4jlabs.common.train.ChannelStandardization;
import org.dl4jlabs.common.train.ModelStore;
import org.dl4jlabs.common.train.ShuffledBatches;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import static org.dl4jlabs.common.cli.ConsoleRun.assertEveryHelpIsClean;
import static org.dl4jlabs.common.cli.ConsoleRun.assertRunFiles;
import static org.dl4jlabs.common.cli.ConsoleRun.assertUserError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The app end to end on a small set of generated images written in CIFAR-10's binary format. */
class CifarCnnAppTest {

    @TempDir
    static Path shared;
    static Path images;
    static Path run;
    static ConsoleRun trained;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainOnce() {
        images = shared.resolve("small-cifar");
        GeneratedCifar.write(images, new GeneratedCifar.Spec(1000, 200, 7));
        run = shared.resolve("run");
        trained = ConsoleRun.of(new CifarCnnApp(), "train", "--model", "small", "--data", images.toString(), "--epochs",
                "6", "--width", "8", "--out", run.toString());
    }

    @TestFactory
    Stream<DynamicTest> badInputsAreRefusedInOneLineAndWriteNothing() {
        return BadInputCorpus.cases(getClass(), CifarCnnApp::new, dir, Map.of("images", images, "model", run.resolve("model.zip"),
                "train-run", run, "cache", dir.resolve("cache")));
    }

    @Test
    void everyCommandPrintsItsHelp() {
        assertEveryHelpIsClean(new CifarCnnApp());
    }

    @Test
    void trainsTheSmallCnnAndWritesModelReportsAndLog() {
        assertEquals(0, trained.exitCode(), trained.err());
        assertRunFiles(run);
        RunReport report = RunReport.read(run.resolve("report.json"));
        assertEquals("cifar-cnn", report.app());
        assertEquals("small-cifar", report.dataset());
        assertEquals(1000, report.examplesTrain());
        assertEquals(6, report.history().size());
        assertTrue(report.metrics().accuracy() > 0.25, "accuracy " + report.metrics().accuracy());
        assertEquals("small", report.config().get("model"));
        assertEquals(0.0, ((Number) report.config().get("label_smoothing")).doubleValue(), "hard targets");
        assertNotNull(ModelStore.load(run.resolve("model.zip"), "cifar-cnn").normalizer(), "normalizer saved");
    }

    @Test
    void theDefaultResidualNetworkLearnsWithSoftTargetsAndEvalReadsItBack() {
        Path out = dir.resolve("resnet");
        ConsoleRun resnet = ConsoleRun.of(new CifarCnnApp(), "train", "--data", images.toString(), "--epochs", "8",
                "--batch", "32", "--width", "8", "--out", out.toString());
        assertEquals(0, resnet.exitCode(), resnet.err());
        RunReport report = RunReport.read(out.resolve("report.json"));
        assertEquals("resnet", report.config().get("model"));
        assertEquals(0.2, ((Number) report.config().get("label_smoothing")).doubleValue());
        assertTrue(report.metrics().accuracy() > 0.3, "accuracy " + report.metrics().accuracy());

        Path evaluated = dir.resolve("resnet-eval");
        ConsoleRun eval = ConsoleRun.of(new CifarCnnApp(), "eval", "--model", out.resolve("model.zip").toString(),
                "--data", images.toString(), "--out", evaluated.toString());
        assertEquals(0, eval.exitCode(), eval.err());
        assertEquals(report.metrics().accuracy(), RunReport.read(evaluated.resolve("report.json")).metrics().accuracy());
    }

    @Test
    void aLinearModelDoesClearlyWorseThanTheCnnOnGeneratedImages() {
        ImageClassData data = Cifar.load(images, CifarFormat.CIFAR10, Labels.FINE, "small");
        DataNormalization normalizer = ChannelStandardization.fit(data.train(), 3);
        DataSet train = data.train().copy();
        DataSet test = data.test().copy();
        normalizer.transform(train);
        normalizer.transform(test);
        MultiLayerNetwork linear = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(42)
                .updater(new Adam(1e-3)).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3072).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build());
        linear.init();
        ShuffledBatches batches = new ShuffledBatches(train, 64, 42);
        for (int epoch = 0; epoch < 10; epoch++) {
            batches.reset();
            linear.fit(batches);
        }
        double linearAccuracy = new ClassificationEvaluator(data.classNames(), 0)
                .evaluate(linear::output, test, 200).accuracy();
        double cnnAccuracy = RunReport.read(run.resolve("report.json")).metrics().accuracy();
        assertTrue(linearAccuracy < cnnAccuracy - 0.05, "linear " + linearAccuracy + " vs CNN " + cnnAccuracy);
    }

    @Test
    void evalAppliesTheSavedNormalizationAndNoAugmentation() {
        Path out = dir.resolve("eval");
        ConsoleRun eval = ConsoleRun.of(new CifarCnnApp(), "eval", "--model", run.resolve("model.zip").toString(),
                "--data", images.toString(), "--out", out.toString());
        assertEquals(0, eval.exitCode(), eval.err());
        // Training's final score had no augmentation either: the same network on the same images agrees.
        assertEquals(RunReport.read(run.resolve("report.json")).metrics().accuracy(),
                RunReport.read(out.resolve("report.json")).metrics().accuracy());
    }

    @Test
    void fmpTrainsWithTestTimeAveragingAndReportsOneAndRPasses() throws Exception {
        Path out = dir.resolve("fmp");
        ConsoleRun fmp = ConsoleRun.of(new CifarCnnApp(), "train", "--model", "fmp", "--data", images.toString(), "--epochs",
                "2", "--fmp-filters", "4", "--test-repeats", "2", "--out", out.toString());
        assertEquals(0, fmp.exitCode(), fmp.err());
        RunReport report = RunReport.read(out.resolve("report.json"));
        @SuppressWarnings("unchecked")
        Map<String, Object> averaging = (Map<String, Object>) report.extra().get("test_time_averaging");
        assertEquals(2, ((Number) averaging.get("repeats")).intValue());
        double onePass = ((Number) averaging.get("accuracy_one_pass")).doubleValue();
        double averaged = ((Number) averaging.get("accuracy_averaged")).doubleValue();
        assertTrue(onePass >= 0 && onePass <= 1 && averaged >= 0 && averaged <= 1, averaging.toString());
        assertEquals(report.metrics().accuracy(), averaged, 1e-12, "one run, one figure: the report's accuracy");
        String console = fmp.out() + fmp.err();
        assertTrue(console.contains(String.format("test accuracy %.2f%% on small-cifar, each prediction averaged over 2"
                + " passes", 100 * averaged)), console);
        assertEquals(4, ((Number) report.config().get("filters")).intValue());
        assertEquals(6, ((Number) report.config().get("stages")).intValue());
        assertTrue(Files.readString(out.resolve("report.html")).contains("Test-time averaging"));

        Path evaluated = dir.resolve("fmp-eval");
        ConsoleRun eval = ConsoleRun.of(new CifarCnnApp(), "eval", "--model", out.resolve("model.zip").toString(), "--data",
                images.toString(), "--test-repeats", "3", "--out", evaluated.toString());
        assertEquals(0, eval.exitCode(), eval.err());
        @SuppressWarnings("unchecked")
        Map<String, Object> again = (Map<String, Object>) RunReport.read(evaluated.resolve("report.json")).extra()
                .get("test_time_averaging");
        assertEquals(3, ((Number) again.get("repeats")).intValue());
    }

    @Test
    void fmpOnMnistPadsDigitsTo36() {
        Path digits = TestData.writeSmallDigits(dir.resolve("digits"));
        Path out = dir.resolve("mnist-fmp");
        ConsoleRun fmp = ConsoleRun.of(new CifarCnnApp(), "train", "--dataset", "mnist", "--model", "fmp", "--data",
                digits.toString(), "--epochs", "1", "--fmp-filters", "2", "--fmp-regions", "random",
                "--out", out.toString());
        assertEquals(0, fmp.exitCode(), fmp.err());
        RunReport report = RunReport.read(out.resolve("report.json"));
        assertEquals(36, ((Number) report.config().get("padded_side")).intValue());
        assertEquals("random", report.config().get("regions"));
    }

    @Test
    void cifar100TrainsOnFineOrCoarseLabelsWithTop5Accuracy() throws Exception {
        Path hundred = Files.createDirectory(dir.resolve("tiny-cifar100"));
        java.util.Random random = new java.util.Random(3);
        for (String[] split : new String[][]{{"train.bin", "200"}, {"test.bin", "60"}}) {
            int count = Integer.parseInt(split[1]);
            byte[] records = new byte[count * CifarFormat.CIFAR100.recordLength()];
            random.nextBytes(records);
            for (int i = 0; i < count; i++) {
                int fine = i % 100;
                records[i * CifarFormat.CIFAR100.recordLength()] = (byte) (fine / 5); // coarse
                records[i * CifarFormat.CIFAR100.recordLength() + 1] = (byte) fine;
            }
            Files.write(hundred.resolve(split[0]), records);
        }
        for (String labels : List.of("coarse", "fine")) {
            Path out = dir.resolve(labels);
            ConsoleRun run = ConsoleRun.of(new CifarCnnApp(), "train", "--dataset", "cifar100", "--labels", labels, "--data",
                    hundred.toString(), "--epochs", "1", "--width", "4", "--blocks", "2", "--out", out.toString());
            assertEquals(0, run.exitCode(), run.err());
            RunReport report = RunReport.read(out.resolve("report.json"));
            int classes = labels.equals("coarse") ? 20 : 100;
            assertEquals(classes, report.metrics().confusionMatrix().length);
            assertNotNull(report.metrics().top5Accuracy(), "top-5 reported");
            assertEquals(60, report.examplesTest());
        }
    }

    @Test
    void predictNamesTheClassOfEachImage() throws Exception {
        INDArray test = Cifar.load(images, CifarFormat.CIFAR10, Labels.FINE, "small").test().getFeatures();
        Path first = writePng(test.getRow(0).toFloatVector(), dir.resolve("first.png"));
        ConsoleRun predict = ConsoleRun.of(new CifarCnnApp(), "predict", "--model", run.resolve("model.zip").toString(),
                first.toString());
        assertEquals(0, predict.exitCode(), predict.err());
        String line = predict.out().strip();
        assertTrue(line.contains(" disc=") && line.contains(" frame="), line);

        // Same answer as the saved network on the same example through the saved normalizer.
        ModelStore.Loaded model = ModelStore.load(run.resolve("model.zip"), "cifar-cnn");
        INDArray features = test.getRow(0, true).dup();
        ((DataNormalization) model.normalizer()).transform(features);
        int expected = model.network().output(features).argMax(1).getInt(0);
        assertTrue(line.startsWith(first + ": " + GeneratedCifar.CLASSES.get(expected) + " ("), line);

        BufferedImage small = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        Path wrongSize = dir.resolve("small.png");
        ImageIO.write(small, "png", wrongSize.toFile());
        assertUserError(ConsoleRun.of(new CifarCnnApp(), "predict", "--model", run.resolve("model.zip").toString(),
                wrongSize.toString()), "28x28 pixels; the model expects 32x32");
    }

    @Test
    void saveAndReloadGiveTheSameNetwork() {
        ModelStore.Loaded once = ModelStore.load(run.resolve("model.zip"), "cifar-cnn");
        Path copy = dir.resolve("copy.zip");
        ModelStore.save(once.network(), once.info(), once.normalizer(), copy);
        ModelStore.Loaded again = ModelStore.load(copy, "cifar-cnn");
        assertEquals(once.network().model().params(), again.network().model().params());
        INDArray features = Cifar.load(images, CifarFormat.CIFAR10, Labels.FINE, "small").test().getFeatures();
        assertEquals(once.network().output(features), again.network().output(features));
        assertEquals(once.info().classNames(), again.info().classNames());
    }

    @Test
    void rotateAndScaleReachTheTrainingAugmentationAndTheReport() {
        Path tiny = dir.resolve("tiny-cifar");
        GeneratedCifar.write(tiny, new GeneratedCifar.Spec(60, 20, 5));
        RunReport plain = tinyRun(tiny, "plain");
        RunReport affine = tinyRun(tiny, "affine", "--rotate", "15", "--scale", "0.1");
        RunReport again = tinyRun(tiny, "affine-again", "--rotate", "15", "--scale", "0.1");
        assertEquals(0.0, ((Number) plain.config().get("rotate")).doubleValue());
        assertEquals(0.0, ((Number) plain.config().get("scale")).doubleValue());
        assertEquals(15.0, ((Number) affine.config().get("rotate")).doubleValue());
        assertEquals(0.1, ((Number) affine.config().get("scale")).doubleValue());
        // Same seed: the turned and scaled images repeat exactly, and differ from the plain run's.
        double affineLoss = affine.history().get(0).trainLoss();
        assertEquals(again.history().get(0).trainLoss(), affineLoss);
        assertNotEquals(plain.history().get(0).trainLoss(), affineLoss);
        // The final score saw no augmentation: eval, which never has any, gives the same accuracy.
        ConsoleRun eval = ConsoleRun.of(new CifarCnnApp(), "eval", "--model", dir.resolve("affine/model.zip").toString(),
                "--data", tiny.toString(), "--out", dir.resolve("affine-eval").toString());
        assertEquals(0, eval.exitCode(), eval.err());
        assertEquals(affine.metrics().accuracy(),
                RunReport.read(dir.resolve("affine-eval/report.json")).metrics().accuracy());
    }

    private RunReport tinyRun(Path images, String name, String... affineOptions) {
        Path out = dir.resolve(name);
        List<String> args = new java.util.ArrayList<>(List.of("train", "--data", images.toString(), "--epochs", "1",
                "--batch", "20", "--width", "2", "--blocks", "1", "--out", out.toString()));
        args.addAll(List.of(affineOptions));
        ConsoleRun train = ConsoleRun.of(new CifarCnnApp(), args.toArray(String[]::new));
        assertEquals(0, train.exitCode(), train.err());
        return RunReport.read(out.resolve("report.json"));
    }

    @Test
    void badDataAndOptionsAreRefusedClearly() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertUserError(ConsoleRun.of(new CifarCnnApp(), "train", "--data", empty.toString(), "--out", dir.resolve("r").toString()),
                "data_batch_1.bin");
        assertUserError(ConsoleRun.of(new CifarCnnApp(), "train", "--data", images.toString(), "--dataset", "cifar100",
                "--out", dir.resolve("r").toString()), "train.bin");
        Path hundredAsTen = Files.createDirectory(dir.resolve("hundred"));
        for (String name : List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin", "test_batch.bin")) {
            Files.write(hundredAsTen.resolve(name), new byte[3 * CifarFormat.CIFAR100.recordLength()]);
        }
        assertUserError(ConsoleRun.of(new CifarCnnApp(), "train", "--data", hundredAsTen.toString(), "--out",
                dir.resolve("r").toString()), "looks like a CIFAR-100 file");
        Path truncated = Files.createDirectory(dir.resolve("truncated"));
        for (String name : List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin", "test_batch.bin")) {
            Files.copy(images.resolve(name), truncated.resolve(name));
        }
        byte[] test = Files.readAllBytes(images.resolve("test_batch.bin"));
        Files.write(truncated.resolve("test_batch.bin"), java.util.Arrays.copyOf(test, test.length - 1000));
        assertUserError(ConsoleRun.of(new CifarCnnApp(), "train", "--data", truncated.toString(), "--out",
                dir.resolve("r").toString()), "truncated");
        assertUserError(ConsoleRun.of(new CifarCnnApp(), "train", "--labels", "coarse", "--data", images.toString()),
                "CIFAR-100 only");
        assertUserError(ConsoleRun.of(new CifarCnnApp(), "train", "--test-repeats", "0"), "--test-repeats");
        assertUserError(ConsoleRun.of(new CifarCnnApp(), "train", "--rotate", "-5"), "--rotate takes an angle from 0 to 180");
        assertUserError(ConsoleRun.of(new CifarCnnApp(), "train", "--rotate", "400"), "--rotate");
        assertUserError(ConsoleRun.of(new CifarCnnApp(), "train", "--scale", "0.8"), "--scale takes a fraction from 0 to 0.5");
        assertUserError(ConsoleRun.of(new CifarCnnApp(), "train", "--scale", "-0.1"), "--scale");
        assertUserError(ConsoleRun.of(new CifarCnnApp(), "train", "--rotate", "10", "--augment", "false"), "--augment false");
        assertUserError(ConsoleRun.of(new CifarCnnApp(), "train", "--model", "fmp", "--fmp-input", "40", "--data",
                images.toString(), "--out", dir.resolve("r").toString()), "--fmp-input 40");
    }


    /** Writes a CIFAR row (red, green, blue planes of 0..1 values) as a PNG. */
    private static Path writePng(float[] planes, Path file) throws Exception {
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                int p = y * 32 + x;
                int red = Math.round(planes[p] * 255);
                int green = Math.round(planes[1024 + p] * 255);
                int blue = Math.round(planes[2048 + p] * 255);
                image.setRGB(x, y, (red << 16) | (green << 8) | blue);
            }
        }
        ImageIO.write(image, "png", file.toFile());
        return file;
    }
}
