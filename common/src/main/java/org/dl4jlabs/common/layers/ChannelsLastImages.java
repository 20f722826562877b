package org.dl4jlabs.common.layers;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.dl4jlabs.common.backend.NativeFloats;
import org.dl4jlabs.common.layers.fast.FastConvolution2D;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Rows of pixels in channel, row, column order (the layout of CIFAR's records and of DataVec's
 * image readers) into NHWC images, [batch, height, width, channels], for a network that computes
 * in that layout: oneDNN's convolutions take it without reordering.
 *
 * <pre>{@code
 * .inputPreProcessor(0, new ChannelsLastImages(32, 32, 3))
 * }</pre>
 *
 * Backprop passes a missing input gradient through (a first layer may compute none; see
 * {@link FastConvolution2D}).
 */
public class ChannelsLastImages implements InputPreProcessor {

    @JsonProperty
    private final long height;
    @JsonProperty
    private final long width;
    @JsonProperty
    private final long channels;

    @JsonCreator
    public ChannelsLastImages(@JsonProperty("height") long height, @JsonProperty("width") long width,
                              @JsonProperty("channels") long channels) {
        this.height = height;
        this.width = width;
        this.channels = channels;
    }

    @Override
    public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        if (input.dataType() == DataType.FLOAT) {
            return channelsLast(input, workspaceMgr);
        }
        INDArray images = input.rank() == 4 ? input : input.reshape('c', input.size(0), channels, height, width);
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, images.permute(0, 2, 3, 1), 'c');
    }

    /**
     * The same copy as a loop over Java arrays, in the order it writes: libnd4j's copy of the permuted
     * view was 4 % of a small CNN's training loop, and this takes about half its time.
     */
    private INDArray channelsLast(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        float[] planes = NativeFloats.toArray(input);
        float[] pixels = new float[planes.length];
        int plane = Math.toIntExact(height * width);
        int channelCount = Math.toIntExact(channels);
        int imageValues = plane * channelCount;
        int to = 0;
        for (int image = 0; image < planes.length; image += imageValues) {
            for (int pixel = image; pixel < image + plane; pixel++) {
                for (int from = pixel; from < image + imageValues; from += plane) {
                    pixels[to++] = planes[from];
                }
            }
        }
        INDArray images = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
                new long[]{input.size(0), height, width, channels}, 'c');
        images.data().asNioFloat().put(0, pixels);
        return images;
    }

    @Override
    public INDArray backprop(INDArray output, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        if (output == null) {
            return null;
        }
        return workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, output.permute(0, 3, 1, 2), 'c')
                .reshape('c', output.size(0), channels * height * width);
    }

    @Override
    public ChannelsLastImages clone() {
        return new ChannelsLastImages(height, width, channels);
    }

    @Override
    public InputType getOutputType(InputType inputType) {
        return InputType.convolutional(height, width, channels, CNN2DFormat.NHWC);
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
                                                          int minibatchSize) {
        return new Pair<>(maskArray, currentMaskState);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelsLastImages other && height == other.height && width == other.width
                && channels == other.channels;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(height) * 31 * 31 + Long.hashCode(width) * 31 + Long.hashCode(channels);
    }
}
