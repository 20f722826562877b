package org.dl4jlabs.common.transfer;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The network's first step: photos as rows of RGB values in 0..1 (channel, row, column order, as the
 * suite's loaders give them) prepared as VGG16's weights were trained ("caffe" mode in Keras):
 * channels reordered to BGR, values back to 0..255, ImageNet's mean of each channel subtracted, no
 * other scaling; and laid out channels-last, [batch, height, width, channels], for the convolutions.
 * Being part of the network, it travels in model.zip, and eval and predict feed plain photos.
 */
public class VggInput implements InputPreProcessor {

    /** ImageNet's channel means, in BGR order. */
    static final double[] BGR_MEANS = {103.939, 116.779, 123.68};

    @JsonProperty
    private final long height;
    @JsonProperty
    private final long width;

    @JsonCreator
    public VggInput(@JsonProperty("height") long height, @JsonProperty("width") long width) {
        this.height = height;
        this.width = width;
    }

    @Override
    public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        INDArray rgb = input.reshape('c', input.size(0), 3, height, width);
        INDArray bgr = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(),
                new long[]{input.size(0), height, width, 3}, 'c');
        for (int c = 0; c < 3; c++) {
            bgr.slice(c, 3).assign(rgb.slice(2 - c, 1)).muli(255).subi(BGR_MEANS[c]);
        }
        return bgr;
    }

    @Override
    public INDArray backprop(INDArray output, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        if (output == null) {
            return null;
        }
        INDArray gradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, output.dataType(),
                new long[]{output.size(0), 3, height, width}, 'c');
        for (int c = 0; c < 3; c++) {
            gradient.slice(2 - c, 1).assign(output.slice(c, 3)).muli(255);
        }
        return gradient.reshape('c', output.size(0), 3 * height * width);
    }

    @Override
    public VggInput clone() {
        return new VggInput(height, width);
    }

    @Override
    public InputType getOutputType(InputType inputType) {
        return InputType.convolutional(height, width, 3, CNN2DFormat.NHWC);
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
                                                          int minibatchSize) {
        return new Pair<>(maskArray, currentMaskState);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VggInput other && height == other.height && width == other.width;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(height) * 31 + Long.hashCode(width);
    }

    /** For tests and tools: {@code rgb} rows prepared, channels-last. */
    static INDArray prepare(INDArray rgb, long height, long width) {
        return new VggInput(height, width).preProcess(rgb, (int) rgb.size(0), LayerWorkspaceMgr.noWorkspaces());
    }
}
