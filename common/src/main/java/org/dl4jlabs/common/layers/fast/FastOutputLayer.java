package org.dl4jlabs.common.layers.fast;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.OutputLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The implementation of {@link FastOutput}: DL4J's output layer (labels, loss, score, evaluation)
 * with its forward product and its backward pass computed by {@link DenseProducts}.
 *
 * <p>A training step of DL4J's networks runs the output layer's backward pass and then asks it for
 * the score, and DL4J's output layer computes the product and the loss's activation again for the
 * score. This layer scores the batch in its backward pass, from the product it has, and hands that
 * score to the network's next {@code computeScore} for the same input and labels. For the dense
 * autoencoder the product is its largest (256 x 784 per example). Its squared error on a sigmoid
 * is computed in one pass ({@link SquaredErrorOnSigmoid}), the sigmoid inside oneDNN's product.
 */
public class FastOutputLayer extends OutputLayer {

    private final DenseProducts products = new DenseProducts();
    private final SquaredErrorOnSigmoid squaredError = new SquaredErrorOnSigmoid();
    /** The summed loss of the last backward pass, for {@link #computeScore}; null when there is none to reuse. */
    private ScoredBatch scored;

    private record ScoredBatch(INDArray input, INDArray labels, double lossSum) {
    }

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
        INDArray labels2d = getLabels2d(workspaceMgr, ArrayType.BP_WORKING_MEM);
        ILossFunction loss = layerConf().getLossFn();
        IActivation activation = layerConf().getActivationFn();
        INDArray delta;
        if (fusesSigmoid()) {
            SquaredErrorOnSigmoid.LossAndGradient fused = squaredError.computeOfSigmoid(labels2d,
                    sigmoidOutput(true, workspaceMgr), workspaceMgr);
            scored = new ScoredBatch(input, labels, fused.lossSum());
            delta = fused.gradient();
        } else if (SquaredErrorOnSigmoid.covers(loss, activation, maskArray, dataType)) {
            SquaredErrorOnSigmoid.LossAndGradient fused = squaredError.compute(labels2d, preOutput2d(true, workspaceMgr),
                    activation, workspaceMgr);
            scored = new ScoredBatch(input, labels, fused.lossSum());
            delta = fused.gradient();
        } else {
            INDArray preOutput = preOutput2d(true, workspaceMgr);
            scored = new ScoredBatch(input, labels, loss.computeScore(labels2d, preOutput, activation, maskArray, false));
            delta = loss.computeGradient(labels2d, preOutput, activation, maskArray);
        }
        Gradient gradient = products.parameterGradients(delta, input,
                gradientViews.get(DefaultParamInitializer.WEIGHT_KEY),
                hasBias() ? gradientViews.get(DefaultParamInitializer.BIAS_KEY) : null, null);
        INDArray epsilonNext = products.inputGradient(delta,
                getParamWithNoise(DefaultParamInitializer.WEIGHT_KEY, true, workspaceMgr), hasBias(), null, workspaceMgr);
        // As in DL4J's output layer, weight noise is cleared by the network after forward, backward and score.
        return new Pair<>(gradient, backpropDropOutIfPresent(epsilonNext));
    }

    /**
     * As DL4J's, but a training score right after a backward pass on the same batch reuses its loss,
     * and a squared error on a sigmoid is computed in one pass.
     */
    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        ScoredBatch last = scored;
        scored = null;
        if (!FastPath.take(this, !hasLayerNorm())) {
            return super.computeScore(fullNetRegTerm, training, workspaceMgr);
        }
        IActivation activation = layerConf().getActivationFn();
        double lossSum;
        if (training && last != null && last.input() == input && last.labels() == labels) {
            lossSum = last.lossSum();
        } else if (fusesSigmoid()) {
            lossSum = squaredError.lossSumOfSigmoid(getLabels2d(workspaceMgr, ArrayType.FF_WORKING_MEM),
                    sigmoidOutput(training, workspaceMgr), workspaceMgr);
        } else if (SquaredErrorOnSigmoid.covers(layerConf().getLossFn(), activation, maskArray, dataType)) {
            lossSum = squaredError.lossSum(getLabels2d(workspaceMgr, ArrayType.FF_WORKING_MEM),
                    preOutput2d(training, workspaceMgr), activation, workspaceMgr);
        } else {
            return super.computeScore(fullNetRegTerm, training, workspaceMgr);
        }
        score = (conf().isMiniBatch() ? lossSum / getInputMiniBatchSize() : lossSum) + fullNetRegTerm;
        return score;
    }

    /**
     * Whether the loss runs on a sigmoid that oneDNN computes inside the product: a squared error
     * {@link SquaredErrorOnSigmoid} covers, on a sigmoid, with float weights on oneDNN. The output then
     * costs no separate pass over it, and dL/dZ comes from it alone.
     */
    private boolean fusesSigmoid() {
        return layerConf().getActivationFn() instanceof ActivationSigmoid && !hasLayerNorm()
                && SquaredErrorOnSigmoid.covers(layerConf().getLossFn(), layerConf().getActivationFn(), maskArray, dataType)
                && DenseProducts.fusesActivation(params.get(DefaultParamInitializer.WEIGHT_KEY));
    }

    /** sigmoid(X W + b) from one oneDNN call, with dropout applied to the input as for the pre-output. */
    private INDArray sigmoidOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(training);
        applyDropOutIfNecessary(training, workspaceMgr);
        return products.sigmoid(input, getParamWithNoise(DefaultParamInitializer.WEIGHT_KEY, training, workspaceMgr),
                hasBias() ? getParamWithNoise(DefaultParamInitializer.BIAS_KEY, training, workspaceMgr) : null,
                workspaceMgr, layerId());
    }

    @Override
    public void clear() {
        super.clear();
        scored = null;
    }
}
