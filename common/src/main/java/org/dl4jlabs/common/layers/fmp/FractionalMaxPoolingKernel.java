package org.dl4jlabs.common.layers.fmp;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The fast path of {@link FractionalMaxPooling2DLayer}: max-pooling over arbitrary rectangular
 * regions, and its backprop, on the JVM.
 *
 * <p>How it is fast:
 * <ul>
 *   <li>Work is split by example over the common fork-join pool. Each task copies its example
 *       from native memory into a Java array in one bulk copy and writes its result back the same
 *       way; reading native memory element by element through INDArray accessors is far slower.</li>
 *   <li>Arg-max tracking is branch-free. Every cell becomes one long: an int that orders like its
 *       value in the high half, and the complement of its offset in the example in the low half.
 *       The largest long is then the maximal cell, the first one in row-major order on ties, and
 *       its offset (the route that backprop follows) comes with it; {@code Math.max} over longs
 *       needs no unpredictable branch on which cell wins.</li>
 *   <li>The maximum over a region is separable: first over each row interval for every column,
 *       then over each column interval, so overlapping regions share the work on their common
 *       cells, and the inner loops run along whole rows rather than along short intervals.</li>
 * </ul>
 * Values compare in IEEE 754's totalOrder: -NaN &lt; -Infinity &lt; ... &lt; -0 &lt; +0 &lt; ... &lt;
 * +Infinity &lt; +NaN. So NaN with its sign bit clear (Java's {@code Float.NaN}) propagates, and
 * NaN with it set (what x86 arithmetic produces) never wins.
 */
final class FractionalMaxPoolingKernel {

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    private static final long LOW_HALF = 0xFFFF_FFFFL;

    private FractionalMaxPoolingKernel() {
    }

    /**
     * Pools {@code input} into {@code output} over {@code regions}, and records in {@code routes},
     * at the output's element offsets, the offset within its example of the input cell that each
     * output value came from.
     *
     * @param input  [N, C, H, W] or [N, H, W, C], c-order, float or double
     * @param output the pooled shape, same layout and type, c-order
     */
    static void forward(INDArray input, INDArray output, CNN2DFormat format, PoolingRegions regions, int[] routes) {
        Layout g = new Layout(input, output, format);
        Nd4j.getAffinityManager().ensureLocation(input, AffinityManager.Location.HOST);
        ExampleValues in = ExampleValues.of(input);
        ExampleValues out = ExampleValues.of(output);
        IntStream.range(0, g.examples).parallel().forEach(n -> {
            Scratch s = SCRATCH.get().fit(g);
            in.load(n, s);
            int routeBase = n * g.outputPerExample;
            for (int c = 0; c < g.channels; c++) {
                in.packPlane(g, c, s);
                routePlane(g, c, regions.rows(n), regions.columns(n), s, routes, routeBase);
            }
            out.storeGathered(n, s, routes, routeBase);
        });
        // No-ops on the CPU backend; on CUDA they keep device and host copies consistent.
        Nd4j.getAffinityManager().tagLocation(output, AffinityManager.Location.HOST);
    }

    /**
     * Adds each value of {@code epsilon}, in output order, to the input cell that {@link #forward}
     * routed it from; cells that no region took its maximum from get 0.
     *
     * @param epsilon       gradient at the output, c-order
     * @param inputGradient receives the gradient at the input: c-order, same type
     */
    static void backward(INDArray epsilon, INDArray inputGradient, int[] routes) {
        int examples = (int) epsilon.size(0);
        Nd4j.getAffinityManager().ensureLocation(epsilon, AffinityManager.Location.HOST);
        ExampleValues eps = ExampleValues.of(epsilon);
        ExampleValues grad = ExampleValues.of(inputGradient);
        IntStream.range(0, examples).parallel().forEach(n -> {
            Scratch s = SCRATCH.get();
            eps.load(n, s);
            grad.storeScattered(n, s, routes, n * eps.perExample, eps.perExample);
        });
        Nd4j.getAffinityManager().tagLocation(inputGradient, AffinityManager.Location.HOST);
    }

    /** An int whose signed order is IEEE 754's totalOrder of the floats with these bits. */
    private static int totalOrderKey(int floatBits) {
        // The bits already order non-negative values; flipping all but the sign reverses the negative ones.
        return floatBits ^ ((floatBits >> 31) & 0x7FFF_FFFF);
    }

    /** A long whose signed order is IEEE 754's totalOrder of the doubles with these bits. */
    private static long totalOrderKey(long doubleBits) {
        return doubleBits ^ ((doubleBits >> 63) & 0x7FFF_FFFF_FFFF_FFFFL);
    }

    /** A cell packed for {@link #routePlane}: its order key above the complement of its offset. */
    private static long packed(int key, int offset) {
        return ((long) key << 32) | (~offset & LOW_HALF);
    }

    /**
     * Routes every output cell of channel c from the channel's packed cells in {@code s.plane}:
     * max-pools them and keeps the offsets.
     */
    private static void routePlane(Layout g, int c, PoolingIntervals rows, PoolingIntervals columns, Scratch s,
            int[] routes, int routeBase) {
        int width = g.inputWidth;
        long[] plane = s.plane;

        // Rows first: the maximum over each row interval, for every input column.
        long[] rowPooled = s.rowPooled;
        int outH = rows.count();
        for (int i = 0; i < outH; i++) {
            int to = i * width;
            System.arraycopy(plane, rows.starts[i] * width, rowPooled, to, width);
            for (int h = rows.starts[i] + 1; h < rows.ends[i]; h++) {
                int from = h * width;
                for (int w = 0; w < width; w++) {
                    rowPooled[to + w] = Math.max(rowPooled[to + w], plane[from + w]);
                }
            }
        }

        // Then columns: the maximum of those over each column interval.
        long[] pooled = s.pooled;
        int outW = columns.count();
        for (int j = 0; j < outW; j++) {
            int start = columns.starts[j];
            for (int i = 0; i < outH; i++) {
                pooled[i * outW + j] = rowPooled[i * width + start];
            }
            for (int w = start + 1; w < columns.ends[j]; w++) {
                for (int i = 0; i < outH; i++) {
                    pooled[i * outW + j] = Math.max(pooled[i * outW + j], rowPooled[i * width + w]);
                }
            }
        }

        int outputs = outH * outW;
        for (int q = 0, offset = routeBase + c * g.outputPlaneStride; q < outputs; q++, offset += g.cellStride) {
            routes[offset] = ~(int) pooled[q];
        }
    }

    /**
     * Sizes of one pass, and where cells lie within an example: cell (h, w) of channel c is at
     * c * planeStride + (h * width + w) * cellStride, in the input and the output alike.
     */
    private static final class Layout {
        final int examples;
        final int channels;
        final int inputHeight;
        final int inputWidth;
        final int outputHeight;
        final int outputWidth;
        final int outputPerExample;
        final int inputPlaneStride;
        final int outputPlaneStride;
        final int cellStride;

        Layout(INDArray input, INDArray output, CNN2DFormat format) {
            boolean nchw = format == CNN2DFormat.NCHW;
            examples = (int) input.size(0);
            channels = (int) input.size(nchw ? 1 : 3);
            inputHeight = (int) input.size(nchw ? 2 : 1);
            inputWidth = (int) input.size(nchw ? 3 : 2);
            outputHeight = (int) output.size(nchw ? 2 : 1);
            outputWidth = (int) output.size(nchw ? 3 : 2);
            outputPerExample = channels * outputHeight * outputWidth;
            inputPlaneStride = nchw ? inputHeight * inputWidth : 1;
            outputPlaneStride = nchw ? outputHeight * outputWidth : 1;
            cellStride = nchw ? 1 : channels;
        }
    }

    /**
     * One worker thread's arrays, reused from pass to pass and grown when a pass needs more: an
     * example's values and results (float or double) and the ranks of doubles, grown by
     * {@link ExampleValues}, and one plane's packed cells before and after each pooling step.
     */
    private static final class Scratch {
        float[] floats = new float[0];
        float[] floatResults = new float[0];
        double[] doubles = new double[0];
        double[] doubleResults = new double[0];
        int[] ranks = new int[0];
        long[] plane = new long[0];
        long[] rowPooled = new long[0];
        long[] pooled = new long[0];

        Scratch fit(Layout g) {
            if (plane.length < g.inputHeight * g.inputWidth) {
                plane = new long[g.inputHeight * g.inputWidth];
            }
            if (rowPooled.length < g.outputHeight * g.inputWidth) {
                rowPooled = new long[g.outputHeight * g.inputWidth];
            }
            if (pooled.length < g.outputHeight * g.outputWidth) {
                pooled = new long[g.outputHeight * g.outputWidth];
            }
            return this;
        }
    }

    /**
     * An array's memory as equal consecutive chunks, one per example: all that differs between
     * float and double. Only absolute NIO operations are used, so worker threads can share one.
     */
    private abstract static class ExampleValues {
        final int perExample;

        ExampleValues(INDArray array) {
            if (array.length() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "Fractional max-pooling supports arrays of up to 2^31 elements, got " + array.length());
            }
            perExample = (int) (array.length() / array.size(0));
        }

        static ExampleValues of(INDArray array) {
            if (array.dataType() == DataType.FLOAT) {
                return new Floats(array);
            }
            if (array.dataType() == DataType.DOUBLE) {
                return new Doubles(array);
            }
            throw new IllegalArgumentException("Fractional max-pooling supports float and double arrays, got "
                    + array.dataType());
        }

        /** Copies an example into the scratch values. */
        abstract void load(int example, Scratch s);

        /**
         * Fills {@code s.plane} with channel c of the loaded example, each cell {@code packed}
         * with a key whose order is the totalOrder of the values.
         */
        abstract void packPlane(Layout g, int c, Scratch s);

        /** Stores into an example the loaded values that {@code routes[from...]} point at. */
        abstract void storeGathered(int example, Scratch s, int[] routes, int from);

        /**
         * Stores into an example the sums of the first {@code sources} loaded values along
         * {@code routes[from...]}, added in the order of the values.
         */
        abstract void storeScattered(int example, Scratch s, int[] routes, int from, int sources);
    }

    private static final class Floats extends ExampleValues {
        private final FloatBuffer memory;

        Floats(INDArray array) {
            super(array);
            memory = array.data().asNioFloat().slice();
        }

        @Override
        void load(int example, Scratch s) {
            if (s.floats.length < perExample) {
                s.floats = new float[perExample];
            }
            memory.get(example * perExample, s.floats, 0, perExample);
        }

        @Override
        void packPlane(Layout g, int c, Scratch s) {
            float[] values = s.floats;
            long[] plane = s.plane;
            int cells = g.inputHeight * g.inputWidth;
            int first = c * g.inputPlaneStride;
            if (g.cellStride == 1) {
                // NCHW, kept apart so that the JIT can vectorize the contiguous case.
                for (int p = 0; p < cells; p++) {
                    plane[p] = packed(totalOrderKey(Float.floatToRawIntBits(values[first + p])), first + p);
                }
            } else {
                for (int p = 0, offset = first; p < cells; p++, offset += g.cellStride) {
                    plane[p] = packed(totalOrderKey(Float.floatToRawIntBits(values[offset])), offset);
                }
            }
        }

        @Override
        void storeGathered(int example, Scratch s, int[] routes, int from) {
            if (s.floatResults.length < perExample) {
                s.floatResults = new float[perExample];
            }
            for (int k = 0; k < perExample; k++) {
                s.floatResults[k] = s.floats[routes[from + k]];
            }
            memory.put(example * perExample, s.floatResults, 0, perExample);
        }

        @Override
        void storeScattered(int example, Scratch s, int[] routes, int from, int sources) {
            if (s.floatResults.length < perExample) {
                s.floatResults = new float[perExample];
            }
            Arrays.fill(s.floatResults, 0, perExample, 0f);
            for (int k = 0; k < sources; k++) {
                s.floatResults[routes[from + k]] += s.floats[k];
            }
            memory.put(example * perExample, s.floatResults, 0, perExample);
        }
    }

    private static final class Doubles extends ExampleValues {
        private final DoubleBuffer memory;

        Doubles(INDArray array) {
            super(array);
            memory = array.data().asNioDouble().slice();
        }

        /** Copies an example in and ranks its values, since a double's order key does not fit in an int. */
        @Override
        void load(int example, Scratch s) {
            if (s.doubles.length < perExample) {
                s.doubles = new double[perExample];
                s.ranks = new int[perExample];
            }
            memory.get(example * perExample, s.doubles, 0, perExample);

            long[] distinct = new long[perExample];
            for (int k = 0; k < perExample; k++) {
                distinct[k] = totalOrderKey(Double.doubleToRawLongBits(s.doubles[k]));
            }
            Arrays.sort(distinct);
            int count = 0;
            for (long key : distinct) {
                if (count == 0 || key != distinct[count - 1]) {
                    distinct[count++] = key;
                }
            }
            for (int k = 0; k < perExample; k++) {
                long key = totalOrderKey(Double.doubleToRawLongBits(s.doubles[k]));
                s.ranks[k] = Arrays.binarySearch(distinct, 0, count, key);
            }
        }

        @Override
        void packPlane(Layout g, int c, Scratch s) {
            int cells = g.inputHeight * g.inputWidth;
            for (int p = 0, offset = c * g.inputPlaneStride; p < cells; p++, offset += g.cellStride) {
                s.plane[p] = packed(s.ranks[offset], offset);
            }
        }

        @Override
        void storeGathered(int example, Scratch s, int[] routes, int from) {
            if (s.doubleResults.length < perExample) {
                s.doubleResults = new double[perExample];
            }
            for (int k = 0; k < perExample; k++) {
                s.doubleResults[k] = s.doubles[routes[from + k]];
            }
            memory.put(example * perExample, s.doubleResults, 0, perExample);
        }

        @Override
        void storeScattered(int example, Scratch s, int[] routes, int from, int sources) {
            if (s.doubleResults.length < perExample) {
                s.doubleResults = new double[perExample];
            }
            Arrays.fill(s.doubleResults, 0, perExample, 0.0);
            for (int k = 0; k < sources; k++) {
                s.doubleResults[routes[from + k]] += s.doubles[k];
            }
            memory.put(example * perExample, s.doubleResults, 0, perExample);
        }
    }
}
