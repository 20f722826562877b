package org.dl4jlabs.lstm;

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

/** A trained classifier and its normalizer come back from model.zip giving exactly the same outputs. */
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
        Network net = Network.of(LstmModel.classifier(new LstmModel.Options(2, 8, true, 0.1, 1, 1e-2), 1, 6, 3));
        net.fit(data);
        INDArray before = SequenceClassifier.probabilities(net, data);

        Path file = dir.resolve("model.zip");
        ModelStore.save(net, new ModelInfo(App.NAME, "test", ControlChart.names(), new long[]{1, 60},
                Map.of("task", ClassifyTask.TASK)), normalizer, file);
        ModelStore.Loaded loaded = ModelStore.load(file, App.NAME);
        DataSet again = SequenceDataSets.toDataSet(series, 6);
        ((DataNormalization) loaded.normalizer()).preProcess(again);

        assertEquals(data.getFeatures(), again.getFeatures());
        assertEquals(before, SequenceClassifier.probabilities(loaded.network(), again));
    }
}
