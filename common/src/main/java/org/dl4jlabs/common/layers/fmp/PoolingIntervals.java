package org.dl4jlabs.common.layers.fmp;

import java.util.Arrays;

/**
 * The pooling intervals along one spatial dimension of one image, as used by
 * {@link FractionalMaxPooling2D}. They come from boundaries 0 = a_0 &lt; a_1 &lt; ... &lt; a_n = input
 * size; interval i covers input positions {@link #start}(i) to {@link #end}(i) - 1, which is
 * [a_i, a_{i+1} - 1] for disjoint intervals and [a_i, a_{i+1}] (clipped to the input) for
 * overlapping ones.
 */
public final class PoolingIntervals {

    private final int inputSize;
    private final int[] boundaries;
    private final boolean overlapping;
    // Read directly by the pooling kernel's inner loops.
    final int[] starts;
    final int[] ends;

    private PoolingIntervals(int inputSize, int[] boundaries, boolean overlapping) {
        this.inputSize = inputSize;
        this.boundaries = boundaries;
        this.overlapping = overlapping;
        int count = boundaries.length - 1;
        starts = Arrays.copyOf(boundaries, count);
        ends = new int[count];
        for (int i = 0; i < count; i++) {
            ends[i] = overlapping ? Math.min(boundaries[i + 1] + 1, inputSize) : boundaries[i + 1];
        }
    }

    /**
     * Graham's pseudo-random boundaries a_i = ceil(alpha (i + u)) - ceil(alpha u), alpha = input /
     * output size. Since ceil((m + x) / n) = ceil((m + ceil(x)) / n) for integers m, n, they are
     * computed exactly as ceilDiv(i input + v, output) - ceilDiv(v, output) with v = ceil(u input).
     *
     * @param u uniform in [0, 1)
     */
    static PoolingIntervals pseudoRandom(int inputSize, int outputSize, double u, boolean overlapping) {
        long v = (long) Math.ceil(u * inputSize);
        long first = ceilDiv(v, outputSize);
        int[] boundaries = new int[outputSize + 1];
        for (int i = 0; i <= outputSize; i++) {
            boundaries[i] = (int) (ceilDiv((long) i * inputSize + v, outputSize) - first);
        }
        return new PoolingIntervals(inputSize, boundaries, overlapping);
    }

    /** The pseudo-random boundaries at u = 1/2: the long increments spread as evenly as possible. */
    static PoolingIntervals evenlySpread(int inputSize, int outputSize, boolean overlapping) {
        return pseudoRandom(inputSize, outputSize, 0.5, overlapping);
    }

    /**
     * Boundaries whose increments, input % output long ones (input / output + 1) and the rest
     * short ones (input / output), come in a uniformly random order: a Fisher-Yates shuffle driven
     * by {@link #uniformsForRandom} uniforms from {@code uniforms[from]} on.
     */
    static PoolingIntervals random(int inputSize, int outputSize, double[] uniforms, int from, boolean overlapping) {
        int shortIncrement = inputSize / outputSize;
        int longIncrements = inputSize % outputSize;
        int[] increments = new int[outputSize];
        for (int i = 0; i < outputSize; i++) {
            increments[i] = i < longIncrements ? shortIncrement + 1 : shortIncrement;
        }
        for (int i = outputSize - 1; i > 0; i--) {
            int j = Math.min(i, (int) (uniforms[from++] * (i + 1)));
            int swap = increments[i];
            increments[i] = increments[j];
            increments[j] = swap;
        }
        int[] boundaries = new int[outputSize + 1];
        for (int i = 0; i < outputSize; i++) {
            boundaries[i + 1] = boundaries[i] + increments[i];
        }
        return new PoolingIntervals(inputSize, boundaries, overlapping);
    }

    /** How many uniforms {@link #random} consumes for this output size. */
    static int uniformsForRandom(int outputSize) {
        return outputSize - 1;
    }

    private static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }

    /** The size of the input dimension that the intervals cover. */
    public int inputSize() {
        return inputSize;
    }

    /** The number of intervals, which is the output size. */
    public int count() {
        return starts.length;
    }

    /** The first input position of interval i. */
    public int start(int i) {
        return starts[i];
    }

    /** One past the last input position of interval i. */
    public int end(int i) {
        return ends[i];
    }

    /** The boundaries a_0 = 0, a_1, ..., a_n = input size. */
    public int[] boundaries() {
        return boundaries.clone();
    }

    public boolean overlapping() {
        return overlapping;
    }

    @Override
    public String toString() {
        return (overlapping ? "overlapping " : "disjoint ") + Arrays.toString(boundaries);
    }
}
