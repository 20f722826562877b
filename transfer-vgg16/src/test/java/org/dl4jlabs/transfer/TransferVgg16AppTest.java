package org.dl4jlabs.transfer;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jlabs.common.cli.BadInputCorpus;
import org.dl4jlabs.common.cli.ConsoleRun;
import org.dl4jlabs.common.data.ImageClassData;
import org.dl4jlabs.common.data.cifar.CifarDataResolver;
import org.dl4jlabs.common.data.cifar.CifarFormat;
import org.dl4jlabs.common.data.cifar.GeneratedCifar;
import org.dl4jlabs.common.report.RunReport;
import org.dl4jlabs.common.transfer.BaseFeatures;
import org.dl4jlabs.common.transfer.KerasWeights;
import org.dl4jlabs.common.transfer.Pretraining;
import org.dl4jlabs.common.transfer.Vgg16Model;
import org.dl4jlabs.common.transfer.Vgg16Weights;
import org.dl4jlabs.common.train.ModelStore;
import org.dl4jlabs.common.transfer.Vgg16Model.Head;
import org.dl4jlabs.common.transfer.Vgg16Model.Pooling;
import org.dl4jlabs.common.transfer.Vgg16Model.Width;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.dl4jlabs.common.cli.ConsoleRun.assertEveryHelpIsClean;
import static org.dl4jlabs.common.cli.ConsoleRun.assertRunFiles;
import static org.dl4jlabs.common.cli.ConsoleRun.assertUserError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The offline path end to end, on small data: a base pretrained on generated shapes and saved in
 * Keras' layout, imported by the same code as ImageNet's file, transferred to the generated cats and
 * dogs with few labels, and compared with the same network trained from scratch.
 */
class TransferVgg16AppTest {

    @TempDir
    static Path dir;
    static Path cache;
    static Path weights;
    static Path run;
    static ConsoleRun trained;

    @BeforeAll
    static void pretrainAndTransfer() {
        cache = dir.resolve("cache");
        ImageClassData shapes = CifarDataResolver.inCache(cache, CifarFormat.CIFAR10, CifarFormat.Labels.FINE)
                .withGenerated(new GeneratedCifar.Spec(4000, 500, 7)).generated();
        weights = dir.resolve("base.h5");
        Pretraining.pretrain(shapes, 5, 32, 7, weights);

        run = dir.resolve("transfer");
        trained = ConsoleRun.of(new TransferVgg16App(), "train", "--data", "generated", "--cache-dir", cache.toString(),
                "--weights", weights.toString(), "--size", "64", "--epochs", "60", "--compare-scratch",
                "--train", "30", "--validation", "50", "--test", "100",
                "--out", run.toString(), "--no-summary");
    }

    @TestFactory
    Stream<DynamicTest> badInputsAreRefusedInOneLineAndWriteNothing(@TempDir Path work) {
        return BadInputCorpus.cases(getClass(), TransferVgg16App::new, work, Map.of("model", run.resolve("model.zip"), "train-run", run,
                "cache", cache));
    }

    @Test
    void everyCommandPrintsItsHelp() {
        assertEveryHelpIsClean(new TransferVgg16App());
    }

    @Test
    void theTransferredBaseBeatsTheSameNetworkFromScratch() {
        assertEquals(0, trained.exitCode(), trained.err());
        assertRunFiles(run);
        Map<String, Object> config = RunReport.read(run.resolve("report.json")).config();
        double transfer = ((Number) config.get("transfer_test_accuracy")).doubleValue();
        double scratch = ((Number) config.get("scratch_test_accuracy")).doubleValue();
        assertTrue(transfer > scratch + 0.05, "transfer " + transfer + " against scratch " + scratch);
        assertTrue(trained.err().contains("weights: the file " + weights), trained.err());
        assertEquals("quarter", config.get("width"));
    }

    @Test
    void aSecondRunTakesTheBaseOutputsFromTheCache() {
        assertTrue(trained.err().contains("computed in"), trained.err());
        ConsoleRun again = ConsoleRun.of(new TransferVgg16App(), "train", "--data", "generated", "--cache-dir",
                cache.toString(), "--weights", weights.toString(), "--size", "64", "--epochs", "1",
                "--train", "30", "--validation", "50", "--test", "100",
                "--out", dir.resolve("again").toString(), "--no-summary");
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.err().contains("from the cache"), again.err());
    }

    @Test
    void cachedBaseOutputsEqualALiveForwardPass() {
        MultiLayerNetwork net = Vgg16Model.network(Vgg16Model.withHead(Width.QUARTER, 32,
                new Head(Pooling.FLATTEN, 8, 0, 2), 1e-3, 3));
        KerasWeights.load(weights, net, Vgg16Model.CONVOLUTIONS);
        DataSet photos = new DataSet(org.nd4j.linalg.factory.Nd4j.rand(40, 3 * 32 * 32),
                org.nd4j.linalg.factory.Nd4j.eye(2).repeat(0, 20));
        int pool = Vgg16Model.indexOf("block5_pool");
        Vgg16Weights.Resolved resolved = new Vgg16Weights.Resolved(Width.QUARTER, weights, "test");
        String key = BaseFeatures.key(resolved, "block5_pool", 32, Pooling.FLATTEN, photos);
        MultiLayerNetwork base = BaseFeatures.baseOf(net, Width.QUARTER, 32, "block5_pool");

        DataSet first = BaseFeatures.cached(base, Pooling.FLATTEN, photos, key, dir.resolve("features"));
        DataSet second = BaseFeatures.cached(base, Pooling.FLATTEN, photos, key, dir.resolve("features"));

        org.nd4j.linalg.api.ndarray.INDArray live = net.feedForwardToLayer(pool, photos.getFeatures(), false)
                .get(pool + 1).reshape('c', 40, 128);
        assertTrue(live.equalsWithEps(first.getFeatures(), 1e-5), "the whole network's own block5_pool");
        assertEquals(first.getFeatures(), second.getFeatures(), "read back from the cache");
        assertEquals(live.size(1), first.getFeatures().size(1));
        assertEquals(40, first.numExamples());
        assertEquals(128, first.getFeatures().size(1), "1x1x128 maps of the quarter base at 32x32");
    }

    @Test
    void fineTuningTrainsTheTopBlockAndLeavesTheFrozenLayersBitForBit() throws IOException {
        Path tuned = dir.resolve("tuned");
        ConsoleRun result = ConsoleRun.of(new TransferVgg16App(), "train", "--data", "generated", "--cache-dir",
                cache.toString(), "--weights", weights.toString(), "--size", "32", "--epochs", "1",
                "--fine-tune-epochs", "1", "--out", tuned.toString(), "--no-summary");
        assertEquals(0, result.exitCode(), result.err());
        MultiLayerNetwork imported = Vgg16Model.network(Vgg16Model.withHead(Width.QUARTER, 32,
                new Head(Pooling.FLATTEN, 256, 0.5, 2), 1e-3, 3));
        KerasWeights.load(weights, imported, Vgg16Model.CONVOLUTIONS);
        MultiLayerNetwork model = (MultiLayerNetwork) ModelStore.load(tuned.resolve("model.zip"), "transfer-vgg16")
                .network().model();
        for (String frozen : List.of("block1_conv1", "block3_conv3", "block4_conv3")) {
            assertTrue(bitForBit(imported.getLayer(frozen).getParam("W"), model.getLayer(frozen).getParam("W")), frozen);
        }
        assertFalse(bitForBit(imported.getLayer("block5_conv1").getParam("W"), model.getLayer("block5_conv1").getParam("W")),
                "block5 was fine-tuned");
        assertEquals(2, RunReport.read(tuned.resolve("report.json")).history().size(), "one epoch of each");
    }

    @Test
    void featuresAndParametersAreWrittenForNumpy() throws IOException {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        List<Path> drawn = org.dl4jlabs.common.data.folder.PhotoFolder.photosIn(
                org.dl4jlabs.common.data.folder.GeneratedPets.folder(cache,
                        org.dl4jlabs.common.data.folder.GeneratedPets.Spec.DEFAULT).resolve("Cat"));
        for (Path photo : drawn.subList(0, 3)) {
            Files.copy(photo, photos.resolve(photo.getFileName()));
        }
        Path npz = dir.resolve("features.npz");
        ConsoleRun features = ConsoleRun.of(new TransferVgg16App(), "features", "--weights", weights.toString(),
                "--cache-dir", cache.toString(), "--size", "32", "--layer", "block4_pool", "--out", npz.toString(),
                photos.toString());
        assertEquals(0, features.exitCode(), features.err());
        var arrays = NpzTest.read(npz);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new long[]{3, 2, 2, 128}, arrays.get("features").shape(),
                "block4_pool of 32x32 photos: 2x2 maps of 128 channels");
        assertEquals(3, arrays.get("files").strings().size());
        assertTrue(arrays.get("files").strings().get(0).endsWith(".jpg") || arrays.get("files").strings().get(0)
                .endsWith(".png"));

        Path parameters = dir.resolve("parameters.npz");
        ConsoleRun export = ConsoleRun.of(new TransferVgg16App(), "export", "--model",
                run.resolve("model.zip").toString(), "--npz", parameters.toString());
        assertEquals(0, export.exitCode(), export.err());
        var exported = NpzTest.read(parameters);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new long[]{16, 3, 3, 3},
                exported.get("block1_conv1_W").shape());
        assertTrue(exported.containsKey("head_output_b"), exported.keySet().toString());
    }

    @Test
    void predictNamesTheMostProbableClassesOfEachPhoto() {
        Path photo = org.dl4jlabs.common.data.folder.PhotoFolder.photosIn(
                org.dl4jlabs.common.data.folder.GeneratedPets.folder(cache,
                        org.dl4jlabs.common.data.folder.GeneratedPets.Spec.DEFAULT).resolve("Dog")).get(0);
        ConsoleRun predicted = ConsoleRun.of(new TransferVgg16App(), "predict", "--model",
                run.resolve("model.zip").toString(), photo.toString());
        assertEquals(0, predicted.exitCode(), predicted.err());
        String[] columns = predicted.out().strip().split("\t");
        assertEquals(photo.toString(), columns[0]);
        assertEquals(3, columns.length, "the file and both classes: " + predicted.out());

        // ImageNet's top, at a small scale: fc1, fc2 and predictions load by name like the base.
        MultiLayerNetwork trained = Vgg16Model.network(Vgg16Model.withTop(Width.QUARTER, 32, 8, 5, 11));
        Path top = dir.resolve("with-top.h5");
        KerasWeights.save(trained, Vgg16Model.withTopLayers(), top);
        MultiLayerNetwork loaded = Vgg16Model.network(Vgg16Model.withTop(Width.QUARTER, 32, 8, 5, 12));
        KerasWeights.load(top, loaded, Vgg16Model.withTopLayers());
        org.nd4j.linalg.api.ndarray.INDArray photos = org.nd4j.linalg.factory.Nd4j.rand(3, 3 * 32 * 32);
        List<String> lines = TopClasses.describe(loaded, photos, List.of("a", "b", "c", "d", "e"), 5,
                List.of(Path.of("1.jpg"), Path.of("2.jpg"), Path.of("3.jpg")));
        org.nd4j.linalg.api.ndarray.INDArray expected = trained.output(photos, false);
        for (int row = 0; row < 3; row++) {
            String best = List.of("a", "b", "c", "d", "e").get(expected.getRow(row).argMax().getInt(0));
            assertTrue(lines.get(row).startsWith((row + 1) + ".jpg\t" + best + " "), lines.get(row));
        }

        assertUserError(ConsoleRun.of(new TransferVgg16App(), "predict", photo.toString()), "--model FILE or --imagenet");
    }

    @Test
    void cifarImagesAreEnlargedKeepingTheirColours() {
        // Two 32x32 images: one orange all over, one dark on the left half and light on the right.
        float[] orange = new float[3 * 32 * 32];
        float[] halves = new float[3 * 32 * 32];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    orange[(c * 32 + y) * 32 + x] = new float[]{1f, 0.6f, 0.1f}[c];
                    halves[(c * 32 + y) * 32 + x] = x < 16 ? 0.1f : 0.9f;
                }
            }
        }
        DataSet images = new DataSet(org.nd4j.linalg.factory.Nd4j.createFromArray(new float[][]{orange, halves}),
                org.nd4j.linalg.factory.Nd4j.eye(2));
        org.nd4j.linalg.api.ndarray.INDArray big = TransferVgg16App.resized(images, 64).getFeatures();
        org.junit.jupiter.api.Assertions.assertArrayEquals(new long[]{2, 3 * 64 * 64}, big.shape());
        assertEquals(0.6, big.getDouble(0, 64 * 64 + 10 * 64 + 50), 1e-5, "green plane of the orange image");
        assertEquals(0.1, big.getDouble(1, 2 * 64 * 64 + 40 * 64 + 5), 1e-5, "left half stays dark");
        assertEquals(0.9, big.getDouble(1, 2 * 64 * 64 + 40 * 64 + 60), 1e-5, "right half stays light");
    }

    @Test
    void badInputIsOneErrorLineAndNothingIsWritten() throws IOException {
        assertUserError(train("--freeze", "block9_pool"), "no layer 'block9_pool'");
        assertUserError(train("--freeze", "block2_conv1"), "pooling layer");
        assertUserError(train("--weights", dir.resolve("missing.h5").toString()), "missing.h5 does not exist");
        Path notVgg = Files.writeString(dir.resolve("not-vgg.h5"), "not HDF5");
        assertUserError(train("--weights", notVgg.toString()), "cannot be read as an HDF5");
        assertUserError(train("--size", "16"), "too small");
        assertUserError(ConsoleRun.of(new TransferVgg16App(), "eval", "--model", dir.resolve("none.zip").toString(),
                "--cache-dir", cache.toString()), "none.zip does not exist");
        assertFalse(Files.exists(dir.resolve("bad").resolve("model.zip")));
    }

    /** A short training run on the generated photos with one option changed. */
    private static ConsoleRun train(String option, String value) {
        Map<String, String> options = new java.util.LinkedHashMap<>(Map.of("--data", "generated", "--cache-dir",
                cache.toString(), "--weights", weights.toString(), "--size", "32", "--epochs", "1",
                "--out", dir.resolve("bad").toString()));
        options.put(option, value);
        List<String> args = new java.util.ArrayList<>(List.of("train"));
        options.forEach((name, setting) -> args.addAll(List.of(name, setting)));
        return ConsoleRun.of(new TransferVgg16App(), args.toArray(String[]::new));
    }

    private static boolean bitForBit(org.nd4j.linalg.api.ndarray.INDArray a, org.nd4j.linalg.api.ndarray.INDArray b) {
        return java.util.Arrays.equals(a.dup('c').data().asFloat(), b.dup('c').data().asFloat());
    }
}
