package org.dl4jlabs.lstm;

/** One univariate time series and the index of its class. */
public record LabelledSeries(double[] values, int label) {

    /** The first {@code length} steps, as if the series had been cut short. */
    public LabelledSeries truncated(int length) {
        return new LabelledSeries(java.util.Arrays.copyOf(values, length), label);
    }
}
