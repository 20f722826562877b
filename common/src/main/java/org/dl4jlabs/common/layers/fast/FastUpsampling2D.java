package org.dl4jlabs.common.layers.fast;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.dl4jlabs.common.layers.LayerSetup;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * DL4J's nearest-neighbour upsampling layer ({@link Upsampling2D}), same configuration, with its
 * forward pass computed faster on a CPU.
 *
 * <pre>{@code
 * .layer(new Upsampling2D.Builder(2).build())   // FastLayers.accelerate puts this layer in its place
 * }</pre>
 *
 * <p>DL4J's forward pass runs libnd4j's {@code upsampling2d} op; for channels-first float images
 * this layer runs oneDNN's resampling primitive instead, about five times faster, with the same
 * values ({@link FastUpsampling2DLayer}). The backward pass, and anything else, is DL4J's.
 */
public class FastUpsampling2D extends Upsampling2D {

    /** For JSON deserialization and {@link FastLayers#accelerate}. */
    FastUpsampling2D() {
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        return LayerSetup.connect(new FastUpsampling2DLayer(conf, networkDataType), conf, trainingListeners, layerIndex,
                layerParamsView, initializeParams);
    }
}
