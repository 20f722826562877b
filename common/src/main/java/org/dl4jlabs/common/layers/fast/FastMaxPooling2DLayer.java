package org.dl4jlabs.common.layers.fast;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.dl4jlabs.common.layers.onednn.OneDnn;
import org.dl4jlabs.common.layers.onednn.OneDnnMaxPooling;
import org.dl4jlabs.common.layers.onednn.SlidingWindow;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The implementation of {@link FastMaxPooling2D}: DL4J's subsampling layer with max pooling on float
 * images computed by oneDNN ({@link OneDnnMaxPooling}). The backward pass reads where the last
 * forward pass found each window's maximum, so it runs that pass again when its input is not the
 * one the last forward pass saw.
 */
public class FastMaxPooling2DLayer extends SubsamplingLayer {

    private final OneDnnMaxPooling oneDnn = new OneDnnMaxPooling();
    private INDArray lastPooled;

    public FastMaxPooling2DLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!fastPathApplies()) {
            lastPooled = null;
            return super.activate(training, workspaceMgr);
        }
        SlidingWindow window = window();
        INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
                window.outputShape(window.channels()), 'c');
        pool(window, output);
        return output;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!fastPathApplies() || epsilon.dataType() != DataType.FLOAT) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        SlidingWindow window = window();
        if (lastPooled != input) {
            pool(window, Nd4j.createUninitialized(DataType.FLOAT, window.outputShape(window.channels())));
        }
        INDArray outputGradient = OneDnn.dense(epsilon, ArrayType.BP_WORKING_MEM, workspaceMgr);
        INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
                window.inputShape(), 'c');
        oneDnn.backward(window, outputGradient, inputGradient);
        return new Pair<>(new DefaultGradient(), inputGradient);
    }

    private void pool(SlidingWindow window, INDArray output) {
        INDArray in = OneDnn.dense(input);
        oneDnn.forward(window, in, output);
        lastPooled = input;
    }

    /** Fast layers on, oneDNN loaded, max pooling of float 4d input, and a mode that fixes the padding. */
    private boolean fastPathApplies() {
        return FastPath.takeOneDnn(this, layerConf().getPoolingType() == PoolingType.MAX
                && convolutionMode != ConvolutionMode.Causal && input != null && input.rank() == 4
                && input.dataType() == DataType.FLOAT && dataType == DataType.FLOAT);
    }

    private SlidingWindow window() {
        return SlidingWindow.over(input, layerConf().getKernelSize(), layerConf().getStride(), layerConf().getDilation(),
                layerConf().getPadding(), convolutionMode, layerConf().getCnn2dDataFormat());
    }
}
