package org.dl4jlabs.common.layers.fast;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ConvolutionUtils;
import org.dl4jlabs.common.layers.LayerSetup;
import org.dl4jlabs.common.layers.onednn.OneDnnMaxPooling;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * DL4J's max-pooling layer ({@link SubsamplingLayer} with {@code PoolingType.MAX}), same
 * configuration, computed faster on a CPU.
 *
 * <pre>{@code
 * .layer(new FastMaxPooling2D.Builder(2, 2).stride(2, 2).build())
 * }</pre>
 *
 * <p>DL4J's backward pass goes through libnd4j's {@code maxpool2d_bp}, which builds its oneDNN
 * primitives on every call and runs the forward pooling again to find each window's maximum.
 * This layer calls oneDNN itself ({@link OneDnnMaxPooling}): primitives built once per geometry,
 * and a backward pass that reads where the forward pass found the maxima.
 *
 * <p>Everything else is DL4J's: the builder (kernel, stride, padding, dilation, convolution mode,
 * data format), serialization, and a layer with no parameters. Like DL4J's, it applies no dropout
 * set on it; put a {@code DropoutLayer} after it. Anything the fast path does not cover (double
 * precision, a platform without JavaCPP's oneDNN build, the CUDA backend) runs DL4J's own
 * implementation.
 */
public class FastMaxPooling2D extends SubsamplingLayer {

    /** For JSON deserialization and {@link FastLayers#accelerate}. */
    FastMaxPooling2D() {
    }

    private FastMaxPooling2D(Builder builder) {
        super(builder);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        return LayerSetup.connect(new FastMaxPooling2DLayer(conf, networkDataType), conf, trainingListeners, layerIndex,
                layerParamsView, initializeParams);
    }

    /** {@link SubsamplingLayer.Builder} for max pooling, building a {@link FastMaxPooling2D}. */
    public static class Builder extends SubsamplingLayer.Builder {

        public Builder(int... kernelSize) {
            super(PoolingType.MAX, kernelSize);
        }

        @Override
        @SuppressWarnings("unchecked")
        public FastMaxPooling2D build() {
            ConvolutionUtils.validateConvolutionModePadding(convolutionMode, padding);
            ConvolutionUtils.validateCnnKernelStridePadding(kernelSize, stride, padding);
            return new FastMaxPooling2D(this);
        }
    }
}
