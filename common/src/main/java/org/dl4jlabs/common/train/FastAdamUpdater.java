package org.dl4jlabs.common.train;

import org.dl4jlabs.common.layers.fast.FastPath;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.AdamUpdater;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * {@link FastAdam}'s update: libnd4j's {@code adam_updater} formulas, in float, in Java.
 * <pre>
 *   m = beta1 m + (1 - beta1) g
 *   v = beta2 v + (1 - beta2) g^2
 *   update = alpha m / (sqrt(v) + epsilon),  alpha = lr sqrt(1 - beta2^(t+1)) / (1 - beta1^(t+1))
 * </pre>
 * The arrays are cut into chunks that fit in the core's cache, processed in parallel on the common
 * fork-join pool; each chunk is copied into Java arrays in bulk, updated in one loop that the JIT
 * vectorizes, and copied back. Anything but float vectors with unit stride (DL4J passes each
 * block of same-updater parameters as one such vector), or the fast layers' off switch, runs DL4J's
 * op instead.
 *
 * <p>DL4J's network updater divides the summed gradient by the mini-batch size in a pass of its own
 * before the update; {@link OwnGradientUpdaters} can leave that division to this loop instead
 * ({@link #averageNextGradientOver}), one pass over the gradient fewer, with the same float division.
 */
public class FastAdamUpdater extends AdamUpdater {

    private static final int CHUNK = 4096;
    private static final ThreadLocal<float[][]> CHUNKS = ThreadLocal.withInitial(() -> new float[3][CHUNK]);

    /** What the next gradient is divided by before it is used: the examples it sums over, or 1. */
    private int gradientExamples = 1;

    public FastAdamUpdater(FastAdam config) {
        super(config);
    }

    /** The next {@link #applyUpdater} receives a gradient summed over {@code examples} and averages it first. */
    void averageNextGradientOver(int examples) {
        gradientExamples = examples;
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        INDArray m = getM();
        INDArray v = getV();
        int examples = gradientExamples;
        gradientExamples = 1;
        if (!FastPath.take(this, unitStrideFloatVector(gradient) && unitStrideFloatVector(m)
                && unitStrideFloatVector(v) && m.length() == gradient.length() && v.length() == gradient.length())) {
            if (examples != 1) {
                gradient.divi(examples);
            }
            super.applyUpdater(gradient, iteration, epoch);
            return;
        }
        float divisor = examples;
        float beta1 = (float) getConfig().getBeta1();
        float beta2 = (float) getConfig().getBeta2();
        float epsilon = (float) getConfig().getEpsilon();
        float stepSize = stepSize(iteration, epoch);

        Region g = new Region(gradient);
        Region ms = new Region(m);
        Region vs = new Region(v);
        int length = (int) gradient.length();
        IntStream.range(0, (length + CHUNK - 1) / CHUNK).parallel().forEach(chunk -> {
            float[][] arrays = CHUNKS.get();
            float[] gs = arrays[0];
            float[] mean = arrays[1];
            float[] square = arrays[2];
            int from = chunk * CHUNK;
            int count = Math.min(CHUNK, length - from);
            g.load(from, gs, count);
            ms.load(from, mean, count);
            vs.load(from, square, count);
            for (int i = 0; i < count; i++) {
                float x = gs[i] / divisor;
                mean[i] = beta1 * mean[i] + x * (1 - beta1);
                square[i] = beta2 * square[i] + x * x * (1 - beta2);
                gs[i] = mean[i] * stepSize / ((float) Math.sqrt(square[i]) + epsilon);
            }
            g.store(from, gs, count);
            ms.store(from, mean, count);
            vs.store(from, square, count);
        });
    }

    /** alpha: the learning rate with Adam's bias corrections, or epsilon where that is not finite, as in libnd4j. */
    private float stepSize(int iteration, int epoch) {
        float beta1T = (float) Math.pow((float) getConfig().getBeta1(), iteration + 1);
        float beta2T = (float) Math.pow((float) getConfig().getBeta2(), iteration + 1);
        float alpha = (float) (getConfig().getLearningRate(iteration, epoch) * Math.sqrt(1.0 - beta2T) / (1.0 - beta1T));
        return Float.isNaN(alpha) || Float.isInfinite(alpha) || alpha == 0 ? (float) getConfig().getEpsilon() : alpha;
    }

    private static boolean unitStrideFloatVector(INDArray array) {
        return array.dataType() == DataType.FLOAT && (array.isVector() || array.isScalar())
                && array.elementWiseStride() == 1 && array.length() <= Integer.MAX_VALUE
                && array.offset() + array.length() <= array.data().asNioFloat().capacity();
    }

    /** A vector's elements in its native buffer. */
    private record Region(FloatBuffer buffer, int start) {
        Region(INDArray vector) {
            this(vector.data().asNioFloat(), (int) vector.offset());
        }

        void load(int from, float[] into, int count) {
            buffer.get(start + from, into, 0, count);
        }

        void store(int from, float[] values, int count) {
            buffer.put(start + from, values, 0, count);
        }
    }
}
