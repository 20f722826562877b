package org.dl4jlabs.lstm;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.cli.RunContext;
import org.dl4jlabs.common.report.HtmlReport;
import org.dl4jlabs.common.report.ReportCharts;
import org.dl4jlabs.common.report.ReportWriter;
import org.dl4jlabs.common.report.RunReport;
import org.dl4jlabs.common.train.ModelInfo;
import org.dl4jlabs.common.train.ModelStore;
import org.dl4jlabs.common.train.Network;
import org.dl4jlabs.common.train.ShuffledBatches;
import org.dl4jlabs.common.train.Trainer;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --task forecast}: from the last {@code window} values of a series, predict the next
 * {@code horizon}. The last {@value #TEST_FRACTION} of the series is the test range; the network is
 * compared there with two naive forecasts that any model must beat to be worth having.
 */
final class ForecastTask {

    static final String TASK = "forecast";
    static final double TEST_FRACTION = 0.2;

    private static final Logger log = LoggerFactory.getLogger(ForecastTask.class);

    /** How far ahead, from how much history, and the season of the seasonal-naive baseline. */
    record Shape(int window, int horizon, int season) {
    }

    /** Root mean squared and mean absolute error of one way of forecasting. */
    record Errors(String method, double rmse, double mae) {
    }

    private ForecastTask() {
    }

    static RunReport train(RunContext run, String dataName, double[] series, Shape shape, LstmModel.Options options,
                           int epochs, int batch) {
        check(series, shape);
        int testStart = series.length - (int) Math.round(series.length * TEST_FRACTION);
        // Scaled with the training range's statistics only, so nothing of the test range leaks in.
        double mean = mean(series, testStart);
        double scale = standardDeviation(series, testStart, mean);
        double[] scaled = new double[series.length];
        for (int t = 0; t < series.length; t++) {
            scaled[t] = (series[t] - mean) / scale;
        }
        DataSet train = windows(scaled, shape, shape.window(), testStart, 1);
        DataSet test = windows(scaled, shape, testStart, series.length, shape.horizon());
        log.info("data: {} ({} values; {} training windows, {} test windows of {} -> {})", dataName, series.length,
                train.numExamples(), test.numExamples(), shape.window(), shape.horizon());

        Network net = Network.of(LstmModel.forecaster(options, shape.horizon(), run.seed()));
        Trainer trainer = new Trainer(net, n -> new double[]{n.loss(test), Double.NaN});
        Trainer.Result trained = trainer.fit(new ShuffledBatches(train, batch, run.seed()), epochs);

        INDArray predicted = net.output(test.getFeatures()).mul(scale).add(mean);
        INDArray actual = test.getLabels().mul(scale).add(mean);
        INDArray history = test.getFeatures().reshape(test.numExamples(), shape.window()).mul(scale).add(mean);
        List<Errors> errors = List.of(
                errors("LSTM", predicted, actual),
                errors("last value", lastValue(history, shape), actual),
                errors("seasonal naive (season " + shape.season() + ")", seasonalNaive(history, shape), actual));

        Map<String, Object> config = config(shape, options);
        ModelStore.save(net, new ModelInfo(run.app(), dataName, List.of(), new long[]{1, shape.window()}, config),
                null, run.out().resolve("model.zip"));
        RunReport.Builder builder = RunReport.builder(run.app(), run.command())
                .dataset(dataName, train.numExamples(), test.numExamples())
                .training(epochs, trained.trainSeconds())
                .history(trained.history())
                .backend(run.backend())
                .seed(run.seed())
                .extra("errors", errors.stream().map(e -> Map.of("method", e.method(), "rmse", e.rmse(),
                        "mae", e.mae())).toList());
        config.forEach(builder::config);
        RunReport report = builder.build();

        HtmlReport page = new HtmlReport(report)
                .addHeadline("RMSE", String.format("%.3f", errors.get(0).rmse()))
                .addHeadline("Last-value RMSE", String.format("%.3f", errors.get(1).rmse()));
        page.addTable("Errors on the test range", List.of("Forecast", "RMSE", "MAE"),
                errors.stream().map(e -> List.<Object>of(e.method(), e.rmse(), e.mae())).toList());
        page.addChart("Actual and forecast on the test range", plot(series, testStart, predicted, shape),
                "The test range forecast block by block: each block of " + shape.horizon() + " values is "
                        + "predicted from the " + shape.window() + " actual values before it.");
        page.addChart("Loss per epoch", ReportCharts.lossCurves(trained.history()),
                "Mean squared error on the standardized series.");
        ReportWriter.write(run.out(), report, page);
        log.info("test RMSE {} (last value {}, seasonal naive {}); report in {}",
                String.format("%.4f", errors.get(0).rmse()), String.format("%.4f", errors.get(1).rmse()),
                String.format("%.4f", errors.get(2).rmse()), run.out());
        return report;
    }

    static void check(double[] series, Shape shape) {
        if (shape.window() < 1 || shape.horizon() < 1 || shape.season() < 1) {
            throw new LabsException("--window, --horizon and --season must be at least 1");
        }
        if (shape.season() > shape.window()) {
            throw new LabsException("--season " + shape.season() + " is longer than --window " + shape.window()
                    + ": the seasonal-naive forecast needs a whole season of history");
        }
        int testLength = (int) Math.round(series.length * TEST_FRACTION);
        int needed = shape.window() + shape.horizon();
        if (testLength < shape.horizon() || series.length - testLength < needed) {
            throw new LabsException("the series has " + series.length + " values: too short for a window of "
                    + shape.window() + " and a horizon of " + shape.horizon() + " (it needs at least "
                    + (int) Math.ceil(Math.max(needed / (1 - TEST_FRACTION), shape.horizon() / TEST_FRACTION))
                    + ")");
        }
    }

    /**
     * Windows whose targets lie in [{@code from}, {@code to}): features [n, 1, window] (the values before
     * the target), labels [n, horizon]; one window every {@code step} values.
     */
    static DataSet windows(double[] series, Shape shape, int from, int to, int step) {
        List<double[]> inputs = new ArrayList<>();
        List<double[]> targets = new ArrayList<>();
        for (int start = from; start + shape.horizon() <= to; start += step) {
            double[] input = new double[shape.window()];
            System.arraycopy(series, start - shape.window(), input, 0, shape.window());
            double[] target = new double[shape.horizon()];
            System.arraycopy(series, start, target, 0, shape.horizon());
            inputs.add(input);
            targets.add(target);
        }
        INDArray features = Nd4j.create(inputs.toArray(double[][]::new)).reshape(inputs.size(), 1, shape.window());
        return new DataSet(features.castTo(Nd4j.defaultFloatingPointType()),
                Nd4j.create(targets.toArray(double[][]::new)).castTo(Nd4j.defaultFloatingPointType()));
    }

    /** Tomorrow is like today: the last value, repeated over the horizon. */
    static INDArray lastValue(INDArray history, Shape shape) {
        INDArray last = history.getColumn(shape.window() - 1).reshape(history.rows(), 1);
        return last.repeat(1, shape.horizon());
    }

    /** Tomorrow is like the same day last season: the value one season back, for each step ahead. */
    static INDArray seasonalNaive(INDArray history, Shape shape) {
        INDArray forecast = Nd4j.create(history.dataType(), history.rows(), shape.horizon());
        for (int h = 0; h < shape.horizon(); h++) {
            int back = shape.season() - h % shape.season();
            forecast.putColumn(h, history.getColumn(shape.window() - back));
        }
        return forecast;
    }

    static Errors errors(String method, INDArray predicted, INDArray actual) {
        INDArray difference = predicted.sub(actual);
        double rmse = Math.sqrt(difference.mul(difference).meanNumber().doubleValue());
        double mae = Nd4j.math().abs(difference).meanNumber().doubleValue();
        return new Errors(method, rmse, mae);
    }

    private static XYChart plot(double[] series, int testStart, INDArray predicted, Shape shape) {
        XYChart chart = new XYChartBuilder().width(1000).height(440).xAxisTitle("t").yAxisTitle("value").build();
        int blocks = predicted.rows();
        double[] steps = new double[blocks * shape.horizon()];
        double[] actual = new double[steps.length];
        double[] forecast = new double[steps.length];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = testStart + i;
            actual[i] = series[testStart + i];
            forecast[i] = predicted.getDouble(i / shape.horizon(), i % shape.horizon());
        }
        chart.addSeries("actual", steps, actual).setMarker(SeriesMarkers.NONE);
        chart.addSeries("LSTM forecast", steps, forecast).setMarker(SeriesMarkers.NONE);
        return chart;
    }

    private static double mean(double[] values, int to) {
        double sum = 0;
        for (int t = 0; t < to; t++) {
            sum += values[t];
        }
        return sum / to;
    }

    private static double standardDeviation(double[] values, int to, double mean) {
        double sum = 0;
        for (int t = 0; t < to; t++) {
            sum += (values[t] - mean) * (values[t] - mean);
        }
        double deviation = Math.sqrt(sum / to);
        return deviation > 0 ? deviation : 1;
    }

    private static Map<String, Object> config(Shape shape, LstmModel.Options options) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("task", TASK);
        config.put("window", shape.window());
        config.put("horizon", shape.horizon());
        config.put("season", shape.season());
        options.addTo(config);
        return config;
    }
}
