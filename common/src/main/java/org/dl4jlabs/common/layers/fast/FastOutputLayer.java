package org.dl4jlabs.common.layers.fast;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.OutputLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The implementation of {@link FastOutput}: DL4J's output layer (labels, loss, score, evaluation)
 * with its forward product and its backward pass computed by {@link DenseProducts}.
 */
public class FastOutputLayer extends OutputLayer {

    private final DenseProducts products = new DenseProducts();

    public FastOutputLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    protected Pair<INDArray, INDArray> preOutputWithPreNorm(boolean training, boolean forBackprop,
                                                           LayerWorkspaceMgr workspaceMgr) {
        if (!FastPath.take(this, !hasLayerNorm())) {
            return super.preOutputWithPreNorm(training, forBackprop, workspaceMgr);
        }
        assertInputSet(forBackprop);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray z = products.preActivation(input,
                getParamWithNoise(DefaultParamInitializer.WEIGHT_KEY, training, workspaceMgr),
                hasBias() ? getParamWithNoise(DefaultParamInitializer.BIAS_KEY, training, workspaceMgr) : null,
                workspaceMgr, layerId());
        if (maskArray != null) {
            applyMask(z);
        }
        return new Pair<>(z, z);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!FastPath.take(this, !hasLayerNorm())) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        INDArray delta = layerConf().getLossFn().computeGradient(getLabels2d(workspaceMgr, ArrayType.BP_WORKING_MEM),
                preOutput2d(true, workspaceMgr), layerConf().getActivationFn(), maskArray);
        Gradient gradient = products.parameterGradients(delta, input,
                gradientViews.get(DefaultParamInitializer.WEIGHT_KEY),
                hasBias() ? gradientViews.get(DefaultParamInitializer.BIAS_KEY) : null);
        INDArray epsilonNext = products.inputGradient(delta,
                getParamWithNoise(DefaultParamInitializer.WEIGHT_KEY, true, workspaceMgr), workspaceMgr);
        // As in DL4J's output layer, weight noise is cleared by the network after forward, backward and score.
        return new Pair<>(gradient, backpropDropOutIfPresent(epsilonNext));
    }
}
