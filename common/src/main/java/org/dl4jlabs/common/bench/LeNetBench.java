package org.dl4jlabs.common.bench;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jlabs.common.layers.fast.FastConvolution2D;
import org.dl4jlabs.common.layers.fast.FastDense;
import org.dl4jlabs.common.layers.fast.FastMaxPooling2D;
import org.dl4jlabs.common.layers.fast.FastOutput;
import org.dl4jlabs.common.train.FastAdam;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * LeNet on 28x28 digits, the reference for how fast the convolution backend is:
 * conv 5x5x20, max-pool 2, conv 5x5x50, max-pool 2, dense 500, softmax 10, Adam, batch 64.
 */
public final class LeNetBench implements BenchModel {

    private static final int BATCH = 64;

    @Override
    public String name() {
        return "lenet";
    }

    @Override
    public String description() {
        return "LeNet: conv5x5x20, pool2, conv5x5x50, pool2, dense500, softmax10; Adam, batch " + BATCH;
    }

    @Override
    public int batchSize() {
        return BATCH;
    }

    @Override
    public Runnable prepare(long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new FastAdam(1e-3))
                .list()
                .layer(new FastConvolution2D.Builder(5, 5).inputGradient(false).nOut(20)
                        .activation(Activation.IDENTITY).dataFormat(CNN2DFormat.NHWC).build())
                .layer(new FastMaxPooling2D.Builder(2, 2).stride(2, 2).dataFormat(CNN2DFormat.NHWC).build())
                .layer(new FastConvolution2D.Builder(5, 5).nOut(50).activation(Activation.IDENTITY)
                        .dataFormat(CNN2DFormat.NHWC).build())
                .layer(new FastMaxPooling2D.Builder(2, 2).stride(2, 2).dataFormat(CNN2DFormat.NHWC).build())
                .layer(new FastDense.Builder().nOut(500).activation(Activation.RELU).build())
                .layer(new FastOutput.Builder(LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1, CNN2DFormat.NHWC))
                .build());
        net.init();
        return Bench.trainingStep(net, new long[]{BATCH, 28, 28, 1}, 10, seed);
    }
}
