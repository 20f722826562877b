package org.dl4jlabs.common.layers.fast;

import org.deeplearning4j.exception.DL4JInvalidConfigException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.dl4jlabs.common.layers.LayerSetup;
import org.dl4jlabs.common.layers.onednn.OneDnnBatchNormalization;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * DL4J's batch normalization layer, same configuration and parameters, trained faster on a CPU.
 *
 * <pre>{@code
 * .layer(new FastBatchNormalization.Builder().activation(Activation.RELU).build())
 * }</pre>
 *
 * <p>On a CPU, DL4J's layer takes its backward pass from libnd4j's {@code batchnorm_bp}, which asks
 * oneDNN for only part of the gradient and completes it with ten more whole-array operations. For
 * the standard CIFAR network that took a fifth of a training step (see docs/PERFORMANCE.md). This layer's training
 * passes for images (NCHW or NHWC) call oneDNN's batch normalization primitives directly, built once
 * per geometry; see {@link OneDnnBatchNormalization}.
 *
 * <p>DL4J's layer ignores the activation it is given. This one applies it: the identity (the
 * default, whatever the network's default activation is) or a ReLU, which the fast path computes
 * inside its own passes instead of as a separate layer's four (copy, ReLU, copy, ReLU gradient).
 * For other activations, follow the layer with an {@code ActivationLayer}.
 *
 * <p>Everything else is DL4J's: the builder (decay, epsilon, locked gamma and beta, log-std
 * parameterisation, data format), the parameters and their names, the running statistics,
 * inference and serialization. Anything the fast path does not cover (dense input, double precision,
 * locked gamma and beta, a platform without JavaCPP's oneDNN build, the CUDA backend) runs DL4J's
 * own implementation.
 */
public class FastBatchNormalization extends BatchNormalization {

    private static final ActivationReLU PLAIN_RELU = new ActivationReLU();

    /** For JSON deserialization, {@link Builder#build()} and {@link FastLayers#accelerate}. */
    FastBatchNormalization() {
    }

    /** Whether the layer's activation is a ReLU; the identity otherwise. */
    boolean rectifies() {
        return checkActivation(getActivationFn());
    }

    private static boolean checkActivation(IActivation activation) {
        boolean relu = PLAIN_RELU.equals(activation);
        if (!relu && !(activation instanceof ActivationIdentity)) {
            throw new DL4JInvalidConfigException("FastBatchNormalization applies the identity or a plain ReLU, not "
                    + activation + "; put other activations in an ActivationLayer after it");
        }
        return relu;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        rectifies();
        return LayerSetup.connect(new FastBatchNormalizationLayer(conf, networkDataType), conf, trainingListeners,
                layerIndex, layerParamsView, initializeParams);
    }

    /** {@link BatchNormalization.Builder}, building a {@link FastBatchNormalization}. */
    public static class Builder extends BatchNormalization.Builder {

        public Builder() {
            activation(Activation.IDENTITY);
        }

        /** DL4J's builder makes the configuration through a private constructor, so this copies its result. */
        @Override
        public FastBatchNormalization build() {
            checkActivation(activationFn);
            BatchNormalization built = super.build();
            return LayerSettings.copy(built, new FastBatchNormalization(), BatchNormalization.class);
        }
    }
}
