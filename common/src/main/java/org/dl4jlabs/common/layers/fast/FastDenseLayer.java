package org.dl4jlabs.common.layers.fast;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The implementation of {@link FastDense}: the products of {@link DenseProducts}, and no input
 * gradient when the layer is configured without one.
 * A ReLU or leaky ReLU runs inside oneDNN's product, and its gradient is computed from the layer's
 * output, as for the convolution; for other activations a training forward pass keeps a copy of Z
 * for the backward pass ({@link PreActivationCache}), which DL4J's dense layer recomputes. With
 * {@link FastLayers} off, DL4J's {@code BaseLayer} computes both passes, exactly as for a {@code DenseLayer}.
 */
public class FastDenseLayer extends BaseLayer<FastDense> {

    /** From a training forward pass: the output when oneDNN applied the activation, else Z. */
    private final PreActivationCache kept = new PreActivationCache();
    private final DenseProducts products = new DenseProducts();

    public FastDenseLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.FEED_FORWARD;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public boolean hasLayerNorm() {
        return false;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!FastPath.take(this, true)) {
            return super.activate(training, workspaceMgr);
        }
        Float rectifierSlope = fusedRectifierSlope();
        if (rectifierSlope != null) {
            INDArray output = rectified(training, rectifierSlope, workspaceMgr);
            if (training) {
                kept.keep(input, output);
            } else {
                kept.clear();
            }
            return output;
        }
        INDArray z = preOutputWithPreNorm(training, false, workspaceMgr).getFirst();
        if (training) {
            kept.keep(input, workspaceMgr.dup(ArrayType.ACTIVATIONS, z));
        } else {
            kept.clear();
        }
        INDArray activations = layerConf().getActivationFn().getActivation(z, training);
        if (maskArray != null) {
            applyMask(activations);
        }
        return activations;
    }

    @Override
    protected Pair<INDArray, INDArray> preOutputWithPreNorm(boolean training, boolean forBackprop,
                                                           LayerWorkspaceMgr workspaceMgr) {
        if (!FastPath.take(this, true)) {
            return super.preOutputWithPreNorm(training, forBackprop, workspaceMgr);
        }
        assertInputSet(forBackprop);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray z = products.preActivation(input,
                getParamWithNoise(DefaultParamInitializer.WEIGHT_KEY, training, workspaceMgr),
                getParamWithNoise(DefaultParamInitializer.BIAS_KEY, training, workspaceMgr), workspaceMgr, layerId());
        if (maskArray != null) {
            applyMask(z);
        }
        return new Pair<>(z, z);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!FastPath.take(this, true)) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        Float rectifierSlope = fusedRectifierSlope();
        INDArray delta;
        if (rectifierSlope != null) {
            INDArray output = kept.take(input);
            if (output == null) {
                output = rectified(true, rectifierSlope, workspaceMgr);
            }
            delta = products.throughRectifier(output, epsilon, weight(true, workspaceMgr), hasBias(), rectifierSlope,
                    workspaceMgr);
        } else {
            INDArray z = kept.take(input);
            if (z == null) {
                z = preOutputWithPreNorm(true, true, workspaceMgr).getFirst();
            }
            delta = layerConf().getActivationFn().backprop(z, epsilon).getFirst();
            if (maskArray != null) {
                applyMask(delta);
            }
        }
        Gradient gradient = products.parameterGradients(delta, input,
                gradientViews.get(DefaultParamInitializer.WEIGHT_KEY), gradientViews.get(DefaultParamInitializer.BIAS_KEY),
                rectifierSlope);

        INDArray epsilonNext = null;
        if (layerConf().hasInputGradient()) {
            epsilonNext = backpropDropOutIfPresent(products.inputGradient(delta, weight(true, workspaceMgr), hasBias(),
                    rectifierSlope, workspaceMgr));
        }
        weightNoiseParams.clear();
        return new Pair<>(gradient, epsilonNext);
    }

    /**
     * The slope of a (leaky) ReLU that oneDNN applies inside the product, for float weights on
     * oneDNN and no mask; else null.
     */
    private Float fusedRectifierSlope() {
        return maskArray == null && DenseProducts.fusesActivation(params.get(DefaultParamInitializer.WEIGHT_KEY))
                ? Rectifiers.slope(layerConf().getActivationFn()) : null;
    }

    /** The layer's activations with the ReLU computed in the product; dropout applies once per iteration. */
    private INDArray rectified(boolean training, float rectifierSlope, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        return products.rectified(input, weight(training, workspaceMgr),
                getParamWithNoise(DefaultParamInitializer.BIAS_KEY, training, workspaceMgr), rectifierSlope,
                workspaceMgr, layerId());
    }

    private INDArray weight(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return getParamWithNoise(DefaultParamInitializer.WEIGHT_KEY, training, workspaceMgr);
    }

    @Override
    public void clear() {
        super.clear();
        kept.clear();
    }
}
