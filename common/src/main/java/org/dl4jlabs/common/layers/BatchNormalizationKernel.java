package org.dl4jlabs.common.layers;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * The training passes of {@link FastBatchNormalizationLayer} on float NCHW arrays of shape
 * [examples, channels, cells], in parallel over channels on the common fork-join pool.
 *
 * <p>Each pass sweeps the data twice: once to reduce per channel, once to write. Rows (one
 * channel of one example) are copied between native memory and Java arrays in bulk, since element
 * by element access is slower, and sums run in four independent partial sums: a single running
 * float sum waits on the latency of every add, which made the reduction the slowest sweep.
 */
final class BatchNormalizationKernel {

    private static final ThreadLocal<Rows> ROWS = ThreadLocal.withInitial(Rows::new);

    private final int examples;
    private final int channels;
    private final int cells;
    private final boolean rectify;

    /** @param rectify whether a ReLU follows the normalization, fused into both passes */
    BatchNormalizationKernel(int examples, int channels, int cells, boolean rectify) {
        this.examples = examples;
        this.channels = channels;
        this.cells = cells;
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
        IntStream.range(0, channels).parallel().forEach(c -> {
            Rows rows = ROWS.get().fit(cells);
            float[] in = rows.first;
            float[] out = rows.second;
            // Sums of values shifted by one of them keep E[x^2] - E[x]^2 accurate in floats even
            // when the mean is large against the spread.
            float shift = x.get(offset(0, c));
            double sum = 0;
            double sumOfSquares = 0;
            for (int n = 0; n < examples; n++) {
                x.get(offset(n, c), in, 0, cells);
                sum += sumOfShifted(in, shift);
                sumOfSquares += sumOfShiftedSquares(in, shift);
            }
            double count = (double) examples * cells;
            double shiftedMean = sum / count;
            double m = shift + shiftedMean;
            double v = Math.max(0, sumOfSquares / count - shiftedMean * shiftedMean);
            mean[c] = (float) m;
            variance[c] = (float) v;
            invStd[c] = (float) (1 / Math.sqrt(v + epsilon));
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
     * The gradients of {@link #forward}: {@code dx = gamma * invStd * (dy - mean(dy) - xHat *
     * mean(dy * xHat))}, {@code dGamma = sum(dy * xHat)}, {@code dBeta = sum(dy)}; when rectifying,
     * dy is first zeroed where the forward pass's output was, recomputed from x bit for bit.
     */
    void backward(FloatBuffer x, FloatBuffer dy, FloatBuffer dx, float[] gamma, float[] beta, float[] mean,
                  float[] invStd, float[] dGamma, float[] dBeta) {
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
