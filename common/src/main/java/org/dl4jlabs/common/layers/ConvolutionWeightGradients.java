package org.dl4jlabs.common.layers;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * A convolution's parameter gradients alone, for a layer that needs no input gradient: the input's
 * patches laid out as rows (im2col), then one matrix product,
 * {@code dL/dW [out, in*kH*kW] = delta^T [out, positions] x patches [positions, in*kH*kW]}, and
 * {@code dL/db}, the column sums of delta. Patches and bias sums are gathered on the JVM in
 * parallel over examples, each example copied in and its rows copied out in bulk; libnd4j's column
 * sum over the tall delta matrix took longer than the product.
 */
final class ConvolutionWeightGradients {

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private ConvolutionWeightGradients() {
    }

    /**
     * @param inputNhwc      float [N, H, W, C], c-order
     * @param deltaNhwc      dL/dZ, float [N, oH, oW, out], c-order
     * @param padding        top and left zero padding
     * @param weightGradient DL4J's [out, in, kH, kW] c-order gradient view, written in place
     * @param biasGradient   [out] gradient view written in place, or null without a bias
     */
    static void compute(INDArray inputNhwc, INDArray deltaNhwc, int[] kernel, int[] stride, int[] padding,
                        INDArray weightGradient, INDArray biasGradient, LayerWorkspaceMgr workspaceMgr) {
        int examples = (int) inputNhwc.size(0);
        int height = (int) inputNhwc.size(1);
        int width = (int) inputNhwc.size(2);
        int channels = (int) inputNhwc.size(3);
        int outHeight = (int) deltaNhwc.size(1);
        int outWidth = (int) deltaNhwc.size(2);
        int outChannels = (int) deltaNhwc.size(3);
        int patch = channels * kernel[0] * kernel[1];
        int positions = outHeight * outWidth;

        INDArray patches = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT,
                new long[]{(long) examples * positions, patch}, 'c');
        FloatBuffer in = inputNhwc.data().asNioFloat().slice();
        FloatBuffer gradients = deltaNhwc.data().asNioFloat().slice();
        FloatBuffer out = patches.data().asNioFloat().slice();
        int imageSize = height * width * channels;
        // Without padding every patch lies inside the image, unless a stride leaves cells over.
        boolean padded = padding[0] > 0 || padding[1] > 0
                || (outHeight - 1) * stride[0] + kernel[0] > height || (outWidth - 1) * stride[1] + kernel[1] > width;
        float[][] biasSums = new float[examples][];
        IntStream.range(0, examples).parallel().forEach(n -> {
            Scratch scratch = SCRATCH.get().fit(imageSize, positions * patch, positions * outChannels);
            float[] image = scratch.image;
            float[] rows = scratch.rows;
            in.get(n * imageSize, image, 0, imageSize);
            if (padded) {
                Arrays.fill(rows, 0, positions * patch, 0f); // what the loops below skip reads as 0
            }
            for (int oy = 0, row = 0; oy < outHeight; oy++) {
                for (int ox = 0; ox < outWidth; ox++, row += patch) {
                    // Patch columns in DL4J's weight order: channel, then kernel row, then kernel column.
                    int left = ox * stride[1] - padding[1];
                    int firstKx = Math.max(0, -left);
                    int endKx = Math.min(kernel[1], width - left);
                    for (int ky = 0; ky < kernel[0]; ky++) {
                        int y = oy * stride[0] + ky - padding[0];
                        if (y < 0 || y >= height) {
                            continue;
                        }
                        for (int c = 0; c < channels; c++) {
                            int column = row + (c * kernel[0] + ky) * kernel[1];
                            int pixel = (y * width + left) * channels + c;
                            for (int kx = firstKx; kx < endKx; kx++) {
                                rows[column + kx] = image[pixel + kx * channels];
                            }
                        }
                    }
                }
            }
            out.put(n * positions * patch, rows, 0, positions * patch);
            if (biasGradient != null) {
                float[] delta = scratch.delta;
                gradients.get(n * positions * outChannels, delta, 0, positions * outChannels);
                float[] sums = new float[outChannels];
                for (int p = 0; p < positions; p++) {
                    for (int o = 0; o < outChannels; o++) {
                        sums[o] += delta[p * outChannels + o];
                    }
                }
                biasSums[n] = sums;
            }
        });

        INDArray delta = deltaNhwc.reshape('c', (long) examples * positions, outChannels);
        Nd4j.gemm(delta, patches, weightGradient.reshape('c', outChannels, patch), true, false, 1.0, 0.0);
        if (biasGradient != null) {
            float[] total = new float[outChannels];
            for (float[] sums : biasSums) {
                for (int o = 0; o < outChannels; o++) {
                    total[o] += sums[o];
                }
            }
            biasGradient.assign(Nd4j.createFromArray(total).reshape(biasGradient.shape()));
        }
    }

    private static final class Scratch {
        float[] image = new float[0];
        float[] rows = new float[0];
        float[] delta = new float[0];

        Scratch fit(int imageSize, int rowsSize, int deltaSize) {
            if (image.length < imageSize) {
                image = new float[imageSize];
            }
            if (rows.length < rowsSize) {
                rows = new float[rowsSize];
            }
            if (delta.length < deltaSize) {
                delta = new float[deltaSize];
            }
            return this;
        }
    }
}
