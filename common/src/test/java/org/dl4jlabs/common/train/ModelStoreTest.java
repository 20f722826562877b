package org.dl4jlabs.common.train;

import org.dl4jlabs.common.LabsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.Normalizer;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerMinMaxScaler;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.dataset.api.preprocessor.serializer.NormalizerType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelStoreTest {

    private static final ModelInfo INFO = new ModelInfo("demo-app", "tiny", List.of("no", "yes"),
            new long[]{4}, Map.of("lr", 0.01));

    @TempDir
    Path dir;

    @Test
    void savedModelLoadsWithItsInfoAndGivesTheSameOutputs() throws Exception {
        Network net = Network.of(TinyNets.classifier(3));
        Path file = dir.resolve("model.zip");
        ModelStore.save(net, INFO, null, file);

        ModelStore.Loaded loaded = ModelStore.load(file, "demo-app");
        DataSet probe = TinyNets.twoClasses(8, 9);
        assertEquals(net.output(probe.getFeatures()), loaded.network().output(probe.getFeatures()));
        assertEquals(List.of("no", "yes"), loaded.info().classNames());
        assertArrayEquals(new long[]{4}, loaded.info().inputShape());
        assertNull(loaded.normalizer());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void normalizerTravelsWithTheModel() {
        NormalizerStandardize normalizer = new NormalizerStandardize();
        normalizer.fit(TinyNets.twoClasses(32, 1));
        Path file = dir.resolve("model.zip");
        ModelStore.save(Network.of(TinyNets.classifier(3)), INFO, normalizer, file);

        NormalizerStandardize loaded = (NormalizerStandardize) ModelStore.load(file, "demo-app").normalizer();
        assertNotNull(loaded);
        assertEquals(normalizer.getMean(), loaded.getMean());
    }

    @Test
    void modelOfAnotherAppIsRefusedByName() {
        Path file = dir.resolve("model.zip");
        ModelStore.save(Network.of(TinyNets.classifier(3)), INFO, null, file);
        LabsException e = assertThrows(LabsException.class, () -> ModelStore.load(file, "mnist-mlp"));
        assertTrue(e.getMessage().contains("demo-app"), e.getMessage());
    }

    @Test
    void aDescriptionThatDoesNotFitItsNetworkIsRefusedAsDamaged() throws Exception {
        String[][] cases = {
                {"{\"app\": null, \"dataset\": \"tiny\", \"classNames\": [\"no\", \"yes\"], \"inputShape\": [4], \"config\": {}}", "names no app"},
                {"{\"app\": \"demo-app\", \"dataset\": \"tiny\", \"classNames\": [\"no\", \"yes\"], \"inputShape\": [0, -3], \"config\": {}}", "impossible input shape [0, -3]"},
                {"{\"app\": \"demo-app\", \"dataset\": \"tiny\", \"classNames\": [\"a\", \"b\", \"c\"], \"inputShape\": [4], \"config\": {}}", "gives 2 outputs but its dl4j-labs.json names 3 classes"},
        };
        for (String[] c : cases) {
            Path file = dir.resolve("model-" + c[1].length() + ".zip");
            ModelStore.save(Network.of(TinyNets.classifier(3)), INFO, null, file);
            try (var zip = java.nio.file.FileSystems.newFileSystem(file)) {
                Files.writeString(zip.getPath("dl4j-labs.json"), c[0]);
            }
            LabsException e = assertThrows(LabsException.class, () -> ModelStore.load(file, "demo-app"));
            assertTrue(e.getMessage().contains("is damaged") && e.getMessage().contains(c[1]), e.getMessage());
        }
    }

    @Test
    void filesThatAreNotModelsAreRefusedClearly() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.zip"), "not a zip");
        assertTrue(assertThrows(LabsException.class, () -> ModelStore.load(text, "demo-app"))
                .getMessage().contains("not a model file"));
        assertTrue(assertThrows(LabsException.class, () -> ModelStore.load(dir.resolve("missing.zip"), "demo-app"))
                .getMessage().endsWith("missing.zip does not exist"));
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertTrue(assertThrows(LabsException.class, () -> ModelStore.load(empty, "demo-app"))
                .getMessage().endsWith("empty is a directory, not a file"));
        Path run = Files.createDirectory(dir.resolve("run"));
        Files.writeString(run.resolve(ModelStore.FILE_NAME), "a model");
        assertEquals("the model " + run + " is a run directory; give the model file in it, " + run.resolve("model.zip"),
                assertThrows(LabsException.class, () -> ModelStore.load(run, "demo-app")).getMessage());
    }

    @Test
    void failedSaveLeavesTheExistingModelIntact() throws Exception {
        Path file = dir.resolve("model.zip");
        ModelStore.save(Network.of(TinyNets.classifier(3)), INFO, null, file);
        byte[] before = Files.readAllBytes(file);
        // A normalizer DL4J has no serializer for makes the save fail after the network is written.
        Normalizer<?> unsaveable = new NormalizerMinMaxScaler() {
            @Override
            public NormalizerType getType() {
                return NormalizerType.CUSTOM;
            }
        };

        assertThrows(RuntimeException.class,
                () -> ModelStore.save(Network.of(TinyNets.classifier(4)), INFO, unsaveable, file));
        try (var left = Files.list(dir)) {
            assertEquals(List.of(file), left.toList(), "no temporary file is left behind");
        }
        assertArrayEquals(before, Files.readAllBytes(file));
    }
}
