package org.dl4jlabs.common.train;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChannelStandardizationTest {

    @Test
    void eachChannelsMeanAndDeviationAreThoseOfAllItsValuesComputedInDoubles() {
        Nd4j.getRandom().setSeed(5);
        int examples = 3000;
        int plane = 16 * 16;
        INDArray features = Nd4j.rand(DataType.FLOAT, examples, 3 * plane);
        for (int c = 0; c < 3; c++) {
            features.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(c * plane, (c + 1) * plane)).muli(c + 1).addi(10 * c);
        }
        NormalizerStandardize normalizer = ChannelStandardization.fit(new DataSet(features, null), 3);

        float[] values = features.data().asFloat();
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            double squares = 0;
            long n = (long) examples * plane;
            for (int row = 0; row < examples; row++) {
                for (int p = 0; p < plane; p++) {
                    double v = values[row * 3 * plane + c * plane + p];
                    sum += v;
                    squares += v * v;
                }
            }
            double mean = sum / n;
            double std = Math.sqrt((squares - n * mean * mean) / (n - 1));
            for (int p : new int[]{0, plane - 1}) {
                assertEquals(mean, normalizer.getMean().getDouble(0, c * plane + p), 1e-5 * Math.abs(mean) + 1e-6);
                assertEquals(std, normalizer.getStd().getDouble(0, c * plane + p), 1e-5 * std);
            }
        }
    }
}
