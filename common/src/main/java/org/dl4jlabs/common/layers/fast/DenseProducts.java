package org.dl4jlabs.common.layers.fast;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.dl4jlabs.common.layers.onednn.OneDnn;
import org.dl4jlabs.common.layers.onednn.OneDnnInnerProduct;
import org.dl4jlabs.common.layers.onednn.OneDnnInnerProduct.Geometry;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * The three matrix products of a fully connected layer. With input X [batch, nIn], DL4J's weights W
 * [nIn, nOut] (column-major) and delta = dL/dZ [batch, nOut]: Z = X W + b, dL/dW = X^T delta and
 * dL/dX = delta W^T. On float arrays where oneDNN is loaded they are oneDNN's inner-product
 * primitives ({@link OneDnnInnerProduct}), one object per layer for the primitives it keeps;
 * otherwise libnd4j's products, each written into a row-major result, the layout in which its
 * product is fast (see {@link FastDense}).
 */
final class DenseProducts {

    private final OneDnnInnerProduct oneDnn = new OneDnnInnerProduct();

    /** Z = X W + b, in the activations workspace. */
    INDArray preActivation(INDArray input, INDArray weights, INDArray bias, LayerWorkspaceMgr workspaceMgr,
                           String layerId) {
        return product(input, weights, bias, null, false, workspaceMgr, layerId);
    }

    /** Whether {@link #rectified} and {@link #sigmoid} can run for these weights: on oneDNN, for float arrays. */
    static boolean fusesActivation(INDArray weights) {
        return onOneDnn(weights);
    }

    /**
     * The (leaky) ReLU of X W + b, computed in the product's own call, in the activations workspace;
     * {@code rectifierSlope} is the slope for negative values (0 for a ReLU). Only where
     * {@link #fusesActivation}.
     */
    INDArray rectified(INDArray input, INDArray weights, INDArray bias, float rectifierSlope,
                       LayerWorkspaceMgr workspaceMgr, String layerId) {
        if (!fusesActivation(weights)) {
            throw new IllegalStateException("the ReLU runs inside the product on oneDNN only " + layerId);
        }
        return product(input, weights, bias, rectifierSlope, false, workspaceMgr, layerId);
    }

    /**
     * The logistic sigmoid of X W + b, computed in the product's own call, in the activations
     * workspace. Only where {@link #fusesActivation}.
     */
    INDArray sigmoid(INDArray input, INDArray weights, INDArray bias, LayerWorkspaceMgr workspaceMgr, String layerId) {
        if (!fusesActivation(weights)) {
            throw new IllegalStateException("the sigmoid runs inside the product on oneDNN only " + layerId);
        }
        return product(input, weights, bias, null, true, workspaceMgr, layerId);
    }

    /** dL/dZ from the output of {@link #rectified} and dL/d(that output), in the backprop working memory. */
    INDArray throughRectifier(INDArray output, INDArray outputGradient, INDArray weights, boolean bias,
                              float rectifierSlope, LayerWorkspaceMgr workspaceMgr) {
        INDArray delta = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, output.dataType(), output.shape(), 'c');
        oneDnn.backwardThroughRectifier(geometry(output.rows(), weights, bias, rectifierSlope), output, OneDnn.dense(outputGradient.castTo(output.dataType())), delta);
        return delta;
    }

    private INDArray product(INDArray input, INDArray weights, INDArray bias, Float rectifierSlope, boolean sigmoid,
                             LayerWorkspaceMgr workspaceMgr, String layerId) {
        INDArray in = input.castTo(weights.dataType());
        if (in.rank() != 2 || in.columns() != weights.rows()) {
            throw new DL4JInvalidInputException("expected input of shape [batch, " + weights.rows() + "], got "
                    + Arrays.toString(in.shape()) + " " + layerId);
        }
        INDArray z = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, weights.dataType(),
                new long[]{in.rows(), weights.columns()}, 'c');
        if (onOneDnn(weights)) {
            oneDnn.forward(new Geometry(in.rows(), weights.rows(), weights.columns(), bias != null, rectifierSlope, sigmoid),
                    OneDnn.dense(in),
                    OneDnn.columnMajor(weights), bias, z);
            return z;
        }
        Nd4j.gemm(in, weights, z, false, false, 1.0, 0.0);
        if (bias != null) {
            z.addiRowVector(bias);
        }
        return z;
    }

    /**
     * The layer's parameter gradients, written into its gradient views: dL/dW = X^T delta into
     * DL4J's column-major [nIn, nOut] array (for libnd4j computed as its transpose delta^T X, which
     * is exactly that array read row-major as [nOut, nIn]); and dL/db, the column sums of delta,
     * unless the layer has no bias ({@code biasGradient} null). {@code rectifierSlope} is the forward
     * pass's fused ReLU, or null, so that all of a call's passes share one set of primitives.
     */
    Gradient parameterGradients(INDArray delta, INDArray input, INDArray weightGradient, INDArray biasGradient,
                                Float rectifierSlope) {
        INDArray in = input.castTo(delta.dataType());
        if (onOneDnn(weightGradient)) {
            oneDnn.backwardWeights(geometry(delta.rows(), weightGradient, biasGradient != null, rectifierSlope),
                    OneDnn.dense(in), OneDnn.dense(delta), weightGradient, biasGradient);
        } else {
            Nd4j.gemm(delta, in, weightGradient.transpose(), true, false, 1.0, 0.0);
            if (biasGradient != null) {
                delta.sum(biasGradient, 0);
            }
        }
        Gradient gradient = new DefaultGradient();
        gradient.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, weightGradient);
        if (biasGradient != null) {
            gradient.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, biasGradient);
        }
        return gradient;
    }

    /** dL/dX = delta W^T, in the activation-gradients workspace; {@code bias} and the slope as in the forward pass. */
    INDArray inputGradient(INDArray delta, INDArray weights, boolean bias, Float rectifierSlope,
                           LayerWorkspaceMgr workspaceMgr) {
        INDArray epsilon = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, delta.dataType(),
                new long[]{delta.rows(), weights.rows()}, 'c');
        if (onOneDnn(weights)) {
            oneDnn.backwardData(geometry(delta.rows(), weights, bias, rectifierSlope), OneDnn.dense(delta),
                    OneDnn.columnMajor(weights), epsilon);
        } else {
            Nd4j.gemm(delta, weights, epsilon, false, true, 1.0, 0.0);
        }
        return epsilon;
    }

    private static boolean onOneDnn(INDArray weights) {
        return OneDnn.available() && weights.dataType() == DataType.FLOAT;
    }

    private static Geometry geometry(long batch, INDArray weights, boolean bias, Float rectifierSlope) {
        return new Geometry(batch, weights.rows(), weights.columns(), bias, rectifierSlope);
    }
}
