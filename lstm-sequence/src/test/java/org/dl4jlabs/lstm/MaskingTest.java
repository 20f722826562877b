package org.dl4jlabs.lstm;

import org.dl4jlabs.common.layers.fast.FastLayers;
import org.dl4jlabs.common.train.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Series of different lengths: padding, masks, and a network that ignores the padding. */
class MaskingTest {

    @Test
    void seriesCutAtRandomLengthsArePaddedAtTheEndAndMasked() {
        List<LabelledSeries> whole = new ControlChartGenerator(3).generate(2, 60);
        List<LabelledSeries> cut = ClassifyTask.truncateAtRandom(whole, 10, 9);
        DataSet data = SequenceDataSets.toDataSet(cut, 6);
        assertEquals(60, data.getFeatures().size(2), "as long as the longest series");
        INDArray mask = data.getFeaturesMaskArray();
        assertNotNull(mask);
        for (int i = 0; i < cut.size(); i++) {
            double[] values = cut.get(i).values();
            for (int t = 0; t < 60; t++) {
                assertEquals(t < values.length ? 1 : 0, mask.getInt(i, t), "series " + i + " step " + t);
                if (t < values.length) {
                    assertEquals(values[t], data.getFeatures().getDouble(i, 0, t), 1e-4);
                }
            }
            assertEquals(cut.get(i).label(), data.getLabels().getRow(i).argMax().getInt(0));
        }
    }

    @ParameterizedTest(name = "bidirectional {0}")
    @ValueSource(booleans = {false, true})
    void aPaddedSeriesGetsTheSameOutputAsTheSeriesAlone(boolean bidirectional) {
        Network net = Network.of(FastLayers.acceleratedNetwork(LstmModel.classifier(new LstmModel.Options(2, 8, bidirectional, 0, 1, 1e-3), 1, 6, 5)));
        Random random = new Random(4);
        List<LabelledSeries> batch = new ArrayList<>();
        for (int length : new int[]{60, 25, 41}) {
            double[] values = new double[length];
            for (int t = 0; t < length; t++) {
                values[t] = random.nextGaussian();
            }
            batch.add(new LabelledSeries(values, 0));
        }
        INDArray together = SequenceClassifier.probabilities(net, SequenceDataSets.toDataSet(batch, 6));
        for (int i = 0; i < batch.size(); i++) {
            INDArray alone = SequenceClassifier.probabilities(net, SequenceDataSets.toDataSet(List.of(batch.get(i)), 6));
            assertArrayEquals(alone.toDoubleVector(), together.getRow(i).toDoubleVector(), 1e-5, "series " + i);
        }
    }
}
