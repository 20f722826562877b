package org.dl4jlabs.autoencoder;

import org.dl4jlabs.common.cli.BadInputCorpus;
import org.dl4jlabs.common.cli.ConsoleRun;
import org.dl4jlabs.common.cli.LabsCli;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import static org.dl4jlabs.common.cli.ConsoleRun.assertEveryHelpIsClean;
import static org.dl4jlabs.common.cli.ConsoleRun.assertRunFiles;
import static org.dl4jlabs.common.cli.ConsoleRun.assertUserError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The app end to end, on a small set of generated digits written in MNIST's format. */
class AutoencoderAppTest {

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
        trained = train(run);
    }

    @TestFactory
    Stream<DynamicTest> badInputsAreRefusedInOneLineAndWriteNothing() {
        return BadInputCorpus.cases(getClass(), AutoencoderApp::new, dir, Map.of("digits", digits, "model", run.resolve("model.zip"),
                "train-run", run, "cache", dir.resolve("cache")));
    }

    @Test
    void everyCommandPrintsItsHelp() {
        assertEveryHelpIsClean(new AutoencoderApp());
    }

    @Test
    void trainBeatsTheNoisyBaselineAndReportsTheTable() {
        assertEquals(0, trained.exitCode(), trained.err());
        assertRunFiles(run);
        RunReport report = RunReport.read(run.resolve("report.json"));
        assertEquals("autoencoder", report.app());
        assertEquals("small-digits", report.dataset());
        assertEquals(6, report.history().size());
        assertEquals(null, report.metrics());

        List<Map<String, Object>> quality = quality(report);
        assertEquals(List.of(0.2, 0.4, 0.8), quality.stream().map(row -> row.get("level")).toList());
        Map<String, Object> atTrainedLevel = quality.get(1);
        assertEquals(true, atTrainedLevel.get("trained"));
        double noisy = ((Number) atTrainedLevel.get("psnr_noisy")).doubleValue();
        double denoised = ((Number) atTrainedLevel.get("psnr_denoised")).doubleValue();
        assertTrue(denoised > noisy + 2, "denoised " + denoised + " dB vs noisy " + noisy + " dB");
        assertEquals(10 * Math.log10(1 / ((Number) atTrainedLevel.get("mse_noisy")).doubleValue()), noisy, 1e-9);
        String verdict = (String) report.extra().get("verdict");
        assertTrue(verdict.startsWith("passed"), verdict);

        List<?> anomalies = (List<?>) report.extra().get("anomalies");
        assertEquals(DenoisingReport.ANOMALIES_LISTED, anomalies.size());
        double worst = ((Number) ((Map<?, ?>) anomalies.get(0)).get("reconstruction_mse")).doubleValue();
        double next = ((Number) ((Map<?, ?>) anomalies.get(1)).get("reconstruction_mse")).doubleValue();
        assertTrue(worst >= next, "worst first");

        String html = read(run.resolve("report.html"));
        for (String section : List.of("Denoising quality", "Clean, noisy, denoised", "Worst reconstructions",
                "Best reconstructions", "Loss", "PSNR denoised")) {
            assertTrue(html.contains(section), section);
        }
    }

    @Test
    void evalMeasuresTheSavedModelLikeTraining() {
        Path out = dir.resolve("eval");
        ConsoleRun eval = ConsoleRun.of(new AutoencoderApp(), "eval", "--model", run.resolve("model.zip").toString(),
                "--data", digits.toString(), "--out", out.toString());
        assertEquals(0, eval.exitCode(), eval.err());
        assertEquals(quality(RunReport.read(run.resolve("report.json"))),
                quality(RunReport.read(out.resolve("report.json"))));
    }

    @Test
    void aDenoiserThatLearnedNothingIsAFailedRun() {
        Path out = dir.resolve("failed");
        ConsoleRun weak = ConsoleRun.of(new AutoencoderApp(), "train", "--data", digits.toString(), "--epochs", "1",
                "--lr", "1e-9", "--noise-level", "0.1", "--out", out.toString());
        assertEquals(LabsCli.FAILED_RUN, weak.exitCode(), weak.err());
        assertTrue(Files.isRegularFile(out.resolve("report.html")), "a failed run still writes its report");
        String verdict = (String) RunReport.read(out.resolve("report.json")).extra().get("verdict");
        assertTrue(verdict.startsWith("FAILED"), verdict);
        assertTrue(weak.out().contains("FAILED") || weak.err().contains("FAILED"), weak.out() + weak.err());
    }

    @Test
    void convWithATwoNumberCodeDrawsTheCodeMap() {
        Path out = dir.resolve("conv");
        ConsoleRun conv = ConsoleRun.of(new AutoencoderApp(), "train", "--data", digits.toString(), "--epochs", "1",
                "--model", "conv", "--bottleneck", "2", "--noise", "mask", "--loss", "xent", "--out", out.toString());
        // Two numbers after one epoch cannot restore a digit, so the run fails its check; it still draws the map.
        assertEquals(LabsCli.FAILED_RUN, conv.exitCode(), conv.err());
        assertTrue(read(out.resolve("report.html")).contains("Codes"));
        assertEquals("conv", RunReport.read(out.resolve("report.json")).config().get("model"));
    }

    @Test
    void denoiseWritesCleanerPngs() throws Exception {
        INDArray clean = Mnist.load(digits, "small").test().getFeatures().getRow(0, true);
        INDArray noisy = new Noise(Noise.Kind.GAUSSIAN, 0.4, 5).corrupt(clean);
        Path input = writePng(noisy, dir.resolve("noisy.png"));
        Path out = dir.resolve("denoised");

        ConsoleRun denoise = ConsoleRun.of(new AutoencoderApp(), "denoise", "--model", run.resolve("model.zip").toString(),
                "--out", out.toString(), input.toString());

        assertEquals(0, denoise.exitCode(), denoise.err());
        Path written = out.resolve("noisy-denoised.png");
        assertTrue(denoise.out().contains(input + " -> " + written), denoise.out());
        BufferedImage image = ImageIO.read(written.toFile());
        assertEquals(28, image.getWidth());
        assertEquals(28, image.getHeight());
        INDArray denoised = GrayImages.read(written, 28).pixels();
        INDArray readBack = GrayImages.read(input, 28).pixels();
        assertEquals(ImageQuality.mse(noisy, clean), ImageQuality.mse(readBack, clean), 1e-5,
                "the PNG round trip keeps the pixels (to 8 bits)");
        assertTrue(ImageQuality.mse(denoised, clean) < 0.7 * ImageQuality.mse(noisy, clean),
                "denoised " + ImageQuality.mse(denoised, clean) + " vs noisy " + ImageQuality.mse(noisy, clean));
    }

    @Test
    void colourAndWrongSizeImagesAreConvertedWithANote() throws Exception {
        BufferedImage big = new BufferedImage(56, 56, BufferedImage.TYPE_INT_RGB);
        big.setRGB(10, 10, 0xff0000);
        Path coloured = dir.resolve("big-colour.png");
        ImageIO.write(big, "png", coloured.toFile());
        Path out = dir.resolve("converted");

        ConsoleRun denoise = ConsoleRun.of(new AutoencoderApp(), "denoise", "--model", run.resolve("model.zip").toString(),
                "--out", out.toString(), coloured.toString());

        assertEquals(0, denoise.exitCode(), denoise.err());
        assertTrue(denoise.err().contains("colour image; converted to grayscale"), denoise.err());
        assertTrue(denoise.err().contains("56x56 pixels; resized to the model's 28x28"), denoise.err());
        assertEquals(28, ImageIO.read(out.resolve("big-colour-denoised.png").toFile()).getWidth());
    }

    @Test
    void badInputsAreRefusedClearlyAndNothingIsOverwritten() throws Exception {
        Path text = Files.writeString(dir.resolve("digit.png"), "not an image");
        Path classifier = dir.resolve("classifier.zip");
        ModelStore.save(Network.of(TinyNets.classifier(1)),
                new ModelInfo("mnist-mlp", "mnist", List.of("a", "b"), new long[]{4}, Map.of()), null, classifier);
        String model = run.resolve("model.zip").toString();

        assertUserError(ConsoleRun.of(new AutoencoderApp(), "denoise", "--model", model, "--out", dir.toString(), text.toString()),
                "not an image");
        assertUserError(ConsoleRun.of(new AutoencoderApp(), "denoise", "--model", classifier.toString(), "--out",
                dir.toString(), text.toString()), "model of the mnist-mlp app");
        assertUserError(ConsoleRun.of(new AutoencoderApp(), "eval", "--model", classifier.toString(), "--data",
                digits.toString(), "--out", dir.resolve("eval").toString()), "model of the mnist-mlp app");
        assertUserError(ConsoleRun.of(new AutoencoderApp(), "train", "--noise-level", "0"), "nothing to denoise");
        assertUserError(ConsoleRun.of(new AutoencoderApp(), "train", "--noise", "saltpepper", "--noise-level", "1.5"),
                "--noise-level for saltpepper noise is a fraction of pixels between 0 and 1.0, not 1.5");
        assertUserError(ConsoleRun.of(new AutoencoderApp(), "train", "--noise", "speckle"), "speckle");
        assertUserError(ConsoleRun.of(new AutoencoderApp(), "train", "--bottleneck", "0"), "--bottleneck");

        Path existing = Files.writeString(dir.resolve("noisy-denoised.png"), "keep me");
        Path input = writePng(Mnist.load(digits, "small").test().getFeatures().getRow(1, true),
                dir.resolve("noisy.png"));
        assertUserError(ConsoleRun.of(new AutoencoderApp(), "denoise", "--model", model, "--out", dir.toString(),
                input.toString()), "already exists");
        assertEquals("keep me", Files.readString(existing));
    }

    @Test
    void theSameSeedGivesTheSameTable() {
        Path again = dir.resolve("again");
        ConsoleRun second = train(again);
        assertEquals(0, second.exitCode(), second.err());
        assertEquals(quality(RunReport.read(run.resolve("report.json"))),
                quality(RunReport.read(again.resolve("report.json"))));
    }

    /** Small batches and a larger learning rate: enough steps on 1,000 digits to learn to denoise. */
    private static ConsoleRun train(Path out) {
        return ConsoleRun.of(new AutoencoderApp(), "train", "--data", digits.toString(), "--epochs", "6", "--batch", "32",
                "--lr", "0.003", "--noise", "gaussian", "--noise-level", "0.4", "--out", out.toString());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> quality(RunReport report) {
        return (List<Map<String, Object>>) report.extra().get("quality");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    private static Path writePng(INDArray pixels, Path file) throws Exception {
        GrayImages.writePng(pixels, 28, file);
        return file;
    }
}
