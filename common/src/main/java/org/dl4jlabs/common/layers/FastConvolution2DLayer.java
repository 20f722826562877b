package org.dl4jlabs.common.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The implementation of {@link FastConvolution2D}: DL4J's convolution layer with its forward and
 * backward passes replaced by one libnd4j {@code conv2d} / {@code conv2d_bp} call each (oneDNN
 * primitives on a CPU build) on NHWC arrays.
 *
 * <p>Arrays of an NCHW layer are transposed into dense NHWC copies first, because oneDNN reorders
 * a strided view itself, slower. A training forward pass keeps its pre-activations for the backward
 * pass ({@link PreActivationCache}), which DL4J's layer computes again; with the identity activation
 * the backward pass needs none. Weights keep DL4J's [out, in, kH, kW] layout,
 * which the ops take directly, so parameters and gradients are the parent's arrays.
 */
public class FastConvolution2DLayer extends ConvolutionLayer {

    private final PreActivationCache kept = new PreActivationCache();

    /** conv2d / conv2d_bp integer argument: activations are [batch, height, width, channels]. */
    private static final int NHWC = 1;
    /** conv2d / conv2d_bp integer argument: weights are [out channels, in channels, kH, kW]. */
    private static final int WEIGHTS_OUT_IN_KH_KW = 1;

    public FastConvolution2DLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!fastPathApplies()) {
            return super.activate(training, workspaceMgr);
        }
        INDArray z = forwardPreActivation(training, workspaceMgr);
        IActivation activation = layerConf().getActivationFn();
        if (training && !(activation instanceof ActivationIdentity)) {
            kept.keep(input, workspaceMgr.dup(ArrayType.ACTIVATIONS, z));
        } else {
            kept.clear();
        }
        return fromNhwc(activation.getActivation(z, training), ArrayType.ACTIVATIONS, workspaceMgr);
    }

    @Override
    protected Pair<INDArray, INDArray> preOutput(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        if (!fastPathApplies()) {
            return super.preOutput(training, forBackprop, workspaceMgr);
        }
        return new Pair<>(fromNhwc(forwardPreActivation(training, workspaceMgr), ArrayType.ACTIVATIONS, workspaceMgr),
                null);
    }

    /** Z of a forward pass in NHWC, in the activations workspace when no transposition follows. */
    private INDArray forwardPreActivation(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray inputNhwc = toNhwc(prepareInput(training, workspaceMgr), ArrayType.FF_WORKING_MEM, workspaceMgr);
        return convolve(inputNhwc, training, isNchw() ? ArrayType.FF_WORKING_MEM : ArrayType.ACTIVATIONS,
                workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!fastPathApplies()) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        INDArray inputNhwc = toNhwc(prepareInput(true, workspaceMgr), ArrayType.BP_WORKING_MEM, workspaceMgr);
        INDArray epsilonNhwc = toNhwc(epsilon.castTo(dataType), ArrayType.BP_WORKING_MEM, workspaceMgr);
        IActivation activation = layerConf().getActivationFn();
        INDArray z = kept.take(input);
        INDArray delta;
        if (activation instanceof ActivationIdentity) {
            delta = epsilonNhwc;
        } else {
            if (z == null) {
                z = convolve(inputNhwc, true, ArrayType.BP_WORKING_MEM, workspaceMgr);
            }
            delta = activation.backprop(z, epsilonNhwc).getFirst();
        }

        INDArray weightGrad = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        if (!((FastConvolution2D) layerConf()).hasInputGradient()) {
            return new Pair<>(parameterGradientsOnly(inputNhwc, delta, weightGrad, workspaceMgr), null);
        }
        INDArray weights = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, true, workspaceMgr);
        INDArray inputGrad = workspaceMgr.createUninitialized(
                isNchw() ? ArrayType.BP_WORKING_MEM : ArrayType.ACTIVATION_GRAD, dataType, inputNhwc.shape(), 'c');
        Gradient gradient = new DefaultGradient();
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d_bp")
                .addIntegerArguments(convolutionArguments());
        if (hasBias()) {
            INDArray biasGrad = gradientViews.get(ConvolutionParamInitializer.BIAS_KEY);
            INDArray bias = getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, true, workspaceMgr);
            Nd4j.exec(op.addInputs(inputNhwc, weights, bias, delta).addOutputs(inputGrad, weightGrad, biasGrad).build());
            gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, biasGrad);
        } else {
            Nd4j.exec(op.addInputs(inputNhwc, weights, delta).addOutputs(inputGrad, weightGrad).build());
        }
        gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, weightGrad, 'c');
        weightNoiseParams.clear();

        INDArray epsilonNext = backpropDropOutIfPresent(fromNhwc(inputGrad, ArrayType.ACTIVATION_GRAD, workspaceMgr));
        return new Pair<>(gradient, epsilonNext);
    }

    private Gradient parameterGradientsOnly(INDArray inputNhwc, INDArray delta, INDArray weightGrad,
                                            LayerWorkspaceMgr workspaceMgr) {
        int[] kernel = layerConf().getKernelSize();
        int[] stride = layerConf().getStride();
        int[] padding = layerConf().getPadding();
        if (convolutionMode == ConvolutionMode.Same) {
            int[] inSize = {(int) inputNhwc.size(1), (int) inputNhwc.size(2)};
            int[] outSize = {(int) delta.size(1), (int) delta.size(2)};
            padding = ConvolutionUtils.getSameModeTopLeftPadding(outSize, inSize, kernel, stride, layerConf().getDilation());
        }
        INDArray biasGrad = hasBias() ? gradientViews.get(ConvolutionParamInitializer.BIAS_KEY) : null;
        ConvolutionWeightGradients.compute(dense(inputNhwc, workspaceMgr), dense(delta, workspaceMgr), kernel, stride,
                padding, weightGrad, biasGrad, workspaceMgr);
        Gradient gradient = new DefaultGradient();
        if (biasGrad != null) {
            gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, biasGrad);
        }
        gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, weightGrad, 'c');
        weightNoiseParams.clear();
        return gradient;
    }

    /**
     * Fast layers on ({@link FastLayers}), float arrays, no dilation (libnd4j's oneDNN call refuses
     * dilated convolutions), an element-wise activation, and a 4d input DL4J would accept.
     */
    private boolean fastPathApplies() {
        IActivation activation = layerConf().getActivationFn();
        int[] dilation = layerConf().getDilation();
        return FastLayers.enabled() && dataType == DataType.FLOAT && dilation[0] == 1 && dilation[1] == 1
                && !(activation instanceof ActivationSoftmax)
                && input != null && input.rank() == 4
                && input.size(isNchw() ? 1 : 3) == layerConf().getNIn();
    }

    /** The input after dropout, as the parent prepares it: dropout applies once per iteration. */
    private INDArray prepareInput(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        return input.castTo(dataType);
    }

    private INDArray convolve(INDArray inputNhwc, boolean training, ArrayType outputType, LayerWorkspaceMgr workspaceMgr) {
        INDArray weights = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, training, workspaceMgr);
        int[] outSize = ConvolutionUtils.getOutputSize(inputNhwc, layerConf().getKernelSize(), layerConf().getStride(),
                convolutionMode == ConvolutionMode.Same ? null : layerConf().getPadding(), convolutionMode,
                layerConf().getDilation(), CNN2DFormat.NHWC);
        INDArray z = workspaceMgr.createUninitialized(outputType, dataType,
                new long[]{inputNhwc.size(0), outSize[0], outSize[1], weights.size(0)}, 'c');
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d")
                .addIntegerArguments(convolutionArguments())
                .addOutputs(z);
        if (hasBias()) {
            op.addInputs(inputNhwc, weights, getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, training, workspaceMgr));
        } else {
            op.addInputs(inputNhwc, weights);
        }
        Nd4j.exec(op.build());
        return z;
    }

    private int[] convolutionArguments() {
        int[] kernel = layerConf().getKernelSize();
        int[] stride = layerConf().getStride();
        int[] padding = layerConf().getPadding();
        int[] dilation = layerConf().getDilation();
        return new int[]{kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1],
                convolutionMode == ConvolutionMode.Same ? 1 : 0, NHWC, WEIGHTS_OUT_IN_KH_KW};
    }

    private static INDArray dense(INDArray array, LayerWorkspaceMgr workspaceMgr) {
        return array.isView() || array.ordering() != 'c' ? workspaceMgr.dup(ArrayType.BP_WORKING_MEM, array, 'c') : array;
    }

    private boolean isNchw() {
        return layerConf().getCnn2dDataFormat() == CNN2DFormat.NCHW;
    }

    private INDArray toNhwc(INDArray array, ArrayType type, LayerWorkspaceMgr workspaceMgr) {
        if (!isNchw()) {
            return array;
        }
        return workspaceMgr.dup(type, array.permute(0, 2, 3, 1), 'c');
    }

    private INDArray fromNhwc(INDArray array, ArrayType type, LayerWorkspaceMgr workspaceMgr) {
        if (!isNchw()) {
            return workspaceMgr.leverageTo(type, array);
        }
        return workspaceMgr.dup(type, array.permute(0, 3, 1, 2), 'c');
    }
}
