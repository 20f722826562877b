package org.dl4jlabs.lstm;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jlabs.common.train.Network;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Class probabilities of masked series. The common evaluators see only the features of a batch,
 * but padded series also need their mask, so the probabilities are computed here first.
 */
final class SequenceClassifier {

    private SequenceClassifier() {
    }

    /** One row of class probabilities per series of {@code data}, in inference mode. */
    static INDArray probabilities(Network network, DataSet data) {
        MultiLayerNetwork net = (MultiLayerNetwork) network.model();
        return net.output(data.getFeatures(), false, data.getFeaturesMaskArray(), null);
    }

    static double accuracy(Network network, DataSet data) {
        INDArray predicted = probabilities(network, data).argMax(1);
        INDArray actual = data.getLabels().argMax(1);
        return predicted.eq(actual).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().doubleValue()
                / data.numExamples();
    }
}
