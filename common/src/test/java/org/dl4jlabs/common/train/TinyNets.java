package org.dl4jlabs.common.train;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** A small, separable two-class problem and networks for it, for tests of the training machinery. */
public final class TinyNets {

    private TinyNets() {
    }

    /** Points in 4-D whose class is the sign of the sum of their first two coordinates. */
    public static DataSet twoClasses(int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray features = Nd4j.randn(DataType.FLOAT, n, 4);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, n, 2);
        for (int i = 0; i < n; i++) {
            int label = features.getDouble(i, 0) + features.getDouble(i, 1) > 0 ? 1 : 0;
            labels.putScalar(i, label, 1);
        }
        return new DataSet(features, labels);
    }

    public static MultiLayerNetwork classifier(long seed) {
        return build(seed, new Adam(0.01));
    }

    /** A learning rate this large makes the loss overflow within a few steps. */
    public static MultiLayerNetwork divergent(long seed) {
        return build(seed, new Sgd(1e30));
    }

    private static MultiLayerNetwork build(long seed, org.nd4j.linalg.learning.config.IUpdater updater) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(updater)
                .list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(16).nOut(2).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }
}
