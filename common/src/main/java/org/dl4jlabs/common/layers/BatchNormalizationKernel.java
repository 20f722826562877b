package org.dl4jlabs.common.layers;

import java.nio.FloatBuffer;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * The training passes of {@link FastBatchNormalizationLayer} on dense float image arrays, NCHW
 * ([examples, channels, cells]) or NHWC ([examples, cells, channels]), on the common fork-join
 * pool: in parallel over channels for NCHW, whose channels are contiguous rows, and over examples
 * for NHWC, whose examples are.
 *
 * <p>Each pass sweeps the data twice: once to reduce per channel, once to write. Data is copied
 * between native memory and Java arrays in bulk (a row, or an example), since element by element
 * access is slower. NCHW sums run in four independent partial sums: a single running float sum
 * waits on the latency of every add, which made the reduction the slowest sweep; NHWC sums have
 * one accumulator per channel already.
 */
final class BatchNormalizationKernel {

    private static final ThreadLocal<Rows> ROWS = ThreadLocal.withInitial(Rows::new);

    private final int examples;
    private final int channels;
    private final int cells;
    private final boolean channelsLast;
    private final boolean rectify;

    /**
     * @param channelsLast NHWC rather than NCHW
     * @param rectify      whether a ReLU follows the normalization, fused into both passes
     */
    BatchNormalizationKernel(int examples, int channels, int cells, boolean channelsLast, boolean rectify) {
        this.examples = examples;
        this.channels = channels;
        this.cells = cells;
        this.channelsLast = channelsLast;
        this.rectify = rectify;
    }

    /**
     * Normalizes {@code x} with its own batch statistics into {@code y = gamma * xHat + beta}, or
     * {@code max(0, gamma * xHat + beta)} when rectifying.
     *
     * @param mean     receives each channel's batch mean
     * @param variance receives each channel's biased batch variance
     * @param invStd   receives each channel's 1 / sqrt(biased batch variance + epsilon)
     */
    void forward(FloatBuffer x, FloatBuffer y, float[] gamma, float[] beta, double epsilon,
                 float[] mean, float[] variance, float[] invStd) {
        if (channelsLast) {
            forwardChannelsLast(x, y, gamma, beta, epsilon, mean, variance, invStd);
            return;
        }
        IntStream.range(0, channels).parallel().forEach(c -> {
            Rows rows = ROWS.get().fit(cells);
            float[] in = rows.first;
            float[] out = rows.second;
            float shift = x.get(offset(0, c));
            double sum = 0;
            double sumOfSquares = 0;
            for (int n = 0; n < examples; n++) {
                x.get(offset(n, c), in, 0, cells);
                sum += sumOfShifted(in, shift);
                sumOfSquares += sumOfShiftedSquares(in, shift);
            }
            statistics(c, shift, sum, sumOfSquares, epsilon, mean, variance, invStd);
            float scale = gamma[c] * invStd[c];
            float bias = beta[c] - mean[c] * scale;
            for (int n = 0; n < examples; n++) {
                x.get(offset(n, c), in, 0, cells);
                for (int i = 0; i < cells; i++) {
                    out[i] = in[i] * scale + bias;
                }
                if (rectify) {
                    for (int i = 0; i < cells; i++) {
                        out[i] = Math.max(out[i], 0f);
                    }
                }
                y.put(offset(n, c), out, 0, cells);
            }
        });
    }

    /**
     * A channel's batch statistics from its sum and sum of squares of values minus {@code shift}:
     * sums of values shifted by one of them keep E[x^2] - E[x]^2 accurate in floats even when the
     * mean is large against the spread.
     */
    private void statistics(int c, float shift, double shiftedSum, double shiftedSquares, double epsilon,
                            float[] mean, float[] variance, float[] invStd) {
        double count = (double) examples * cells;
        double shiftedMean = shiftedSum / count;
        double v = Math.max(0, shiftedSquares / count - shiftedMean * shiftedMean);
        mean[c] = (float) (shift + shiftedMean);
        variance[c] = (float) v;
        invStd[c] = (float) (1 / Math.sqrt(v + epsilon));
    }

    /**
     * NHWC data is swept in tiles of whole cells, each a run of {@code tile} values whose channel
     * pattern repeats. Per-channel factors are laid out once across a tile, and every loop indexes
     * all its arrays with the same index: the JIT vectorizes such loops, but not loops that mix
     * a cell's offset into one array with a channel index into another (it cannot rule out that
     * they overlap), which ran three to seventeen times slower. Sums are kept per tile position,
     * one set per part of the batch, and folded into channels at the end.
     */
    private int tile() {
        int cellsPerTile = 1;
        for (int k = 1; k <= cells && k * channels <= 4096; k++) {
            if (cells % k == 0) {
                cellsPerTile = k;
            }
        }
        return cellsPerTile * channels;
    }

    /** {@code perChannel} repeated across a tile. */
    private float[] tiled(float[] perChannel, int tile) {
        float[] values = new float[tile];
        for (int i = 0; i < tile; i++) {
            values[i] = perChannel[i % channels];
        }
        return values;
    }

    /** Consecutive ranges of examples, one per thread of the common pool and the caller. */
    private int parts() {
        return Math.max(1, Math.min(examples, ForkJoinPool.getCommonPoolParallelism() + 1));
    }

    /** What a sweep does with one tile: its part of the batch, its offset, and the thread's rows. */
    private interface TileStep {
        void apply(int part, int offset, Rows rows);
    }

    /** Runs {@code step} on every tile of the batch, the parts in parallel, each part's tiles in order. */
    private void sweepTiles(int parts, int tile, TileStep step) {
        int perExample = cells * channels;
        IntStream.range(0, parts).parallel().forEach(part -> {
            Rows rows = ROWS.get().fit(tile);
            int end = (int) ((long) examples * (part + 1) / parts) * perExample;
            for (int offset = (int) ((long) examples * part / parts) * perExample; offset < end; offset += tile) {
                step.apply(part, offset, rows);
            }
        });
    }

    /** Per-channel totals of per-tile-position sums, over all parts. */
    private double[] fold(float[][] perPart) {
        double[] totals = new double[channels];
        for (float[] values : perPart) {
            for (int i = 0; i < values.length; i++) {
                totals[i % channels] += values[i];
            }
        }
        return totals;
    }

    private void forwardChannelsLast(FloatBuffer x, FloatBuffer y, float[] gamma, float[] beta, double epsilon,
                                     float[] mean, float[] variance, float[] invStd) {
        int tile = tile();
        int parts = parts();
        float[] shift = new float[channels];
        x.get(0, shift, 0, channels);
        float[] shifts = tiled(shift, tile);
        float[][] sums = new float[parts][tile];
        float[][] squares = new float[parts][tile];
        sweepTiles(parts, tile, (part, offset, rows) -> {
            float[] in = rows.first;
            float[] sum = sums[part];
            float[] square = squares[part];
            x.get(offset, in, 0, tile);
            for (int i = 0; i < tile; i++) {
                float d = in[i] - shifts[i];
                sum[i] += d;
                square[i] += d * d;
            }
        });
        double[] sum = fold(sums);
        double[] square = fold(squares);
        float[] scale = new float[channels];
        float[] bias = new float[channels];
        for (int c = 0; c < channels; c++) {
            statistics(c, shift[c], sum[c], square[c], epsilon, mean, variance, invStd);
            scale[c] = gamma[c] * invStd[c];
            bias[c] = beta[c] - mean[c] * scale[c];
        }
        float[] scales = tiled(scale, tile);
        float[] biases = tiled(bias, tile);
        sweepTiles(parts, tile, (part, offset, rows) -> {
            float[] in = rows.first;
            float[] out = rows.second;
            x.get(offset, in, 0, tile);
            for (int i = 0; i < tile; i++) {
                out[i] = in[i] * scales[i] + biases[i];
            }
            if (rectify) {
                for (int i = 0; i < tile; i++) {
                    out[i] = Math.max(out[i], 0f);
                }
            }
            y.put(offset, out, 0, tile);
        });
    }

    /**
     * The first sweep writes dy, zeroed where the ReLU was off, into dx; the second reads it back,
     * so the mask is computed once.
     */
    private void backwardChannelsLast(FloatBuffer x, FloatBuffer dy, FloatBuffer dx, float[] gamma, float[] beta,
                                      float[] mean, float[] invStd, float[] dGamma, float[] dBeta) {
        int tile = tile();
        int parts = parts();
        float[] scale = new float[channels];
        float[] bias = new float[channels];
        for (int c = 0; c < channels; c++) {
            scale[c] = gamma[c] * invStd[c];
            bias[c] = beta[c] - mean[c] * scale[c];
        }
        float[] scales = tiled(scale, tile);
        float[] biases = tiled(bias, tile);
        float[] means = tiled(mean, tile);
        float[][] sumsDy = new float[parts][tile];
        float[][] sumsDyXCentred = new float[parts][tile];
        sweepTiles(parts, tile, (part, offset, rows) -> {
            float[] in = rows.first;
            float[] gradient = rows.second;
            float[] sumDy = sumsDy[part];
            float[] sumDyXCentred = sumsDyXCentred[part];
            x.get(offset, in, 0, tile);
            dy.get(offset, gradient, 0, tile);
            if (rectify) {
                for (int i = 0; i < tile; i++) {
                    gradient[i] *= onWherePositive(in[i] * scales[i] + biases[i]);
                }
                dx.put(offset, gradient, 0, tile);
            }
            for (int i = 0; i < tile; i++) {
                sumDy[i] += gradient[i];
                sumDyXCentred[i] += gradient[i] * (in[i] - means[i]);
            }
        });
        double[] sumDy = fold(sumsDy);
        double[] sumDyXCentred = fold(sumsDyXCentred);
        double count = (double) examples * cells;
        float[] meanDy = new float[channels];
        float[] xCentredFactor = new float[channels];
        for (int c = 0; c < channels; c++) {
            dBeta[c] = (float) sumDy[c];
            dGamma[c] = (float) (sumDyXCentred[c] * invStd[c]);
            meanDy[c] = (float) (sumDy[c] / count);
            xCentredFactor[c] = (float) (sumDyXCentred[c] / count) * invStd[c] * invStd[c];
        }
        float[] meanDys = tiled(meanDy, tile);
        float[] factors = tiled(xCentredFactor, tile);
        FloatBuffer rectifiedDy = rectify ? dx : dy;
        sweepTiles(parts, tile, (part, offset, rows) -> {
            float[] in = rows.first;
            float[] gradient = rows.second;
            x.get(offset, in, 0, tile);
            rectifiedDy.get(offset, gradient, 0, tile);
            for (int i = 0; i < tile; i++) {
                gradient[i] = scales[i] * (gradient[i] - meanDys[i] - (in[i] - means[i]) * factors[i]);
            }
            dx.put(offset, gradient, 0, tile);
        });
    }

    /**
     * 1 where {@code z > 0}, else 0, from minimum and maximum alone, which the JIT turns into
     * vector instructions where a comparison would branch. Exact except for a positive subnormal
     * z (below 2^-126), which BN outputs practically never are.
     */
    private static float onWherePositive(float z) {
        return Math.min(Math.max(z * 0x1p126f, 0f), 1f);
    }

    /**
     * The gradients of {@link #forward}: {@code dx = gamma * invStd * (dy - mean(dy) - xHat *
     * mean(dy * xHat))}, {@code dGamma = sum(dy * xHat)}, {@code dBeta = sum(dy)}; when rectifying,
     * dy is first zeroed where the forward pass's output was, recomputed from x bit for bit.
     */
    void backward(FloatBuffer x, FloatBuffer dy, FloatBuffer dx, float[] gamma, float[] beta, float[] mean,
                  float[] invStd, float[] dGamma, float[] dBeta) {
        if (channelsLast) {
            backwardChannelsLast(x, dy, dx, gamma, beta, mean, invStd, dGamma, dBeta);
            return;
        }
        IntStream.range(0, channels).parallel().forEach(c -> {
            Rows rows = ROWS.get().fit(cells);
            float[] in = rows.first;
            float[] gradient = rows.second;
            float m = mean[c];
            float scale = gamma[c] * invStd[c];
            float bias = beta[c] - m * scale;
            double sumDy = 0;
            double sumDyXCentred = 0;
            for (int n = 0; n < examples; n++) {
                x.get(offset(n, c), in, 0, cells);
                dy.get(offset(n, c), gradient, 0, cells);
                rectifyGradient(in, gradient, scale, bias);
                sumDy += sum(gradient);
                sumDyXCentred += sumOfProducts(gradient, in, m);
            }
            double count = (double) examples * cells;
            dBeta[c] = (float) sumDy;
            dGamma[c] = (float) (sumDyXCentred * invStd[c]);
            float meanDy = (float) (sumDy / count);
            float xCentredFactor = (float) (sumDyXCentred / count) * invStd[c] * invStd[c];
            for (int n = 0; n < examples; n++) {
                x.get(offset(n, c), in, 0, cells);
                dy.get(offset(n, c), gradient, 0, cells);
                rectifyGradient(in, gradient, scale, bias);
                for (int i = 0; i < cells; i++) {
                    gradient[i] = scale * (gradient[i] - meanDy - (in[i] - m) * xCentredFactor);
                }
                dx.put(offset(n, c), gradient, 0, cells);
            }
        });
    }

    private void rectifyGradient(float[] in, float[] gradient, float scale, float bias) {
        if (rectify) {
            for (int i = 0; i < cells; i++) {
                gradient[i] *= onWherePositive(in[i] * scale + bias);
            }
        }
    }

    private int offset(int example, int channel) {
        return (example * channels + channel) * cells;
    }

    private float sum(float[] values) {
        return sumOfShifted(values, 0);
    }

    private float sumOfShifted(float[] values, float shift) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < cells; i += 4) {
            s0 += values[i] - shift;
            s1 += values[i + 1] - shift;
            s2 += values[i + 2] - shift;
            s3 += values[i + 3] - shift;
        }
        for (; i < cells; i++) {
            s0 += values[i] - shift;
        }
        return (s0 + s1) + (s2 + s3);
    }

    private float sumOfShiftedSquares(float[] values, float shift) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < cells; i += 4) {
            float d0 = values[i] - shift, d1 = values[i + 1] - shift;
            float d2 = values[i + 2] - shift, d3 = values[i + 3] - shift;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; i < cells; i++) {
            float d = values[i] - shift;
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** The sum of {@code a[i] * (b[i] - centre)}. */
    private float sumOfProducts(float[] a, float[] b, float centre) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < cells; i += 4) {
            s0 += a[i] * (b[i] - centre);
            s1 += a[i + 1] * (b[i + 1] - centre);
            s2 += a[i + 2] * (b[i + 2] - centre);
            s3 += a[i + 3] * (b[i + 3] - centre);
        }
        for (; i < cells; i++) {
            s0 += a[i] * (b[i] - centre);
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static final class Rows {
        float[] first = new float[0];
        float[] second = new float[0];

        Rows fit(int cells) {
            if (first.length < cells) {
                first = new float[cells];
                second = new float[cells];
            }
            return this;
        }
    }
}
