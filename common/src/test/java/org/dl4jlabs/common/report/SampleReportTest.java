package org.dl4jlabs.common.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;

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

        assertTrue(Files.size(html) > 10_000);
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
