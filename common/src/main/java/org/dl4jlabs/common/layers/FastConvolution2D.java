package org.dl4jlabs.common.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Collection;
import java.util.Objects;

/**
 * DL4J's 2D convolution layer, same configuration and parameters, computed faster on a CPU.
 *
 * <pre>{@code
 * .layer(new FastConvolution2D.Builder(5, 5).nOut(20).activation(Activation.RELU).build())
 * }</pre>
 *
 * <p>DL4J's {@link ConvolutionLayer} hands oneDNN its arrays in NCHW layout, where oneDNN's
 * backward pass is slow: for LeNet's first layer (1 to 20 channels, 5x5, 28x28, batch 64) it took
 * 16 ms against 6-10 ms for the same call in NHWC layout on the suite's 2-core machine, and it
 * also repeats the forward convolution to get the pre-activations it backpropagates through. This
 * layer runs both passes as single oneDNN calls in NHWC layout, transposing NCHW inputs and
 * gradients on the way in and out; see {@link FastConvolution2DLayer}. It pays off in a network
 * that is NHWC end to end, where nothing is transposed: LeNet, and the standard CIFAR network,
 * whose forward convolutions went from 32 to 10 ms per training step. In an NCHW network the
 * transpositions cost about what they save (measured on the CIFAR network's 3x3 convolutions).
 *
 * <p>A network's first layer can skip the gradient for its input ({@code inputGradient(false)}), as
 * PyTorch does for inputs that need none. libnd4j's backward call always computes it, and for
 * LeNet's first layer (1 input channel) that took 3.9 ms of a 22 ms training step; the layer then
 * computes only its parameter gradients, as one matrix product over the input's patches (see
 * {@link ConvolutionWeightGradients}). Such a layer returns no input gradient, so it must come
 * first, with no input preprocessor or one that passes a missing gradient on, such as
 * {@link ChannelsLastImages}.
 *
 * <p>Everything else is DL4J's: the builder (kernel, stride, padding, dilation, convolution mode,
 * data format, bias, activation, weight init, dropout, regularization), the parameters and their
 * names, serialization. A saved network that uses it loads wherever this class is on the
 * classpath. Anything the fast path does not cover (double precision, dilation, non-element-wise
 * activations such as softmax) falls back to DL4J's own implementation.
 */
public class FastConvolution2D extends ConvolutionLayer {

    @JsonProperty
    private boolean inputGradient = true;

    /** For JSON deserialization. */
    @SuppressWarnings("unused")
    private FastConvolution2D() {
    }

    private FastConvolution2D(Builder builder) {
        super(builder);
        this.inputGradient = builder.inputGradient;
    }

    /** Whether backprop computes the gradient of the loss with respect to this layer's input. */
    public boolean hasInputGradient() {
        return inputGradient;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FastConvolution2D other && super.equals(o) && inputGradient == other.inputGradient;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), inputGradient);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        return LayerSetup.connect(new FastConvolution2DLayer(conf, networkDataType), conf, trainingListeners, layerIndex,
                layerParamsView, initializeParams);
    }

    /** {@link ConvolutionLayer.Builder}, building a {@link FastConvolution2D}. */
    public static class Builder extends ConvolutionLayer.Builder {

        private boolean inputGradient = true;

        public Builder(int... kernelSize) {
            super(kernelSize);
        }

        public Builder(int[] kernelSize, int[] stride) {
            super(kernelSize, stride);
        }

        public Builder(int[] kernelSize, int[] stride, int[] padding) {
            super(kernelSize, stride, padding);
        }

        /** False for a network's first layer: skip the gradient for the input images. */
        public Builder inputGradient(boolean inputGradient) {
            this.inputGradient = inputGradient;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public FastConvolution2D build() {
            ConvolutionUtils.validateConvolutionModePadding(convolutionMode, padding);
            ConvolutionUtils.validateCnnKernelStridePadding(kernelSize, stride, padding);
            return new FastConvolution2D(this);
        }
    }
}
