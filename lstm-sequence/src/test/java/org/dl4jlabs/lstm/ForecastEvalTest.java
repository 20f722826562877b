package org.dl4jlabs.lstm;

import org.dl4jlabs.common.cli.ConsoleRun;
import org.dl4jlabs.common.layers.fast.FastLayers;
import org.dl4jlabs.common.report.RunReport;
import org.dl4jlabs.common.train.ModelInfo;
import org.dl4jlabs.common.train.ModelStore;
import org.dl4jlabs.common.train.Network;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code eval} of saved forecast models: the training report's errors again, and every bad input refused. */
class ForecastEvalTest {

    private static final String[] SMALL_MODEL = {"--window", "12", "--horizon", "2", "--season", "12",
            "--layers", "1", "--units", "8"};

    @TempDir
    static Path shared;
    static Path generatedRun;
    static Path csvRun;
    static Path csv;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainOnGeneratedAndCsvSeries() throws Exception {
        generatedRun = shared.resolve("generated");
        train("--length", "200", "--seed", "7", "--epochs", "2", "--out", generatedRun.toString());
        csv = writeCsv(shared.resolve("load.csv"), "time,load", SeasonalSeries.generate(150, 3));
        csvRun = shared.resolve("csv");
        train("--csv", csv.toString(), "--column", "load", "--epochs", "1", "--out", csvRun.toString());
    }

    @Test
    void evalOfAGeneratedSeriesModelGivesTheTrainingReportsErrors() throws Exception {
        Path out = dir.resolve("eval");
        // No --seed: the series is generated again from the seed saved in the model.
        ConsoleRun eval = ConsoleRun.of(new LstmSequenceApp(), "eval", "--model", generatedRun.resolve("model.zip").toString(),
                "--out", out.toString());
        assertEquals(0, eval.exitCode(), eval.err());
        assertTrue(eval.err().contains("seasonal naive (season 12)"), eval.err());

        RunReport trained = RunReport.read(generatedRun.resolve("report.json"));
        RunReport evaluated = RunReport.read(out.resolve("report.json"));
        assertEquals("generated-seasonal-series", evaluated.dataset());
        assertEquals(trained.examplesTest(), evaluated.examplesTest());
        assertEquals(20, evaluated.examplesTest());
        assertErrorsEqual(trained, evaluated);
        assertEquals(7, ((Number) evaluated.config().get("series_seed")).intValue());
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("Errors on the test range"));
        assertTrue(html.contains("Actual and forecast on the test range"));
        assertTrue(html.contains("data:image/png"));
    }

    @Test
    void evalOfACsvModelReadsTheFileAgain() {
        Path out = dir.resolve("eval");
        ConsoleRun eval = ConsoleRun.of(new LstmSequenceApp(), "eval", "--model", csvRun.resolve("model.zip").toString(),
                "--csv", csv.toString(), "--out", out.toString());
        assertEquals(0, eval.exitCode(), eval.err());
        RunReport evaluated = RunReport.read(out.resolve("report.json"));
        assertEquals("load.csv:load", evaluated.dataset());
        assertErrorsEqual(RunReport.read(csvRun.resolve("report.json")), evaluated);
    }

    @Test
    void badInputsAreOneClearErrorWithExitCodeTwo() throws Exception {
        String csvModel = csvRun.resolve("model.zip").toString();
        Path otherColumns = writeCsv(dir.resolve("other.csv"), "time,temperature", SeasonalSeries.generate(150, 1));
        assertEvalError("has no column 'load'; its columns are [time, temperature]", csvModel,
                "--csv", otherColumns.toString());
        Path tooShort = writeCsv(dir.resolve("short.csv"), "time,load", SeasonalSeries.generate(12, 1));
        assertEvalError("too short for a window of 12 and a horizon of 2", csvModel, "--csv", tooShort.toString());
        assertEvalError("give that file again with --csv FILE", csvModel);
        assertEvalError("--column goes with --csv FILE", generatedRun.resolve("model.zip").toString(),
                "--column", "load");

        Path otherApp = save("other-app.zip", new ModelInfo("mnist-mlp", "mnist", List.of(), new long[]{784},
                Map.of("task", "classify")), true);
        assertEvalError("is a model of the mnist-mlp app, not of lstm-sequence", otherApp.toString());
        Path generate = save("generate.zip", new ModelInfo(LstmSequenceApp.NAME, "book.txt", List.of("a", "b"), new long[]{2, 10},
                Map.of("task", GenerateTask.TASK)), false);
        assertEvalError("eval scores classify and forecast models; this one was trained for --task generate",
                generate.toString());
        Path withoutScaling = save("old-forecast.zip", new ModelInfo(LstmSequenceApp.NAME, "generated-seasonal-series",
                List.of(), new long[]{1, 12}, Map.of("task", ForecastTask.TASK, "window", 12, "horizon", 2,
                "season", 12)), false);
        assertEvalError("saved without the scaling of its series", withoutScaling.toString());
    }

    private static void train(String... args) {
        String[] command = new String[args.length + SMALL_MODEL.length + 3];
        command[0] = "train";
        command[1] = "--task";
        command[2] = "forecast";
        System.arraycopy(SMALL_MODEL, 0, command, 3, SMALL_MODEL.length);
        System.arraycopy(args, 0, command, 3 + SMALL_MODEL.length, args.length);
        ConsoleRun run = ConsoleRun.of(new LstmSequenceApp(), command);
        assertEquals(0, run.exitCode(), run.err());
    }

    @SuppressWarnings("unchecked")
    private static void assertErrorsEqual(RunReport expected, RunReport actual) {
        List<Map<String, Object>> want = (List<Map<String, Object>>) expected.extra().get("errors");
        List<Map<String, Object>> got = (List<Map<String, Object>>) actual.extra().get("errors");
        assertEquals(3, got.size());
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i).get("method"), got.get(i).get("method"));
            for (String error : List.of("rmse", "mae")) {
                assertEquals(((Number) want.get(i).get(error)).doubleValue(),
                        ((Number) got.get(i).get(error)).doubleValue(), 1e-6, want.get(i).get("method") + " " + error);
            }
        }
    }

    private void assertEvalError(String expected, String model, String... options) {
        String[] command = new String[options.length + 5];
        command[0] = "eval";
        command[1] = "--model";
        command[2] = model;
        command[3] = "--out";
        command[4] = dir.resolve("refused").toString();
        System.arraycopy(options, 0, command, 5, options.length);
        ConsoleRun.assertUserError(ConsoleRun.of(new LstmSequenceApp(), command), expected);
        assertFalse(Files.exists(dir.resolve("refused")), "nothing is written for refused input");
    }

    private Path save(String name, ModelInfo info, boolean withScaling) {
        var shape = new ForecastTask.Shape(12, 2, 12);
        Path file = dir.resolve(name);
        ModelStore.save(Network.of(FastLayers.acceleratedNetwork(LstmModel.forecaster(new LstmModel.Options(1, 4, false, 0, 1, 1e-3), 2, 1))), info,
                withScaling ? ForecastTask.scaling(SeasonalSeries.generate(100, 1), 80, shape) : null, file);
        return file;
    }

    private static Path writeCsv(Path file, String header, double[] values) throws Exception {
        StringBuilder text = new StringBuilder(header).append('\n');
        for (int t = 0; t < values.length; t++) {
            text.append(String.format(Locale.ROOT, "%d,%.4f%n", t, values[t]));
        }
        return Files.writeString(file, text);
    }
}
