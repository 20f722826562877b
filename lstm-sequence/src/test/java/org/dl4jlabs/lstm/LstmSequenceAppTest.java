package org.dl4jlabs.lstm;

import org.dl4jlabs.common.cli.BadInputCorpus;
import org.dl4jlabs.common.cli.ConsoleRun;
import org.dl4jlabs.common.report.RunReport;
import org.dl4jlabs.common.train.ModelStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.dl4jlabs.common.cli.ConsoleRun.assertEveryHelpIsClean;
import static org.dl4jlabs.common.cli.ConsoleRun.assertRunFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The classify task end to end on generated control charts. */
class LstmSequenceAppTest {

    @TempDir
    static Path shared;
    static Path run;
    static ConsoleRun trained;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainOnce() {
        run = shared.resolve("run");
        trained = ConsoleRun.of(new LstmSequenceApp(), "train", "--data", "generated", "--per-class", "50", "--epochs", "20", "--lr", "0.01",
                "--units", "32", "--no-bidirectional", "--dropout", "0", "--lr-decay", "1", "--out", run.toString());
    }

    @TestFactory
    Stream<DynamicTest> badInputsAreRefusedInOneLineAndWriteNothing() throws Exception {
        Path hugeHeader = Files.writeString(dir.resolve("huge-header.csv"), "x".repeat(1_000_000) + ",load"
                + ",c".repeat(50) + "\n1,2" + ",3".repeat(50) + "\n");
        return BadInputCorpus.cases(getClass(), LstmSequenceApp::new, dir, Map.of("model", run.resolve("model.zip"), "train-run", run,
                "huge-header-csv", hugeHeader));
    }

    @Test
    void everyCommandPrintsItsHelp() {
        assertEveryHelpIsClean(new LstmSequenceApp());
    }

    @Test
    void classifyBeatsNinetyPercentAndWritesItsFiles() {
        assertEquals(0, trained.exitCode(), trained.err());
        assertRunFiles(run);
        RunReport report = RunReport.read(run.resolve("report.json"));
        assertEquals("generated-control-charts", report.dataset());
        assertEquals(240, report.examplesTrain());
        assertEquals(60, report.examplesTest());
        assertEquals(20, report.history().size());
        assertTrue(report.metrics().accuracy() > 0.9, "accuracy " + report.metrics().accuracy());
        assertEquals(6, report.metrics().confusionMatrix().length);
        assertEquals("classify", report.config().get("task"));
    }

    @Test
    void evalScoresTheSavedModelOnTheSameHeldOutSeries() {
        Path out = dir.resolve("eval");
        ConsoleRun eval = ConsoleRun.of(new LstmSequenceApp(), "eval", "--model", run.resolve("model.zip").toString(),
                "--data", "generated", "--per-class", "50", "--out", out.toString());
        assertEquals(0, eval.exitCode(), eval.err());
        RunReport trainedReport = RunReport.read(run.resolve("report.json"));
        RunReport evaluated = RunReport.read(out.resolve("report.json"));
        assertEquals(trainedReport.examplesTest(), evaluated.examplesTest());
        assertEquals(trainedReport.metrics().accuracy(), evaluated.metrics().accuracy());
    }

    @Test
    void reportShowsOneSeriesPerClassWithItsPrediction() throws Exception {
        String html = Files.readString(run.resolve("report.html"));
        assertTrue(html.contains("One test series per class"));
        for (String name : ControlChart.names()) {
            assertTrue(html.contains(name + " → predicted "), name);
        }
        assertTrue(html.contains("Confusion matrix"));
    }

    @Test
    void modelFileHoldsTheNormalizerAndTheClassNames() {
        ModelStore.Loaded loaded = ModelStore.load(run.resolve("model.zip"), LstmSequenceApp.NAME);
        assertNotNull(loaded.normalizer());
        assertEquals(ControlChart.names(), loaded.info().classNames());
    }

    @Test
    void predictClassifiesSeriesOfAnyLengthFromAFile() throws Exception {
        ControlChartGenerator generator = new ControlChartGenerator(3);
        Path file = dir.resolve("series.txt");
        Files.writeString(file, row(generator.draw(ControlChart.INCREASING_TREND, 60)) + "\n"
                + row(generator.draw(ControlChart.DOWNWARD_SHIFT, 60)) + "\n");
        ConsoleRun predicted = ConsoleRun.of(new LstmSequenceApp(), "predict", "--model", run.resolve("model.zip").toString(),
                file.toString());
        assertEquals(0, predicted.exitCode(), predicted.err());
        List<String> lines = predicted.out().lines().toList();
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).startsWith("series 1: increasing trend"), lines.get(0));
        assertTrue(lines.get(1).startsWith("series 2: downward shift"), lines.get(1));
    }

    @Test
    void badInputsAreOneLineErrorsWithExitCodeTwo() throws Exception {
        Path ragged = dir.resolve("ragged.data");
        Files.writeString(ragged, "1 2 3\n4 5\n");
        assertUserError("line 2 has 2 values", "train", "--data", ragged.toString(), "--out", dir.resolve("a").toString());
        Path words = dir.resolve("words.data");
        Files.writeString(words, "1 2 three\n");
        assertUserError("'three' is not a number", "predict", "--model", run.resolve("model.zip").toString(),
                words.toString());
        Path tooShort = dir.resolve("short.data");
        Files.writeString(tooShort, "30\n");
        assertUserError("too short", "predict", "--model", run.resolve("model.zip").toString(), tooShort.toString());
        assertUserError("none.zip does not exist", "predict", "--model", dir.resolve("none.zip").toString(),
                ragged.toString());
        assertUserError("--dropout", "train", "--data", "generated", "--dropout", "1.5", "--out",
                dir.resolve("b").toString());
    }

    @Test
    void maskedVariableLengthSeriesTrainEndToEnd() {
        Path out = dir.resolve("masked");
        ConsoleRun masked = ConsoleRun.of(new LstmSequenceApp(), "train", "--data", "generated", "--per-class", "10",
                "--min-length", "20", "--epochs", "1", "--units", "8", "--layers", "1", "--bidirectional",
                "--dropout", "0.2", "--out", out.toString());
        assertEquals(0, masked.exitCode(), masked.err());
        assertEquals(20, RunReport.read(out.resolve("report.json")).config().get("min_length"));
    }

    private void assertUserError(String expected, String... args) {
        ConsoleRun result = ConsoleRun.of(new LstmSequenceApp(), args);
        assertEquals(2, result.exitCode(), result.out() + result.err());
        assertTrue(result.err().contains(expected), result.err());
        assertFalse(result.err().contains("\tat "), result.err());
    }

    private static String row(double[] values) {
        return java.util.Arrays.stream(values).mapToObj(v -> String.format(Locale.ROOT, "%.4f", v))
                .collect(Collectors.joining(" "));
    }
}
