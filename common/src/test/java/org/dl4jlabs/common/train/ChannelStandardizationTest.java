package org.dl4jlabs.common.train;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

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

    /** Features that are a view into a larger array (an offset, other rows around them) give the same statistics. */
    @Test
    void aViewIsStandardizedLikeItsCopy() {
        Nd4j.getRandom().setSeed(6);
        INDArray all = Nd4j.rand(DataType.FLOAT, 500, 2 * 9);
        INDArray view = all.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(100, 400),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
        NormalizerStandardize fromView = ChannelStandardization.fit(new DataSet(view, null), 2);
        NormalizerStandardize fromCopy = ChannelStandardization.fit(new DataSet(view.dup(), null), 2);
        assertEquals(fromCopy.getMean(), fromView.getMean());
        assertEquals(fromCopy.getStd(), fromView.getStd());
        NormalizerStandardize fromAll = ChannelStandardization.fit(new DataSet(all, null), 2);
        assertNotEquals(fromAll.getMean(), fromView.getMean(), "other rows, other means");
    }
}
