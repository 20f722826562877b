package org.dl4jlabs.common.layers.fast;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.dl4jlabs.common.layers.onednn.OneDnn;
import org.dl4jlabs.common.layers.onednn.OneDnnConvolution.Geometry;
import org.dl4jlabs.common.layers.onednn.OneDnnConvolution;
import org.dl4jlabs.common.layers.onednn.SlidingWindow;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The implementation of {@link FastConvolution2D}: DL4J's convolution layer with its forward and
 * backward passes computed by oneDNN primitives that the layer builds once and keeps
 * ({@link OneDnnConvolution}), in the layer's own data format.
 *
 * <p>A ReLU or leaky ReLU runs inside oneDNN's forward convolution, and its gradient is computed
 * from the layer's output. For other activations a training forward pass keeps its pre-activations
 * for the backward pass ({@link PreActivationCache}), which DL4J's layer computes again; with the
 * identity the backward pass needs neither. Weights keep DL4J's [out, in, kH, kW] layout and are read from, and
 * their gradients written into, the parameter and gradient views themselves.
 */
public class FastConvolution2DLayer extends ConvolutionLayer {

    /** From a training forward pass: the output when oneDNN applied the activation, else Z. */
    private final PreActivationCache kept = new PreActivationCache();
    private final OneDnnConvolution oneDnn = new OneDnnConvolution();

    public FastConvolution2DLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!fastPathApplies()) {
            return super.activate(training, workspaceMgr);
        }
        INDArray in = OneDnn.dense(prepareInput(training, workspaceMgr), ArrayType.FF_WORKING_MEM, workspaceMgr);
        Float rectifierSlope = fusedRectifierSlope();
        if (rectifierSlope != null) {
            INDArray output = convolve(in, geometry(in, rectifierSlope), training, ArrayType.ACTIVATIONS, workspaceMgr);
            if (training) {
                kept.keep(input, output);
            } else {
                kept.clear();
            }
            return output;
        }
        INDArray z = convolve(in, geometry(in, null), training, ArrayType.ACTIVATIONS, workspaceMgr);
        IActivation activation = layerConf().getActivationFn();
        if (training && !(activation instanceof ActivationIdentity)) {
            kept.keep(input, workspaceMgr.dup(ArrayType.ACTIVATIONS, z)); // the activation overwrites z
        } else {
            kept.clear();
        }
        return activation.getActivation(z, training);
    }

    @Override
    protected Pair<INDArray, INDArray> preOutput(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        if (!fastPathApplies()) {
            return super.preOutput(training, forBackprop, workspaceMgr);
        }
        INDArray in = OneDnn.dense(prepareInput(training, workspaceMgr), ArrayType.FF_WORKING_MEM, workspaceMgr);
        return new Pair<>(convolve(in, geometry(in, null), training, ArrayType.ACTIVATIONS, workspaceMgr), null);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        boolean inputGradient = ((FastConvolution2D) layerConf()).hasInputGradient();
        if (!fastPathApplies()) {
            Pair<Gradient, INDArray> dl4j = super.backpropGradient(epsilon, workspaceMgr);
            return inputGradient ? dl4j : new Pair<>(dl4j.getFirst(), null);
        }
        INDArray in = OneDnn.dense(prepareInput(true, workspaceMgr), ArrayType.BP_WORKING_MEM, workspaceMgr);
        Float rectifierSlope = fusedRectifierSlope();
        Geometry geometry = geometry(in, rectifierSlope);
        INDArray delta = OneDnn.dense(epsilon.castTo(dataType), ArrayType.BP_WORKING_MEM, workspaceMgr);
        IActivation activation = layerConf().getActivationFn();
        if (rectifierSlope != null) {
            INDArray output = kept.take(input);
            if (output == null) {
                output = convolve(in, geometry, true, ArrayType.BP_WORKING_MEM, workspaceMgr);
            }
            INDArray outputGradient = delta;
            delta = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, geometry.outputShape(), 'c');
            oneDnn.backwardThroughRectifier(geometry, output, outputGradient, delta);
        } else if (!(activation instanceof ActivationIdentity)) {
            INDArray z = kept.take(input);
            if (z == null) {
                z = convolve(in, geometry, true, ArrayType.BP_WORKING_MEM, workspaceMgr);
            }
            delta = OneDnn.dense(activation.backprop(z, delta).getFirst(), ArrayType.BP_WORKING_MEM, workspaceMgr);
        }

        INDArray weightGradient = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray biasGradient = hasBias() ? gradientViews.get(ConvolutionParamInitializer.BIAS_KEY) : null;
        oneDnn.backwardWeights(geometry, in, delta, weightGradient, biasGradient);
        Gradient gradient = new DefaultGradient();
        if (biasGradient != null) {
            gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, biasGradient);
        }
        gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, weightGradient, 'c');
        if (!inputGradient) {
            weightNoiseParams.clear();
            return new Pair<>(gradient, null);
        }
        INDArray inputGrad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, in.shape(), 'c');
        oneDnn.backwardData(geometry, delta, weights(true, workspaceMgr), inputGrad);
        weightNoiseParams.clear();
        return new Pair<>(gradient, backpropDropOutIfPresent(inputGrad));
    }

    private INDArray convolve(INDArray in, Geometry geometry, boolean training, ArrayType outputType,
                              LayerWorkspaceMgr workspaceMgr) {
        INDArray output = workspaceMgr.createUninitialized(outputType, dataType, geometry.outputShape(), 'c');
        oneDnn.forward(geometry, in, weights(training, workspaceMgr),
                hasBias() ? getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, training, workspaceMgr) : null,
                output);
        return output;
    }

    /** The slope of a (leaky) ReLU that oneDNN applies inside the convolution's forward pass; else null. */
    private Float fusedRectifierSlope() {
        return Rectifiers.slope(layerConf().getActivationFn());
    }

    /**
     * Fast layers on ({@link FastLayers}), oneDNN loaded, float arrays, an element-wise activation, a
     * 4d input DL4J would accept, and a convolution mode that fixes the padding (not Causal, which is
     * for 1d convolutions).
     */
    private boolean fastPathApplies() {
        return FastPath.takeOneDnn(this, dataType == DataType.FLOAT
                && !(layerConf().getActivationFn() instanceof ActivationSoftmax)
                && convolutionMode != ConvolutionMode.Causal
                && input != null && input.rank() == 4
                && input.size(isNchw() ? 1 : 3) == layerConf().getNIn());
    }

    /** The input after dropout, as the parent prepares it: dropout applies once per iteration. */
    private INDArray prepareInput(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        return input.castTo(dataType);
    }

    private INDArray weights(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return OneDnn.dense(getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, training, workspaceMgr),
                ArrayType.FF_WORKING_MEM, workspaceMgr);
    }

    private Geometry geometry(INDArray in, Float rectifierSlope) {
        return new Geometry(SlidingWindow.over(in, layerConf().getKernelSize(), layerConf().getStride(),
                layerConf().getDilation(), layerConf().getPadding(), convolutionMode, layerConf().getCnn2dDataFormat()),
                layerConf().getNOut(), hasBias(), rectifierSlope);
    }

    private boolean isNchw() {
        return layerConf().getCnn2dDataFormat() == CNN2DFormat.NCHW;
    }
}
