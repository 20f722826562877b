package org.dl4jlabs.common.layers.fast;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ConvolutionUtils;
import org.dl4jlabs.common.layers.ChannelsLastImages;
import org.dl4jlabs.common.layers.LayerSetup;
import org.dl4jlabs.common.layers.onednn.OneDnnConvolution;
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
 * <p>DL4J's {@link ConvolutionLayer} goes through libnd4j's convolution ops, which build their oneDNN
 * primitives again on every call, let oneDNN pick Winograd for 3x3 kernels (reordering every array
 * into a blocked layout and back), and always compute the input gradient; the layer also repeats
 * the forward convolution to get the pre-activations it backpropagates through. This layer calls
 * oneDNN itself ({@link OneDnnConvolution}): primitives built once per geometry and kept, the
 * direct algorithm on NHWC arrays as they lie (NCHW ones reordered), and a ReLU or leaky ReLU
 * computed inside the forward convolution (figures in docs/PERFORMANCE.md). oneDNN is fastest on
 * NHWC arrays, so a network that is NHWC end to end (LeNet, the CIFAR networks) gains most.
 *
 * <p>A network's first layer can skip the gradient for its input ({@code inputGradient(false)}), as
 * PyTorch does for inputs that need none: it computes its parameter gradients only. Such a layer
 * returns no input gradient, so it must come first, with no input preprocessor or one that passes a
 * missing gradient on, such as {@link ChannelsLastImages}.
 *
 * <p>Everything else is DL4J's: the builder (kernel, stride, padding, dilation, convolution mode,
 * data format, bias, activation, weight init, dropout, regularization), the parameters and their
 * names, serialization. A saved network that uses it loads wherever this class is on the
 * classpath. Anything the fast path does not cover (double precision, non-element-wise activations
 * such as softmax, a platform without JavaCPP's oneDNN build, the CUDA backend) falls back to
 * DL4J's own implementation.
 */
public class FastConvolution2D extends ConvolutionLayer {

    @JsonProperty
    private boolean inputGradient = true;

    /** For JSON deserialization and {@link FastLayers#accelerate}. */
    FastConvolution2D() {
    }

    private FastConvolution2D(Builder builder) {
        super(builder);
        this.inputGradient = builder.inputGradient;
    }

    /** For {@link FastLayers#accelerate}: the network's first layer needs no gradient for its input. */
    void skipInputGradient() {
        inputGradient = false;
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
