package org.dl4jlabs.common.report;

import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.ToDoubleFunction;

import org.dl4jlabs.common.eval.BinaryMetrics;
import org.dl4jlabs.common.eval.ClassificationResult;
import org.dl4jlabs.common.eval.ClassificationResult.ClassMetrics;
import org.dl4jlabs.common.train.EpochStats;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The XChart charts of a training run, sized and styled to sit in an {@link HtmlReport}. */
public final class ReportCharts {

    static {
        Headless.unlessChosen();
    }

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 440;
    private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);

    private ReportCharts() {
    }

    /** Training and test loss per epoch; epochs without a test loss are left out. */
    public static XYChart lossCurves(List<EpochStats> history) {
        XYChart chart = epochChart("Loss", history.size());
        addEpochSeries(chart, "training loss", history, EpochStats::trainLoss);
        addEpochSeries(chart, "test loss", history, EpochStats::testLoss);
        // Below the plot, where no curve can run under it.
        chart.getStyler().setLegendPosition(LegendPosition.OutsideS).setLegendLayout(LegendLayout.Horizontal);
        return chart;
    }

    /** Test accuracy per epoch, in percent. */
    public static XYChart accuracyCurve(List<EpochStats> history) {
        XYChart chart = epochChart("Test accuracy (%)", history.size());
        addEpochSeries(chart, "test accuracy", history, epoch -> 100 * epoch.testAccuracy());
        chart.getStyler().setYAxisDecimalPattern("0.#");
        chart.getStyler().setLegendVisible(false);
        return chart;
    }

    /** The ROC curve (true positive rate against false positive rate), with the diagonal of guessing. */
    public static XYChart rocCurve(BinaryMetrics metrics) {
        XYChart chart = curveChart("False positive rate", "True positive rate");
        chart.addSeries("guessing", new double[]{0, 1}, new double[]{0, 1}).setMarker(SeriesMarkers.NONE);
        addCurve(chart, String.format("model (AUC %.3f)", metrics.auc()), metrics.roc());
        return chart;
    }

    /** Precision against recall of the positive class, as the threshold falls. */
    public static XYChart precisionRecallCurve(BinaryMetrics metrics) {
        XYChart chart = curveChart("Recall", "Precision");
        addCurve(chart, "model", metrics.precisionRecall());
        chart.getStyler().setLegendVisible(false);
        return chart;
    }

    private static XYChart curveChart(String xAxisTitle, String yAxisTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH / 2).height(HEIGHT).xAxisTitle(xAxisTitle)
                .yAxisTitle(yAxisTitle).build();
        style(chart.getStyler());
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        chart.getStyler().setLegendPosition(LegendPosition.InsideSE);
        return chart;
    }

    private static void addCurve(XYChart chart, String name, List<double[]> points) {
        double[] x = points.stream().mapToDouble(p -> p[0]).toArray();
        double[] y = points.stream().mapToDouble(p -> p[1]).toArray();
        chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
    }

    private static XYChart epochChart(String yAxisTitle, int epochs) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .xAxisTitle("Epoch").yAxisTitle(yAxisTitle).build();
        style(chart.getStyler());
        chart.getStyler().setMarkerSize(7);
        chart.getStyler().setXAxisDecimalPattern("0");
        // XChart labels every epoch it can squeeze in; beyond about 40 the numbers would touch.
        chart.getStyler().setXAxisLabelRotation(epochs > 40 ? 90 : 0);
        return chart;
    }

    private static void addEpochSeries(XYChart chart, String name, List<EpochStats> history,
                                       ToDoubleFunction<EpochStats> value) {
        List<Integer> epochs = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (EpochStats epoch : history) {
            double y = value.applyAsDouble(epoch);
            if (Double.isFinite(y)) {
                epochs.add(epoch.epoch());
                values.add(y);
            }
        }
        if (!values.isEmpty()) {
            chart.addSeries(name, epochs, values).setMarker(SeriesMarkers.CIRCLE);
        }
    }

    /**
     * The confusion matrix as a heat map: true classes down the side (first class at the top),
     * predicted classes along the bottom, counts in the cells when there is room for them.
     * Colours saturate at the largest count off the diagonal, so that a diagonal of thousands
     * does not wash the mistakes out; the diagonal cells are then simply the darkest.
     */
    public static HeatMapChart confusionHeatMap(ClassificationResult result) {
        List<String> names = result.classNames();
        int n = names.size();
        int[][] counts = result.confusionMatrix();

        // Cells of 10 to 60 pixels; tick labels shrink with them so that they never overlap.
        int cell = Math.max(10, Math.min(60, 800 / n));
        int labelRoom = 14 + 8 * Math.min(longestName(names), 16);
        HeatMapChart chart = new HeatMapChartBuilder()
                .width(n * cell + labelRoom + 60).height(n * cell + labelRoom + 40)
                .xAxisTitle("Predicted class").yAxisTitle("True class").build();
        style(chart.getStyler());
        chart.getStyler()
                .setShowValue(cell >= 36)
                .setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12))
                .setValueFontColor(Color.BLACK)
                .setHeatMapValueDecimalPattern("#,##0")
                .setRangeColors(new Color[] {new Color(0xF7FBFF), new Color(0x9ECAE1), new Color(0x3182BD)})
                .setMin(0)
                .setMax(largestMistake(counts))
                .setLegendVisible(false);
        chart.getStyler()
                .setAxisTickLabelsFont(TICK_FONT.deriveFont(Math.min(13f, cell * 0.8f)))
                .setXAxisLabelRotation(n > 10 || longestName(names) > 5 ? 90 : 0)
                .setPlotGridLinesVisible(false);
        chart.getStyler().setPlotContentSize(1.0);

        // XChart draws the first y category at the bottom; list them reversed to put it on top.
        List<String> trueAxis = new ArrayList<>(names);
        Collections.reverse(trueAxis);
        List<Number[]> cells = new ArrayList<>();
        for (int actual = 0; actual < n; actual++) {
            for (int predicted = 0; predicted < n; predicted++) {
                // Empty cells are left out: unpainted, they show the background and no "0".
                if (counts[actual][predicted] > 0) {
                    cells.add(new Number[] {predicted, n - 1 - actual, counts[actual][predicted]});
                }
            }
        }
        chart.addSeries("counts", names, trueAxis, cells);
        return chart;
    }

    private static int largestMistake(int[][] counts) {
        int largest = 1;
        for (int actual = 0; actual < counts.length; actual++) {
            for (int predicted = 0; predicted < counts.length; predicted++) {
                if (actual != predicted) {
                    largest = Math.max(largest, counts[actual][predicted]);
                }
            }
        }
        return largest;
    }

    /** Precision, recall and F1 of every class side by side, on a 0 to 1 scale. */
    public static CategoryChart perClassScores(ClassificationResult result) {
        List<ClassMetrics> classes = result.perClass();
        List<String> names = classes.stream().map(ClassMetrics::name).toList();
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .xAxisTitle("Class").yAxisTitle("Score").build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(LegendPosition.OutsideS).setLegendLayout(LegendLayout.Horizontal);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        // With many classes the labels shrink to their share of the width rather than overlap.
        float labelSize = Math.min(13f, 0.85f * (WIDTH - 100) / names.size());
        chart.getStyler().setAxisTickLabelsFont(TICK_FONT.deriveFont(labelSize))
                .setXAxisLabelRotation(names.size() > 10 || longestName(names) > 8 ? 90 : 0);
        chart.getStyler().setAvailableSpaceFill(0.8).setOverlapped(false);
        chart.addSeries("precision", names, classes.stream().map(ClassMetrics::precision).toList());
        chart.addSeries("recall", names, classes.stream().map(ClassMetrics::recall).toList());
        chart.addSeries("F1", names, classes.stream().map(ClassMetrics::f1).toList());
        return chart;
    }

    private static int longestName(List<String> names) {
        return names.stream().mapToInt(String::length).max().orElse(0);
    }

    private static void style(AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(false);
        styler.setPlotGridLinesColor(new Color(0xE3E6EB));
        styler.setAxisTickLabelsFont(TICK_FONT);
        styler.setAxisTitleFont(TITLE_FONT);
        styler.setLegendFont(TICK_FONT);
        styler.setLegendBorderColor(Color.WHITE);
        styler.setChartTitleVisible(false);
        styler.setChartPadding(12);
        styler.setSeriesColors(new Color[] {new Color(0x1F77B4), new Color(0xFF7F0E), new Color(0x2CA02C)});
        styler.setAntiAlias(true);
    }
}
