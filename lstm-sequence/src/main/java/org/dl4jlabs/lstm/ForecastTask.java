package org.dl4jlabs.lstm;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.layers.fast.FastLayers;
import org.dl4jlabs.common.report.HtmlReport;
import org.dl4jlabs.common.report.ReportCharts;
import org.dl4jlabs.common.report.ReportWriter;
import org.dl4jlabs.common.report.RunReport;
import org.dl4jlabs.common.report.Settings;
import org.dl4jlabs.common.train.EpochStats;
import org.dl4jlabs.common.train.ModelInfo;
import org.dl4jlabs.common.train.ModelStore;
import org.dl4jlabs.common.train.Network;
import org.dl4jlabs.common.train.ShuffledBatches;
import org.dl4jlabs.common.train.Trainer;
import org.dl4jlabs.common.workflow.RunContext;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
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

    /**
     * A saved forecaster with what reusing it needs: its window, horizon and season, and the scaling of
     * the series it was trained on.
     */
    record Saved(ModelStore.Loaded model, Shape shape, NormalizerStandardize scaling) {

        static Saved of(ModelStore.Loaded model) {
            String task = LstmSequenceApp.ModelTask.of(model);
            if (!TASK.equals(task)) {
                throw new LabsException("this model was trained for --task " + task + ", not forecast");
            }
            if (!(model.normalizer() instanceof NormalizerStandardize scaling) || !scaling.isFitLabel()) {
                throw new LabsException("this forecast model was saved without the scaling of its series (by an "
                        + "older version of lstm-sequence): train it again to evaluate it");
            }
            return new Saved(model, Settings.fromMap(model.info().config(), Shape.class, "the model"), scaling);
        }
    }

    /**
     * The test range of a series: its windows scaled for the network, and in the series' own units the
     * history before each block of {@code horizon} values and the block itself.
     */
    record TestRange(double[] series, int start, Shape shape, NormalizerStandardize scaling, DataSet scaled,
                     INDArray history, INDArray actual) {

        static TestRange of(double[] series, Shape shape, NormalizerStandardize scaling) {
            int start = testStart(series);
            DataSet scaled = windows(series, shape, start, series.length, shape.horizon());
            scaling.preProcess(scaled);
            DataSet raw = windows(series, shape, start, series.length, shape.horizon());
            INDArray history = raw.getFeatures().reshape(raw.numExamples(), shape.window());
            return new TestRange(series, start, shape, scaling, scaled, history, raw.getLabels());
        }

        /** The network's forecast of each block, in the series' units. */
        INDArray forecast(Network net) {
            INDArray predicted = net.output(scaled.getFeatures());
            scaling.revertLabels(predicted);
            return predicted;
        }
    }

    private ForecastTask() {
    }

    /**
     * Trains a forecaster on {@code data} and writes model.zip (with the scaling of the series and where
     * the series came from), report.json and report.html.
     */
    static RunReport train(RunContext run, ForecastSeries data, Shape shape, LstmModel.Options options,
                           int epochs, int batch) {
        double[] series = data.values();
        check(series, shape);
        int testStart = testStart(series);
        NormalizerStandardize scaling = scaling(series, testStart, shape);
        DataSet train = windows(series, shape, shape.window(), testStart, 1);
        scaling.preProcess(train);
        TestRange test = TestRange.of(series, shape, scaling);
        log.info("data: {} ({} values; {} training windows, {} test windows of {} -> {})", data.name(),
                series.length, train.numExamples(), test.scaled().numExamples(), shape.window(), shape.horizon());

        Network net = Network.of(FastLayers.acceleratedNetwork(
                LstmModel.forecaster(options, shape.horizon(), run.seed())));
        run.printSummary(net);
        Trainer trainer = new Trainer(net, n -> Trainer.EpochScore.lossOnly(n.loss(test.scaled())));
        Trainer.Result trained = trainer.fit(new ShuffledBatches(train, batch, run.seed()), epochs);

        Map<String, Object> config = config(shape, options, data);
        ModelStore.save(net, new ModelInfo(run.app(), data.name(), List.of(), new long[]{1, shape.window()}, config),
                scaling, run.out().resolve(ModelStore.FILE_NAME));
        RunReport.Builder builder = run.report()
                .dataset(data.name(), train.numExamples(), test.scaled().numExamples())
                .training(epochs, trained.trainSeconds())
                .history(trained.history());
        config.forEach(builder::config);
        return writeReport(run, builder, net, test, trained.history());
    }

    /**
     * Scores a saved forecaster on the test range of {@code data} (the last {@value #TEST_FRACTION}
     * of it), with the scaling it was trained with, and writes report.json and report.html.
     */
    static RunReport eval(RunContext run, Saved saved, ForecastSeries data) {
        check(data.values(), saved.shape());
        TestRange test = TestRange.of(data.values(), saved.shape(), saved.scaling());
        log.info("data: {} ({} values; {} test windows)", data.name(), data.values().length,
                test.scaled().numExamples());
        RunReport.Builder builder = run.report()
                .dataset(data.name(), 0, test.scaled().numExamples())
                .config("trained_on", saved.model().info().dataset());
        saved.model().info().config().forEach(builder::config);
        return writeReport(run, builder, saved.model().network(), test, List.of());
    }

    /** The errors of the network and the baselines on the test range, as a table and a plot. */
    private static RunReport writeReport(RunContext run, RunReport.Builder builder, Network net, TestRange test,
                                         List<EpochStats> history) {
        Shape shape = test.shape();
        INDArray predicted = test.forecast(net);
        List<Errors> errors = List.of(
                errors("LSTM", predicted, test.actual()),
                errors("last value", lastValue(test.history(), shape), test.actual()),
                errors("seasonal naive (season " + shape.season() + ")", seasonalNaive(test.history(), shape),
                        test.actual()));
        RunReport report = builder
                .extra("errors", errors.stream().map(e -> Map.of("method", e.method(), "rmse", e.rmse(),
                        "mae", e.mae())).toList())
                .build();

        HtmlReport page = new HtmlReport(report)
                .addHeadline("RMSE", String.format("%.3f", errors.get(0).rmse()))
                .addHeadline("Last-value RMSE", String.format("%.3f", errors.get(1).rmse()));
        page.addTable("Errors on the test range", List.of("Forecast", "RMSE", "MAE"),
                errors.stream().map(e -> List.<Object>of(e.method(), e.rmse(), e.mae())).toList());
        page.addChart("Actual and forecast on the test range", plot(test, predicted),
                "The test range forecast block by block: each block of " + shape.horizon() + " values is "
                        + "predicted from the " + shape.window() + " actual values before it.");
        if (!history.isEmpty()) {
            page.addChart("Loss per epoch", ReportCharts.lossCurves(history),
                    "Mean squared error on the standardized series.");
        }
        ReportWriter.write(run.out(), report, page);
        log.info("errors on the test range ({} windows):", predicted.rows());
        for (Errors e : errors) {
            log.info("  {}  RMSE {}  MAE {}", String.format("%-28s", e.method()), String.format("%.4f", e.rmse()),
                    String.format("%.4f", e.mae()));
        }
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
        int testLength = series.length - testStart(series);
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

    private static XYChart plot(TestRange test, INDArray predicted) {
        XYChart chart = new XYChartBuilder().width(1000).height(440).xAxisTitle("t").yAxisTitle("value").build();
        int horizon = test.shape().horizon();
        double[] steps = new double[predicted.rows() * horizon];
        double[] actual = new double[steps.length];
        double[] forecast = new double[steps.length];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = test.start() + i;
            actual[i] = test.series()[test.start() + i];
            forecast[i] = predicted.getDouble(i / horizon, i % horizon);
        }
        chart.addSeries("actual", steps, actual).setMarker(SeriesMarkers.NONE);
        chart.addSeries("LSTM forecast", steps, forecast).setMarker(SeriesMarkers.NONE);
        return chart;
    }

    /** Where the test range starts: the last {@value #TEST_FRACTION} of the series is held out. */
    private static int testStart(double[] series) {
        return series.length - (int) Math.round(series.length * TEST_FRACTION);
    }

    /**
     * Standardizes windows and targets with the mean and deviation of the training range only, so that
     * nothing of the test range leaks in; saved with the model to scale new series the same way.
     */
    static NormalizerStandardize scaling(double[] series, int testStart, Shape shape) {
        double mean = mean(series, testStart);
        double deviation = standardDeviation(series, testStart, mean);
        DataType type = Nd4j.defaultFloatingPointType();
        long[] oneFeature = {1};
        long[] horizon = {shape.horizon()};
        return new NormalizerStandardize(Nd4j.valueArrayOf(oneFeature, mean, type),
                Nd4j.valueArrayOf(oneFeature, deviation, type), Nd4j.valueArrayOf(horizon, mean, type),
                Nd4j.valueArrayOf(horizon, deviation, type));
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

    private static Map<String, Object> config(Shape shape, LstmModel.Options options, ForecastSeries data) {
        Map<String, Object> config = Settings.toMap(new LstmSequenceApp.ModelTask(TASK), shape, options);
        config.putAll(data.source());
        return config;
    }
}
