package org.dl4jlabs.common.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * What every layer configuration's {@code instantiate} does after creating its implementation, as
 * DL4J's own layers do it: attach the listeners and the layer's place in the network, and give it
 * its slice of the network's parameters, initialised by the configuration's initializer.
 */
public final class LayerSetup {

    private LayerSetup() {
    }

    public static <T extends Layer> T connect(T layer, NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                       int index, INDArray paramsView, boolean initializeParams) {
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(conf.getLayer().initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }
}
