package org.dl4jlabs.autoencoder;

import org.dl4jlabs.autoencoder.DenoisingResults.QualityRow;
import org.dl4jlabs.common.report.HtmlReport;
import org.dl4jlabs.common.report.ReportCharts;
import org.dl4jlabs.common.report.RunReport;
import org.dl4jlabs.common.train.EpochStats;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Turns {@link DenoisingResults} into report.json's {@code extra} tables and report.html's sections. */
final class DenoisingReport {

    /** Test images listed as the most anomalous in report.json. */
    static final int ANOMALIES_LISTED = 20;
    private static final int WORST_SHOWN = 12;
    private static final int BEST_SHOWN = 6;
    private static final int SCALE = 3;
    /** Codes plotted in the scatter plot; more only hide each other. */
    private static final int CODES_PLOTTED = 2_000;

    private DenoisingReport() {
    }

    /**
     * Adds the quality table, the verdict and the anomaly list to {@code report}.
     *
     * @param labels the test images' digit (or class) numbers, for the anomaly list
     */
    static void addTo(RunReport.Builder report, DenoisingResults results, int[] labels) {
        report.extra("quality", results.rows());
        report.extra("verdict", verdict(results));
        List<Map<String, Object>> anomalies = new ArrayList<>();
        int[] worst = results.worstFirst();
        for (int rank = 0; rank < Math.min(ANOMALIES_LISTED, worst.length); rank++) {
            Map<String, Object> anomaly = new LinkedHashMap<>();
            anomaly.put("index", worst[rank]);
            anomaly.put("label", labels[worst[rank]]);
            anomaly.put("reconstruction_mse", results.anomalyScores()[worst[rank]]);
            anomalies.add(anomaly);
        }
        report.extra("anomalies", anomalies);
    }

    /** One sentence: passed or failed, and by how much. */
    static String verdict(DenoisingResults results) {
        QualityRow row = results.trainedRow();
        String measured = String.format(Locale.ROOT, "at %s %s the denoised images have a PSNR of %.2f dB against "
                        + "%.2f dB for the noisy ones (%+.2f dB)", row.noise(), formatLevel(row.level()),
                row.psnrDenoised(), row.psnrNoisy(), row.gainDb());
        return results.passed()
                ? "passed: " + measured + "."
                : String.format(Locale.ROOT, "FAILED: %s; a denoiser must gain at least %.1f dB. Train longer, "
                + "lower the noise level or widen the bottleneck.", measured, DenoisingResults.PASS_MARGIN_DB);
    }

    /**
     * Builds the page: headline figures, verdict, quality table, picture grids, anomalies, loss
     * curves, and the code scatter plot when {@code codes} is given (a 2-number bottleneck).
     */
    static HtmlReport page(RunReport report, DenoisingResults results, int[] labels, List<EpochStats> history,
                           INDArray codes, int side) {
        QualityRow trained = results.trainedRow();
        HtmlReport page = new HtmlReport(report)
                .addHeadline("PSNR denoised", String.format(Locale.ROOT, "%.2f dB", trained.psnrDenoised()))
                .addHeadline("PSNR noisy", String.format(Locale.ROOT, "%.2f dB", trained.psnrNoisy()))
                .addHeadline("Verdict", results.passed() ? "passed" : "FAILED");
        page.addParagraph("Verdict", verdict(results));
        page.addTable("Denoising quality", List.of("Noise", "Level", "Trained level", "MSE noisy", "PSNR noisy (dB)",
                "MSE denoised", "PSNR denoised (dB)", "Gain (dB)"), results.rows().stream()
                .map(r -> List.<Object>of(r.noise(), r.level(), r.trained() ? "yes" : "", r.mseNoisy(), r.psnrNoisy(),
                        r.mseDenoised(), r.psnrDenoised(), r.gainDb())).toList());
        int[] sample = firstOfEachLabel(labels);
        page.addImage("Clean, noisy, denoised", grid(List.of(results.clean(), results.noisy(), results.denoised()),
                        sample, side),
                "Rows from top: the clean test image, the same with " + results.kind().lowerName() + " noise "
                        + formatLevel(results.trainedLevel()) + ", and the network's output for the noisy one.");
        int[] worst = results.worstFirst();
        int[] mostAnomalous = Arrays.copyOf(worst, Math.min(WORST_SHOWN, worst.length));
        int[] best = new int[Math.min(BEST_SHOWN, worst.length)];
        for (int i = 0; i < best.length; i++) {
            best[i] = worst[worst.length - 1 - i];
        }
        List<INDArray> cleanAndReconstructed = List.of(results.clean(), results.reconstructed());
        page.addImage("Worst reconstructions (anomalies)", grid(cleanAndReconstructed, mostAnomalous, side),
                "Top: the test images the network reconstructs worst from their clean version, worst first; the "
                        + "least typical images by the model's standard. Bottom: its reconstructions. "
                        + "Reconstruction MSE: " + scores(results, mostAnomalous, labels) + ".");
        page.addImage("Best reconstructions", grid(cleanAndReconstructed, best, side),
                "The test images reconstructed best, and their reconstructions. Reconstruction MSE: "
                        + scores(results, best, labels) + ".");
        if (!history.isEmpty()) {
            page.addChart("Loss", ReportCharts.lossCurves(history),
                    "Training loss on freshly corrupted images; test loss on one fixed noisy copy of the test set.");
        }
        if (codes != null) {
            page.addChart("Codes", codeScatter(codes, labels),
                    "Each test image's two code numbers, coloured by digit: digits the network can tell apart "
                            + "without ever seeing a label form separate clouds.");
        }
        return page;
    }

    private static String scores(DenoisingResults results, int[] indices, int[] labels) {
        List<String> parts = new ArrayList<>();
        for (int index : indices) {
            parts.add(String.format(Locale.ROOT, "#%d (%d) %.4f", index, labels[index],
                    results.anomalyScores()[index]));
        }
        return String.join(", ", parts);
    }

    /** The first test image of each label, in label order; images the network sees in every run. */
    static int[] firstOfEachLabel(int[] labels) {
        Map<Integer, Integer> first = new TreeMap<>();
        for (int i = 0; i < labels.length; i++) {
            first.putIfAbsent(labels[i], i);
        }
        return first.values().stream().mapToInt(Integer::intValue).toArray();
    }

    /** One row per array in {@code rows}, one column per index; pixels 0..1 drawn black to white. */
    static BufferedImage grid(List<INDArray> rows, int[] indices, int side) {
        int cell = side * SCALE + 4;
        BufferedImage image = new BufferedImage(Math.max(1, indices.length) * cell, rows.size() * cell,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.dispose();
        for (int row = 0; row < rows.size(); row++) {
            for (int column = 0; column < indices.length; column++) {
                float[] pixels = rows.get(row).getRow(indices[column]).toFloatVector();
                for (int y = 0; y < side * SCALE; y++) {
                    for (int x = 0; x < side * SCALE; x++) {
                        int gray = Math.round(Math.max(0, Math.min(1, pixels[(y / SCALE) * side + x / SCALE])) * 255);
                        image.setRGB(column * cell + 2 + x, row * cell + 2 + y, gray << 16 | gray << 8 | gray);
                    }
                }
            }
        }
        return image;
    }

    private static XYChart codeScatter(INDArray codes, int[] labels) {
        XYChart chart = new XYChartBuilder().width(800).height(640).xAxisTitle("code 1").yAxisTitle("code 2").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(5);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        Map<Integer, List<double[]>> byLabel = new TreeMap<>();
        for (int i = 0; i < Math.min(CODES_PLOTTED, labels.length); i++) {
            byLabel.computeIfAbsent(labels[i], l -> new ArrayList<>())
                    .add(new double[]{codes.getDouble(i, 0), codes.getDouble(i, 1)});
        }
        byLabel.forEach((label, points) -> chart.addSeries(Integer.toString(label),
                points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray()));
        return chart;
    }

    static String formatLevel(double level) {
        return String.format(Locale.ROOT, "%.3g", level).replaceAll("\\.?0+$", "");
    }
}
