package org.dl4jlabs.common.layers.fast;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.dl4jlabs.common.layers.LayerSetup;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.util.Collection;

/**
 * DL4J's {@link OutputLayer}, same configuration, parameters and losses, with the matrix products
 * of {@link FastDense} ({@link DenseProducts}).
 *
 * <pre>{@code
 * .layer(new FastOutput.Builder(LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
 * }</pre>
 *
 * <p>It matters most for wide outputs: the dense autoencoder's 256 x 784 reconstruction layer.
 * With {@link FastLayers} off it computes exactly as DL4J's output layer.
 */
public class FastOutput extends OutputLayer {

    /** For JSON deserialization and {@link FastLayers#accelerate}. */
    FastOutput() {
    }

    private FastOutput(Builder builder) {
        super(builder);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("FastOutput", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerSetup.connect(new FastOutputLayer(conf, networkDataType), conf, trainingListeners, layerIndex,
                layerParamsView, initializeParams);
    }

    /** {@link OutputLayer.Builder}, building a {@link FastOutput}. */
    public static class Builder extends OutputLayer.Builder {

        public Builder(LossFunction lossFunction) {
            super(lossFunction);
        }

        public Builder(ILossFunction lossFunction) {
            super(lossFunction);
        }

        @Override
        @SuppressWarnings("unchecked")
        public FastOutput build() {
            return new FastOutput(this);
        }
    }
}
