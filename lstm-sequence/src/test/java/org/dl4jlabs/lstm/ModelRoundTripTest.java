package org.dl4jlabs.lstm;

import org.dl4jlabs.common.layers.fast.FastLayers;
import org.dl4jlabs.common.train.ModelInfo;
import org.dl4jlabs.common.train.ModelStore;
import org.dl4jlabs.common.train.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Trained models and their scaling come back from model.zip giving exactly the same outputs. */
class ModelRoundTripTest {

    @TempDir
    Path dir;

    @Test
    void savedAndReloadedClassifierGivesTheSameProbabilities() {
        List<LabelledSeries> series = ClassifyTask.truncateAtRandom(new ControlChartGenerator(8).generate(5, 60), 30, 2);
        DataSet data = SequenceDataSets.toDataSet(series, 6);
        NormalizerStandardize normalizer = new NormalizerStandardize();
        normalizer.fit(data);
        normalizer.preProcess(data);
        Network net = Network.of(FastLayers.acceleratedNetwork(LstmModel.classifier(new LstmModel.Options(2, 8, true, 0.1, 1, 1e-2), 1, 6, 3)));
        net.fit(data);
        INDArray before = SequenceClassifier.probabilities(net, data);

        Path file = dir.resolve("model.zip");
        ModelStore.save(net, new ModelInfo(LstmSequenceApp.NAME, "test", ControlChart.names(), new long[]{1, 60},
                Map.of("task", ClassifyTask.TASK)), normalizer, file);
        ModelStore.Loaded loaded = ModelStore.load(file, LstmSequenceApp.NAME);
        DataSet again = SequenceDataSets.toDataSet(series, 6);
        ((DataNormalization) loaded.normalizer()).preProcess(again);

        assertEquals(data.getFeatures(), again.getFeatures());
        assertEquals(before, SequenceClassifier.probabilities(loaded.network(), again));
    }

    @Test
    void savedAndReloadedForecasterGivesTheSameForecastsInTheSeriesUnits() {
        // Far from zero, so that forecasts without the saved scaling would be far off.
        double[] series = SeasonalSeries.generate(120, 5);
        for (int t = 0; t < series.length; t++) {
            series[t] += 1000;
        }
        var shape = new ForecastTask.Shape(12, 3, 12);
        NormalizerStandardize scaling = ForecastTask.scaling(series, 96, shape);
        DataSet train = ForecastTask.windows(series, shape, shape.window(), 96, 1);
        scaling.preProcess(train);
        Network net = Network.of(FastLayers.acceleratedNetwork(LstmModel.forecaster(new LstmModel.Options(1, 8, false, 0, 1, 1e-2), 3, 4)));
        net.fit(train);
        INDArray before = ForecastTask.TestRange.of(series, shape, scaling).forecast(net);

        Path file = dir.resolve("forecast.zip");
        ModelStore.save(net, new ModelInfo(LstmSequenceApp.NAME, "test", List.of(), new long[]{1, 12}, Map.of("task",
                ForecastTask.TASK, "window", 12, "horizon", 3, "season", 12)), scaling, file);
        ForecastTask.Saved saved = ForecastTask.Saved.of(ModelStore.load(file, LstmSequenceApp.NAME));
        INDArray after = ForecastTask.TestRange.of(series, saved.shape(), saved.scaling())
                .forecast(saved.model().network());

        assertEquals(shape, saved.shape());
        assertEquals(scaling.getMean(), saved.scaling().getMean());
        assertEquals(scaling.getLabelStd(), saved.scaling().getLabelStd());
        assertEquals(before, after);
        assertEquals(1000, after.meanNumber().doubleValue(), 20, "forecasts are in the series' units");
    }
}
