package org.dl4jlabs.common.layers.fast;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.dl4jlabs.common.layers.LayerSetup;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * An LSTM layer with DL4J's {@code LSTM} configuration and parameters, its whole sequence computed
 * by oneDNN's LSTM primitives ({@link FastLstmLayer}).
 *
 * <p>DL4J 1.0.0-M2.1 runs an LSTM as a dozen small operations per time step, and computes the
 * forward pass again in the backward pass. oneDNN takes the whole sequence in one call each way. It
 * is a subclass of {@code LSTM}, so what DL4J does with an LSTM (wrapping it in {@code LastTimeStep}
 * or {@code Bidirectional}, truncated back-propagation through time, {@code rnnTimeStep}, saving
 * and loading) works unchanged; where oneDNN has no equivalent (masked sequences, other gate
 * activations) the layer computes through DL4J's implementation.
 *
 * <p>From non-zero initial states (every segment of truncated back-propagation through time after
 * the first) DL4J 1.0.0-M2.1's own LSTM gradients disagree with finite differences of the loss;
 * this layer's agree ({@code FastLstmTest}), so its truncated training is not DL4J's to the last
 * digit.
 *
 * <pre>{@code
 * .layer(new LSTM.Builder().nOut(128).activation(Activation.TANH).build())   // FastLayers.accelerate swaps it in
 * }</pre>
 */
public class FastLstm extends LSTM {

    /** For JSON deserialization and {@link FastLayers#accelerate}. */
    FastLstm() {
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        return LayerSetup.connect(new FastLstmLayer(conf, networkDataType), conf, trainingListeners, layerIndex,
                layerParamsView, initializeParams);
    }
}
