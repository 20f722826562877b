package org.dl4jlabs.common.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dl4jlabs.common.backend.BackendInfo;
import org.dl4jlabs.common.eval.ClassificationResult;
import org.dl4jlabs.common.train.EpochStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportTest {

    @TempDir
    Path dir;

    static RunReport sampleReport(OptionalDouble top5) {
        ClassificationResult result = new ClassificationResult(List.of("cat", "dog", "bird"),
                new int[][] {{1, 1, 0}, {0, 2, 0}, {1, 1, 0}}, top5, List.of());
        return RunReport.builder("mnist-mlp", "train")
                .dataset("MNIST", 600, 6)
                .training(2, 3.0)
                .history(List.of(new EpochStats(1, 0.9, 0.8, 0.5, 1.5), new EpochStats(2, 0.5, Double.NaN, 0.5, 1.5)))
                .metrics(result)
                .backend(new BackendInfo("CPU", true, 2))
                .seed(42)
                .config("hidden", List.of(256, 128))
                .config("activation", "relu")
                .config("learning_rate", 0.001)
                .extra("denoising", List.of(Map.of("noise", 0.1, "psnr", 21.5)))
                .build();
    }

    @Test
    void jsonUsesTheDocumentedSnakeCaseKeys() throws IOException {
        JsonNode json = new ObjectMapper().readTree(sampleReport(OptionalDouble.of(0.75)).toJson());

        assertEquals(Set.of("app", "command", "dataset", "examples_train", "examples_test", "epochs", "metrics",
                "train_seconds", "examples_per_second", "backend", "seed", "history", "config", "created", "extra"),
                keys(json));
        assertEquals(Set.of("accuracy", "precision", "recall", "f1", "top5_accuracy", "per_class", "confusion_matrix"),
                keys(json.get("metrics")));
        assertEquals(Set.of("name", "precision", "recall", "f1", "support"), keys(json.get("metrics").get("per_class").get(0)));
        assertEquals(Set.of("type", "onednn", "threads"), keys(json.get("backend")));
        assertEquals(Set.of("epoch", "train_loss", "test_loss", "test_accuracy", "seconds"), keys(json.get("history").get(0)));

        assertEquals(400.0, json.get("examples_per_second").asDouble(), 1e-9, "600 examples x 2 epochs / 3 s");
        assertEquals("[1,1,0]", json.get("metrics").get("confusion_matrix").get(0).toString());
        assertTrue(json.get("history").get(1).get("test_loss").isNull(), "NaN is written as null");
        assertEquals(List.of("hidden", "activation", "learning_rate"), fieldOrder(json.get("config")));
        assertDoesNotThrow(() -> OffsetDateTime.parse(json.get("created").asText()));
    }

    @Test
    void top5IsLeftOutWhenAbsent() throws IOException {
        JsonNode json = new ObjectMapper().readTree(sampleReport(OptionalDouble.empty()).toJson());

        assertFalse(json.get("metrics").has("top5_accuracy"));
    }

    @Test
    void readsBackWhatItWrote() throws IOException {
        RunReport written = sampleReport(OptionalDouble.of(0.75));
        Path file = Files.writeString(dir.resolve("report.json"), written.toJson());

        RunReport read = RunReport.read(file);

        assertEquals(written.app(), read.app());
        assertEquals(written.dataset(), read.dataset());
        assertEquals(written.backend(), read.backend());
        assertEquals(written.created(), read.created());
        assertEquals(written.history(), read.history(), "NaN test loss survives as NaN");
        assertEquals(written.config(), read.config());
        assertEquals(written.extra(), read.extra());
        assertEquals(written.metrics().perClass(), read.metrics().perClass());
        assertEquals(written.metrics().top5Accuracy(), read.metrics().top5Accuracy());
        assertArrayEquals(written.metrics().confusionMatrix(), read.metrics().confusionMatrix());
    }

    private static Set<String> keys(JsonNode node) {
        return Set.copyOf(fieldOrder(node));
    }

    private static List<String> fieldOrder(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
