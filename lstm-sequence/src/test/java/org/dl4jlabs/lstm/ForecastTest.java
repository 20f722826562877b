package org.dl4jlabs.lstm;

import org.dl4jlabs.common.cli.ConsoleRun;
import org.dl4jlabs.common.report.RunReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The forecast task: windows, naive baselines, a CSV column end to end, and bad CSV files. */
class ForecastTest {

    @TempDir
    Path dir;

    private final ForecastTask.Shape shape = new ForecastTask.Shape(4, 2, 3);

    @Test
    void windowsHoldTheHistoryBeforeEachTarget() {
        double[] series = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        DataSet windows = ForecastTask.windows(series, shape, 4, 10, 2);
        assertEquals(3, windows.numExamples());
        assertArrayEquals(new double[]{2, 3, 4, 5}, windows.getFeatures().reshape(3, 4).getRow(1).toDoubleVector(), 1e-6);
        assertArrayEquals(new double[]{6, 7}, windows.getLabels().getRow(1).toDoubleVector(), 1e-6);
    }

    @Test
    void naiveForecastsRepeatTheLastValueOrTheLastSeason() {
        INDArray history = Nd4j.create(new double[][]{{1, 2, 3, 4}});
        assertArrayEquals(new double[]{4, 4}, ForecastTask.lastValue(history, shape).toDoubleVector(), 1e-6);
        // Season 3: the value 3 steps before each target, i.e. 2 and 3.
        assertArrayEquals(new double[]{2, 3}, ForecastTask.seasonalNaive(history, shape).toDoubleVector(), 1e-6);
        ForecastTask.Errors errors = ForecastTask.errors("x", Nd4j.create(new double[][]{{1, 3}}),
                Nd4j.create(new double[][]{{0, 0}}));
        assertEquals(Math.sqrt(5), errors.rmse(), 1e-6);
        assertEquals(2, errors.mae(), 1e-6);
    }

    @Test
    void forecastsACsvColumnAndBeatsTheLastValue() throws Exception {
        double[] values = SeasonalSeries.generate(300, 3);
        StringBuilder csv = new StringBuilder("time,load,note\n");
        for (int t = 0; t < values.length; t++) {
            csv.append(String.format(Locale.ROOT, "%d,%.4f,x%n", t, values[t]));
        }
        Path file = Files.writeString(dir.resolve("load.csv"), csv);
        Path out = dir.resolve("run");
        ConsoleRun run = ConsoleRun.of(new LstmSequenceApp(), "train", "--task", "forecast", "--csv", file.toString(),
                "--column", "load", "--window", "24", "--horizon", "3", "--epochs", "6", "--units", "16",
                "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        RunReport report = RunReport.read(out.resolve("report.json"));
        assertEquals("load.csv:load", report.dataset());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> errors = (List<Map<String, Object>>) report.extra().get("errors");
        assertEquals(3, errors.size());
        double lstm = ((Number) errors.get(0).get("rmse")).doubleValue();
        double lastValue = ((Number) errors.get(1).get("rmse")).doubleValue();
        assertTrue(lstm < lastValue, "LSTM RMSE " + lstm + " vs last value " + lastValue);
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("Actual and forecast on the test range"));
        assertTrue(html.contains("data:image/png"));
        assertTrue(Files.isRegularFile(out.resolve("model.zip")));
    }

    @Test
    void badCsvFilesAreOneLineErrors() throws Exception {
        assertCsvError("line 3 has 1 fields but the header has 2", "a,b\n1,2\n3\n", "b");
        assertCsvError("'high' is not a finite number", "a,b\n1,2\n3,high\n", "b");
        assertCsvError("has no column 'c'; its columns are [a, b]", "a,b\n1,2\n", "c");
        assertCsvError("too short for a window of 48", "a\n1\n2\n3\n4\n5\n", "a");
        assertCsvError("is empty", "", "a");
        ConsoleRun alone = ConsoleRun.of(new LstmSequenceApp(), "train", "--task", "forecast", "--csv", "x.csv");
        assertEquals(2, alone.exitCode());
        assertTrue(alone.err().contains("--csv and --column go together"), alone.err());
    }

    private void assertCsvError(String expected, String content, String column) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.csv"), content);
        ConsoleRun run = ConsoleRun.of(new LstmSequenceApp(), "train", "--task", "forecast", "--csv", file.toString(),
                "--column", column, "--out", dir.resolve("out").toString());
        assertEquals(2, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains(expected), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
    }
}
