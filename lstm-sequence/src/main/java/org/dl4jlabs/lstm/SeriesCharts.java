package org.dl4jlabs.lstm;

import org.dl4jlabs.common.report.HtmlReport.Figure;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Pictures of single time series for the reports. */
final class SeriesCharts {

    private static final int WIDTH = 320;
    private static final int HEIGHT = 200;

    private SeriesCharts() {
    }

    /**
     * The first test series of each class, captioned with its true class and the model's answer.
     *
     * @param probabilities one row of class probabilities per test series, in the order of {@code test}
     */
    static List<Figure> onePerClass(List<LabelledSeries> test, double[][] probabilities, List<String> classNames) {
        List<Figure> figures = new ArrayList<>();
        for (int label = 0; label < classNames.size(); label++) {
            for (int i = 0; i < test.size(); i++) {
                if (test.get(i).label() == label) {
                    int predicted = argMax(probabilities[i]);
                    String caption = String.format(Locale.ROOT, "%s → predicted %s (%.0f%%)", classNames.get(label),
                            classNames.get(predicted), 100 * probabilities[i][predicted]);
                    figures.add(new Figure(BitmapEncoder.getBufferedImage(line(test.get(i).values())), caption));
                    break;
                }
            }
        }
        return figures;
    }

    private static XYChart line(double[] values) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).xAxisTitle("step").build();
        double[] steps = new double[values.length];
        for (int t = 0; t < steps.length; t++) {
            steps[t] = t;
        }
        chart.addSeries("series", steps, values).setMarker(SeriesMarkers.NONE);
        chart.getStyler().setLegendVisible(false);
        // Small pictures: a few tick labels rather than one per step.
        chart.getStyler().setXAxisTickMarkSpacingHint(60);
        return chart;
    }

    static int argMax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
