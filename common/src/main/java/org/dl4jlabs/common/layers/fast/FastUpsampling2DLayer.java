package org.dl4jlabs.common.layers.fast;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.layers.convolution.upsampling.Upsampling2D;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.dl4jlabs.common.layers.onednn.OneDnn;
import org.dl4jlabs.common.layers.onednn.OneDnnUpsampling;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The implementation of {@link FastUpsampling2D}: the forward pass of channels-first float images
 * through oneDNN ({@link OneDnnUpsampling}), which copies every value exactly as libnd4j does; the
 * backward pass, other layouts and types, and the fast layers' off switch run DL4J's implementation.
 */
public class FastUpsampling2DLayer extends Upsampling2D {

    private final OneDnnUpsampling oneDnn = new OneDnnUpsampling();

    public FastUpsampling2DLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    protected INDArray preOutput(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        if (!FastPath.takeOneDnn(this, input != null && input.rank() == 4 && input.dataType() == DataType.FLOAT
                && getFormat() == CNN2DFormat.NCHW)) {
            return super.preOutput(training, forBackprop, workspaceMgr);
        }
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        if (preOutput != null && forBackprop) {
            return preOutput;
        }
        int[] size = getSize();
        long[] shape = input.shape();
        OneDnnUpsampling.Geometry geometry = new OneDnnUpsampling.Geometry(shape[0], shape[1], shape[2], shape[3],
                size[0], size[1]);
        INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
                new long[]{shape[0], shape[1], shape[2] * size[0], shape[3] * size[1]}, 'c');
        oneDnn.forward(geometry, OneDnn.dense(input), output);
        return output;
    }
}
