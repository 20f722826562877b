package org.dl4jlabs.common.layers.fast;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.dl4jlabs.common.layers.LayerSetup;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Collection;
import java.util.Objects;

/**
 * A fully connected layer with DL4J's {@code DenseLayer} configuration and parameters, computed
 * faster on a CPU.
 *
 * <pre>{@code
 * .layer(new FastDense.Builder().nOut(256).activation(Activation.RELU).build())
 * }</pre>
 *
 * <p>DL4J's dense layer multiplies matrices into column-major ('f' order) results and copies them
 * back to row-major, a path on which libnd4j's matrix product is several times slower than the
 * same product written straight into a row-major result (figures in docs/PERFORMANCE.md). This layer writes every product of both passes in that fast
 * layout (the weight gradient as the transpose it is stored as); see {@link FastDenseLayer}.
 *
 * <p>A network's first layer can skip the gradient for its input ({@code inputGradient(false)}):
 * nothing consumes the gradient of the data, and it is that layer's largest backward product (784 x
 * 256 for MNIST), which PyTorch likewise skips for inputs that need no gradient. Such a layer
 * returns no input gradient, as DL4J's {@code EmbeddingLayer} does, so it must not have layers
 * before it, and {@code MultiLayerNetwork.backpropGradient} cannot report one for the network.
 *
 * <p>The parameters are DL4J's ({@code W} [nIn, nOut] and {@code b}, initialised by
 * {@link DefaultParamInitializer}), so weight init, updaters, regularization, dropout, weight
 * noise and constraints work as for a {@code DenseLayer}. Layer normalization is not offered.
 */
public class FastDense extends FeedForwardLayer {

    @JsonProperty
    private boolean inputGradient = true;

    /** For JSON deserialization and {@link FastLayers#accelerate}. */
    FastDense() {
    }

    private FastDense(Builder builder) {
        super(builder);
        this.inputGradient = builder.inputGradient;
        initializeConstraints(builder);
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
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        return LayerSetup.connect(new FastDenseLayer(conf, networkDataType), conf, trainingListeners, layerIndex,
                layerParamsView, initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return DefaultParamInitializer.getInstance();
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long parameters = initializer().numParams(this);
        // Training keeps the recomputed pre-activations, and the dropped-out input when dropout is on.
        long trainingPerExample = outputType.arrayElementsPerExample()
                + (getIDropout() == null ? 0 : inputType.arrayElementsPerExample());
        return new LayerMemoryReport.Builder(layerName, FastDense.class, inputType, outputType)
                .standardMemory(parameters, getIUpdater().stateSize(parameters))
                .workingMemory(0, 0, 0, trainingPerExample)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FastDense other && super.equals(o) && inputGradient == other.inputGradient;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), inputGradient);
    }

    /** The builder of a {@code DenseLayer}: nIn, nOut, activation, weight init, dropout, ... */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {

        private boolean inputGradient = true;

        /** False for a network's first layer: skip the gradient for the input data. */
        public Builder inputGradient(boolean inputGradient) {
            this.inputGradient = inputGradient;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public FastDense build() {
            return new FastDense(this);
        }
    }
}
