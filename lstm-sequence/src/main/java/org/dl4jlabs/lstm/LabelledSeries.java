package org.dl4jlabs.lstm;

import java.util.Arrays;

/** One univariate time series and the index of its class. */
public record LabelledSeries(double[] values, int label) {

    /** The first {@code length} steps, as if the series had been cut short. */
    public LabelledSeries truncated(int length) {
        return new LabelledSeries(Arrays.copyOf(values, length), label);
    }
}
