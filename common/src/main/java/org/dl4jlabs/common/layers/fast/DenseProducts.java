package org.dl4jlabs.common.layers.fast;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * The three matrix products of a fully connected layer, each written into a row-major result,
 * the layout in which libnd4j's matrix product is fast (see {@link FastDense}). With input X
 * [batch, nIn], DL4J's weights W [nIn, nOut] (column-major) and delta = dL/dZ [batch, nOut]:
 * Z = X W + b, dL/dW = X^T delta and dL/dX = delta W^T.
 */
final class DenseProducts {

    private DenseProducts() {
    }

    /** Z = X W + b, in the activations workspace. */
    static INDArray preActivation(INDArray input, INDArray weights, INDArray bias, LayerWorkspaceMgr workspaceMgr,
                                  String layerId) {
        INDArray in = input.castTo(weights.dataType());
        if (in.rank() != 2 || in.columns() != weights.rows()) {
            throw new DL4JInvalidInputException("expected input of shape [batch, " + weights.rows() + "], got "
                    + Arrays.toString(in.shape()) + " " + layerId);
        }
        INDArray z = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, weights.dataType(),
                new long[]{in.rows(), weights.columns()}, 'c');
        Nd4j.gemm(in, weights, z, false, false, 1.0, 0.0);
        if (bias != null) {
            z.addiRowVector(bias);
        }
        return z;
    }

    /**
     * The layer's parameter gradients, written into its gradient views: dL/dW = X^T delta into
     * DL4J's column-major [nIn, nOut] array, computed as its transpose delta^T X, which is exactly
     * that array read row-major as [nOut, nIn]; and dL/db, the column sums of delta, unless the layer
     * has no bias ({@code biasGradient} null).
     */
    static Gradient parameterGradients(INDArray delta, INDArray input, INDArray weightGradient,
                                       INDArray biasGradient) {
        Nd4j.gemm(delta, input.castTo(delta.dataType()), weightGradient.transpose(), true, false, 1.0, 0.0);
        Gradient gradient = new DefaultGradient();
        gradient.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, weightGradient);
        if (biasGradient != null) {
            delta.sum(biasGradient, 0);
            gradient.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, biasGradient);
        }
        return gradient;
    }

    /** dL/dX = delta W^T, in the activation-gradients workspace. */
    static INDArray inputGradient(INDArray delta, INDArray weights, LayerWorkspaceMgr workspaceMgr) {
        INDArray epsilon = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, delta.dataType(),
                new long[]{delta.rows(), weights.rows()}, 'c');
        Nd4j.gemm(delta, weights, epsilon, false, true, 1.0, 0.0);
        return epsilon;
    }
}
