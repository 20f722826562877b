package org.dl4jlabs.common.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.BitmapEncoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes complete sample reports, to look at: run with {@code -Dreport.sample.dir=/tmp/report-sample}
 * to keep them, with each chart also as a PNG file.
 */
class SampleReportTest {

    @TempDir
    Path tempDir;

    @Test
    void writesADigitClassifierReport() throws IOException {
        writeSample(SampleRun.digits(), outputDirectory().resolve("digits"));
    }

    @Test
    void writesAHundredClassReport() throws IOException {
        writeSample(SampleRun.hundredClasses(), outputDirectory().resolve("hundred-classes"));
    }

    private void writeSample(SampleRun run, Path directory) throws IOException {
        HtmlReport page = new HtmlReport(run.report);
        ClassificationSections.addAll(page, run.result, run.history, run.testSet.getFeatures(), run.shape);

        Path html = ReportWriter.write(directory, run.report, page);

        String text = Files.readString(html);
        for (String section : List.of("Loss per epoch", "Test accuracy per epoch", "Confusion matrix",
                "Precision, recall and F1 per class", "Per-class metrics", "Most confident mistakes")) {
            assertTrue(text.contains(section), "the page has its section " + section);
        }
        assertTrue(text.split("data:image/png;base64,", -1).length - 1 >= 4 + 1,
                "four charts and at least one mistake, inlined as PNG images");
        for (String className : run.classNames) {
            assertTrue(text.contains("<td>" + className + "</td>"), "a per-class row for " + className);
        }
        RunReport written = RunReport.read(directory.resolve(ReportWriter.JSON_FILE));
        assertEquals(run.result.accuracy(), written.metrics().accuracy(), 1e-12);
        assertEquals(run.classNames.size(), written.metrics().perClass().size());
        if (System.getProperty("report.sample.dir") != null) {
            Path charts = Files.createDirectories(directory.resolve("charts"));
            BitmapEncoder.saveBitmap(ReportCharts.lossCurves(run.history), charts.resolve("loss").toString(), BitmapFormat.PNG);
            BitmapEncoder.saveBitmap(ReportCharts.accuracyCurve(run.history), charts.resolve("accuracy").toString(), BitmapFormat.PNG);
            BitmapEncoder.saveBitmap(ReportCharts.confusionHeatMap(run.result), charts.resolve("confusion").toString(), BitmapFormat.PNG);
            BitmapEncoder.saveBitmap(ReportCharts.perClassScores(run.result), charts.resolve("per-class").toString(), BitmapFormat.PNG);
        }
    }

    private Path outputDirectory() {
        String kept = System.getProperty("report.sample.dir");
        return kept != null ? Path.of(kept) : tempDir;
    }
}
