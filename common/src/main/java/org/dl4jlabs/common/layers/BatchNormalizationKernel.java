package org.dl4jlabs.common.layers;

import java.nio.FloatBuffer;
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
                        out[i] = keptWherePositive(out[i], out[i]);
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

    private void forwardChannelsLast(FloatBuffer x, FloatBuffer y, float[] gamma, float[] beta, double epsilon,
                                     float[] mean, float[] variance, float[] invStd) {
        int perExample = cells * channels;
        float[] shift = new float[channels];
        x.get(0, shift, 0, channels);
        float[][] sums = new float[examples][];
        float[][] squares = new float[examples][];
        IntStream.range(0, examples).parallel().forEach(n -> {
            float[] in = ROWS.get().fit(perExample).first;
            x.get(n * perExample, in, 0, perExample);
            float[] sum = new float[channels];
            float[] square = new float[channels];
            for (int p = 0, i = 0; p < cells; p++) {
                for (int c = 0; c < channels; c++, i++) {
                    float d = in[i] - shift[c];
                    sum[c] += d;
                    square[c] += d * d;
                }
            }
            sums[n] = sum;
            squares[n] = square;
        });
        float[] scale = new float[channels];
        float[] bias = new float[channels];
        for (int c = 0; c < channels; c++) {
            statistics(c, shift[c], total(sums, c), total(squares, c), epsilon, mean, variance, invStd);
            scale[c] = gamma[c] * invStd[c];
            bias[c] = beta[c] - mean[c] * scale[c];
        }
        IntStream.range(0, examples).parallel().forEach(n -> {
            Rows rows = ROWS.get().fit(perExample);
            float[] in = rows.first;
            float[] out = rows.second;
            x.get(n * perExample, in, 0, perExample);
            for (int p = 0, i = 0; p < cells; p++) {
                for (int c = 0; c < channels; c++, i++) {
                    out[i] = in[i] * scale[c] + bias[c];
                }
            }
            if (rectify) {
                for (int i = 0; i < perExample; i++) {
                    out[i] = keptWherePositive(out[i], out[i]);
                }
            }
            y.put(n * perExample, out, 0, perExample);
        });
    }

    private void backwardChannelsLast(FloatBuffer x, FloatBuffer dy, FloatBuffer dx, float[] gamma, float[] beta,
                                      float[] mean, float[] invStd, float[] dGamma, float[] dBeta) {
        int perExample = cells * channels;
        float[] scale = new float[channels];
        float[] bias = new float[channels];
        for (int c = 0; c < channels; c++) {
            scale[c] = gamma[c] * invStd[c];
            bias[c] = beta[c] - mean[c] * scale[c];
        }
        float[][] sumsDy = new float[examples][];
        float[][] sumsDyXCentred = new float[examples][];
        IntStream.range(0, examples).parallel().forEach(n -> {
            Rows rows = ROWS.get().fit(perExample);
            float[] in = rows.first;
            float[] gradient = rows.second;
            x.get(n * perExample, in, 0, perExample);
            dy.get(n * perExample, gradient, 0, perExample);
            rectifyGradientChannelsLast(in, gradient, scale, bias);
            float[] sumDy = new float[channels];
            float[] sumDyXCentred = new float[channels];
            for (int p = 0, i = 0; p < cells; p++) {
                for (int c = 0; c < channels; c++, i++) {
                    sumDy[c] += gradient[i];
                    sumDyXCentred[c] += gradient[i] * (in[i] - mean[c]);
                }
            }
            sumsDy[n] = sumDy;
            sumsDyXCentred[n] = sumDyXCentred;
        });
        double count = (double) examples * cells;
        float[] meanDy = new float[channels];
        float[] xCentredFactor = new float[channels];
        for (int c = 0; c < channels; c++) {
            double sumDy = total(sumsDy, c);
            double sumDyXCentred = total(sumsDyXCentred, c);
            dBeta[c] = (float) sumDy;
            dGamma[c] = (float) (sumDyXCentred * invStd[c]);
            meanDy[c] = (float) (sumDy / count);
            xCentredFactor[c] = (float) (sumDyXCentred / count) * invStd[c] * invStd[c];
        }
        IntStream.range(0, examples).parallel().forEach(n -> {
            Rows rows = ROWS.get().fit(perExample);
            float[] in = rows.first;
            float[] gradient = rows.second;
            x.get(n * perExample, in, 0, perExample);
            dy.get(n * perExample, gradient, 0, perExample);
            rectifyGradientChannelsLast(in, gradient, scale, bias);
            for (int p = 0, i = 0; p < cells; p++) {
                for (int c = 0; c < channels; c++, i++) {
                    gradient[i] = scale[c] * (gradient[i] - meanDy[c] - (in[i] - mean[c]) * xCentredFactor[c]);
                }
            }
            dx.put(n * perExample, gradient, 0, perExample);
        });
    }

    private void rectifyGradientChannelsLast(float[] in, float[] gradient, float[] scale, float[] bias) {
        if (rectify) {
            for (int p = 0, i = 0; p < cells; p++) {
                for (int c = 0; c < channels; c++, i++) {
                    gradient[i] = keptWherePositive(gradient[i], in[i] * scale[c] + bias[c]);
                }
            }
        }
    }

    private static double total(float[][] perExample, int c) {
        double sum = 0;
        for (float[] values : perExample) {
            sum += values[c];
        }
        return sum;
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
                gradient[i] = keptWherePositive(gradient[i], in[i] * scale + bias);
            }
        }
    }

    /**
     * {@code value} where {@code sign > 0}, else +0, without a branch: half of a ReLU's inputs are
     * negative in no predictable order, and a mispredicted branch per value made the backward pass
     * four times slower. The mask is all ones exactly when the bits of {@code sign} are a positive
     * int, that is a float above +0 (or a NaN with the sign bit clear).
     */
    private static float keptWherePositive(float value, float sign) {
        int bits = Float.floatToRawIntBits(sign);
        int mask = ((-bits) & ~bits) >> 31;
        return Float.intBitsToFloat(Float.floatToRawIntBits(value) & mask);
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
