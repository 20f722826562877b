package org.dl4jlabs.mnist;

import org.dl4jlabs.common.cli.BadInputCorpus;
import org.dl4jlabs.common.cli.ConsoleRun;
import org.dl4jlabs.common.data.mnist.Idx;
import org.dl4jlabs.common.data.mnist.IdxImages;
import org.dl4jlabs.common.data.mnist.Mnist;
import org.dl4jlabs.common.data.mnist.TestData;
import org.dl4jlabs.common.report.RunReport;
import org.dl4jlabs.common.train.ModelInfo;
import org.dl4jlabs.common.train.ModelStore;
import org.dl4jlabs.common.train.Network;
import org.dl4jlabs.common.train.TinyNets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import static org.dl4jlabs.common.cli.ConsoleRun.assertEveryHelpIsClean;
import static org.dl4jlabs.common.cli.ConsoleRun.assertRunFiles;
import static org.dl4jlabs.common.cli.ConsoleRun.assertUserError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The app end to end, on a small set of generated digits written in MNIST's format. */
class MnistMlpAppTest {

    @TempDir
    static Path shared;
    static Path digits;
    static Path run;
    static ConsoleRun trained;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainOnce() {
        digits = TestData.writeSmallDigits(shared.resolve("small-digits"));
        run = shared.resolve("run");
        trained = ConsoleRun.of(new MnistMlpApp(), "train", "--data", digits.toString(), "--epochs", "5", "--hidden", "128",
                "--out", run.toString());
    }

    @TestFactory
    Stream<DynamicTest> badInputsAreRefusedInOneLineAndWriteNothing() {
        return BadInputCorpus.cases(getClass(), MnistMlpApp::new, dir, Map.of("digits", digits,
                "model", run.resolve("model.zip"), "train-run", run, "cache", dir.resolve("cache")));
    }

    @Test
    void fashionMnistFilesTrainWithTheClothesAsClasses() {
        Path out = dir.resolve("fashion");
        ConsoleRun run = ConsoleRun.of(new MnistMlpApp(), "train", "--dataset", "fashion", "--data", digits.toString(),
                "--epochs", "1", "--hidden", "16", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        RunReport report = RunReport.read(out.resolve("report.json"));
        assertEquals("Ankle boot", report.metrics().perClass().get(9).name());
        assertEquals(List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                "Ankle boot"), ModelStore.load(out.resolve("model.zip"), "mnist-mlp").info().classNames());
    }

    @Test
    void everyCommandPrintsItsHelp() {
        assertEveryHelpIsClean(new MnistMlpApp());
    }

    @Test
    void trainWritesModelReportsAndLog() {
        assertEquals(0, trained.exitCode(), trained.err());
        assertRunFiles(run);
        RunReport report = RunReport.read(run.resolve("report.json"));
        assertEquals("mnist-mlp", report.app());
        assertEquals("small-digits", report.dataset());
        assertEquals(TestData.SMALL.trainSize(), report.examplesTrain());
        assertEquals(TestData.SMALL.testSize(), report.examplesTest());
        assertEquals(5, report.history().size());
        assertTrue(report.metrics().accuracy() > 0.6, "accuracy " + report.metrics().accuracy());
        assertEquals(10, report.metrics().confusionMatrix().length);
        assertEquals("CPU", report.backend().type());
        assertTrue(report.backend().onednn());
        assertEquals(List.of(128), report.config().get("hidden"));
    }

    @Test
    void sameSeedGivesTheSameMetrics() {
        Path again = dir.resolve("again");
        ConsoleRun second = ConsoleRun.of(new MnistMlpApp(), "train", "--data", digits.toString(), "--epochs", "5", "--hidden", "128",
                "--out", again.toString());
        assertEquals(0, second.exitCode(), second.err());
        RunReport.ClassifierMetrics first = RunReport.read(run.resolve("report.json")).metrics();
        RunReport.ClassifierMetrics repeat = RunReport.read(again.resolve("report.json")).metrics();
        assertEquals(first.accuracy(), repeat.accuracy());
        assertEquals(first.f1(), repeat.f1());
        assertArrayEquals(first.confusionMatrix(), repeat.confusionMatrix());
    }

    @Test
    void evalScoresTheSavedModelLikeTraining() {
        Path out = dir.resolve("eval");
        ConsoleRun eval = ConsoleRun.of(new MnistMlpApp(), "eval", "--model", run.resolve("model.zip").toString(), "--data", digits.toString(),
                "--out", out.toString());
        assertEquals(0, eval.exitCode(), eval.err());
        assertEquals(RunReport.read(run.resolve("report.json")).metrics().accuracy(),
                RunReport.read(out.resolve("report.json")).metrics().accuracy());
    }

    @Test
    void predictNamesTheDigitOfEachImage() throws Exception {
        IdxImages images = Idx.readImages(digits.resolve(Mnist.TEST_IMAGES));
        Path first = writePng(images, 0, dir.resolve("first.png"));
        Path second = writePng(images, 1, dir.resolve("second.png"));

        ConsoleRun predict = ConsoleRun.of(new MnistMlpApp(), "predict", "--model", run.resolve("model.zip").toString(),
                first.toString(), second.toString());

        assertEquals(0, predict.exitCode(), predict.err());
        String[] lines = predict.out().strip().split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].startsWith(first + ": "), lines[0]);
        assertTrue(lines[0].contains(" 0=") && lines[0].contains(" 9="), "all ten probabilities: " + lines[0]);
        assertTrue(lines[1].startsWith(second + ": "), lines[1]);
        // The same answer as the network gives for the same test example read through the data pipeline.
        Network net = ModelStore.load(run.resolve("model.zip"), "mnist-mlp").network();
        INDArray features = Mnist.load(digits, "small").test().getFeatures().getRow(0, true);
        int expected = net.output(features).argMax(1).getInt(0);
        assertTrue(lines[0].startsWith(first + ": " + expected + " ("), lines[0]);
    }

    @Test
    void wrongImagesAreRefusedClearly() throws Exception {
        BufferedImage big = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
        Path wrongSize = dir.resolve("big.png");
        ImageIO.write(big, "png", wrongSize.toFile());
        BufferedImage colour = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        colour.setRGB(3, 3, 0xff0000);
        Path coloured = dir.resolve("colour.png");
        ImageIO.write(colour, "png", coloured.toFile());
        Path text = Files.writeString(dir.resolve("digit.png"), "not an image");

        assertUserError(ConsoleRun.of(new MnistMlpApp(), "predict", "--model", run.resolve("model.zip").toString(), wrongSize.toString()),
                "32x32 pixels; the model expects 28x28");
        assertUserError(ConsoleRun.of(new MnistMlpApp(), "predict", "--model", run.resolve("model.zip").toString(), coloured.toString()),
                "colour image");
        assertUserError(ConsoleRun.of(new MnistMlpApp(), "predict", "--model", run.resolve("model.zip").toString(), text.toString()),
                "not an image");
    }

    @Test
    void wrongModelFilesAreRefusedClearly() throws Exception {
        Path other = dir.resolve("other.zip");
        ModelStore.save(Network.of(TinyNets.classifier(1)),
                new ModelInfo("cifar-cnn", "cifar10", List.of("a", "b"), new long[]{4}, Map.of()), null, other);
        Path notAModel = Files.writeString(dir.resolve("model.zip"), "hello");

        assertUserError(ConsoleRun.of(new MnistMlpApp(), "eval", "--model", other.toString(), "--data", digits.toString()),
                "model of the cifar-cnn app");
        assertUserError(ConsoleRun.of(new MnistMlpApp(), "predict", "--model", notAModel.toString(), "x.png"), "not a model file");
    }

    @Test
    void badDataAndOptionsAreRefusedClearly() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertUserError(ConsoleRun.of(new MnistMlpApp(), "train", "--data", empty.toString(), "--out", dir.resolve("r").toString()),
                "train-images-idx3-ubyte");
        assertUserError(ConsoleRun.of(new MnistMlpApp(), "train", "--epochs", "ten"), "'ten' is not an int");
        assertUserError(ConsoleRun.of(new MnistMlpApp(), "train", "--dropout", "1.5"), "--dropout");
        assertUserError(ConsoleRun.of(new MnistMlpApp(), "train", "--activation", "swish"), "swish");
    }

    @Test
    void divergingTrainingSaysSoAndLeavesTheEarlierRunInOutExactlyAsItWas() throws Exception {
        Path out = dir.resolve("diverge");
        Files.createDirectories(out);
        Map<String, byte[]> before = new TreeMap<>();
        try (var files = Files.list(run)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                before.put(file.getFileName().toString(), Files.readAllBytes(Files.copy(file,
                        out.resolve(file.getFileName()))));
            }
        }

        ConsoleRun diverged = ConsoleRun.of(new MnistMlpApp(), "train", "--data", digits.toString(), "--epochs", "2", "--optimizer", "sgd",
                "--lr", "1e30", "--out", out.toString());

        assertUserError(diverged, "smaller");
        try (var files = Files.list(out)) {
            assertEquals(before.keySet(), files.map(f -> f.getFileName().toString()).collect(Collectors.toSet()));
        }
        for (var file : before.entrySet()) {
            assertArrayEquals(file.getValue(), Files.readAllBytes(out.resolve(file.getKey())), file.getKey());
        }
        try (var siblings = Files.list(dir)) {
            assertTrue(siblings.noneMatch(f -> f.getFileName().toString().startsWith(".diverge")),
                    "the failed run's staging directory is removed");
        }
    }

    @Test
    void evalRefusesAnOutThatHoldsATrainingRun() throws Exception {
        byte[] model = Files.readAllBytes(run.resolve("model.zip"));
        assertUserError(ConsoleRun.of(new MnistMlpApp(), "eval", "--data", digits.toString(), "--model",
                run.resolve("model.zip").toString(), "--out", run.toString()), "holds a mnist-mlp train run");
        assertArrayEquals(model, Files.readAllBytes(run.resolve("model.zip")));
    }

    private static Path writePng(IdxImages images, int index, Path file) throws Exception {
        int h = images.height();
        int w = images.width();
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int value = images.pixels()[index * h * w + y * w + x] & 0xff;
                image.getRaster().setSample(x, y, 0, value);
            }
        }
        ImageIO.write(image, "png", file.toFile());
        return file;
    }
}
