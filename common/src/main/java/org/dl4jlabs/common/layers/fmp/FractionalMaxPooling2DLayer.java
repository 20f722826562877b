package org.dl4jlabs.common.layers.fmp;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

import java.util.Arrays;

/**
 * The implementation of a {@link FractionalMaxPooling2D} layer in a network; see there for what
 * it computes.
 *
 * <p>Backprop must use the regions of the forward pass it follows, so each forward pass keeps its
 * regions and, for every output value, the input cell it came from; backprop routes the output
 * gradient along those routes and never draws regions itself.
 */
public class FractionalMaxPooling2DLayer extends AbstractLayer<FractionalMaxPooling2D> {

    private PoolingRegions lastRegions;
    /** For each output value of the last forward pass, its source cell's offset within its example. */
    private int[] routes = new int[0];
    private long[] routedOutputShape;

    public FractionalMaxPooling2DLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.SUBSAMPLING;
    }

    /** The regions that the most recent forward pass pooled over, or null before the first one. */
    public PoolingRegions lastRegions() {
        return lastRegions;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        if (input.rank() != 4) {
            throw new DL4JInvalidInputException("Fractional max-pooling expects rank 4 input with shape "
                    + format().dimensionNames() + ", got shape " + Arrays.toString(input.shape()) + " " + layerId());
        }
        requireSupportedType();
        INDArray in = readableByKernel(input, ArrayType.FF_WORKING_MEM, workspaceMgr);

        boolean nchw = format() == CNN2DFormat.NCHW;
        int examples = (int) in.size(0);
        int height = (int) in.size(nchw ? 2 : 1);
        int width = (int) in.size(nchw ? 3 : 2);
        long channels = in.size(nchw ? 1 : 3);
        PoolingRegions regions = PoolingRegions.draw(layerConf(), examples, height, width, training);
        long[] outputShape = nchw
                ? new long[] {examples, channels, regions.outputHeight(), regions.outputWidth()}
                : new long[] {examples, regions.outputHeight(), regions.outputWidth(), channels};
        INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, outputShape, 'c');

        long outputLength = output.length();
        if (outputLength > routes.length) {
            routes = new int[Math.toIntExact(outputLength)];
        }
        FractionalMaxPoolingKernel.forward(in, output, format(), regions, routes);
        lastRegions = regions;
        routedOutputShape = outputShape;
        return output;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (routedOutputShape == null || !Arrays.equals(routedOutputShape, epsilon.shape())) {
            throw new IllegalStateException("Fractional max-pooling backprop needs the forward pass it follows: got a "
                    + "gradient of shape " + Arrays.toString(epsilon.shape()) + ", the last forward pass produced "
                    + Arrays.toString(routedOutputShape) + " " + layerId());
        }
        requireSupportedType();
        INDArray eps = readableByKernel(epsilon, ArrayType.BP_WORKING_MEM, workspaceMgr);
        INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, input.shape(), 'c');
        FractionalMaxPoolingKernel.backward(eps, inputGradient, routes);
        return new Pair<>(new DefaultGradient(), inputGradient);
    }

    private CNN2DFormat format() {
        return layerConf().getDataFormat();
    }

    private void requireSupportedType() {
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new UnsupportedOperationException("Fractional max-pooling supports float and double networks, not "
                    + dataType + " " + layerId());
        }
    }

    /** The array itself if the kernel can read its memory directly, else a c-order copy in the network's type. */
    private INDArray readableByKernel(INDArray array, ArrayType copyType, LayerWorkspaceMgr workspaceMgr) {
        INDArray typed = array.dataType() == dataType ? array : workspaceMgr.castTo(copyType, dataType, array, false);
        if (typed.ordering() == 'c' && Shape.hasDefaultStridesForShape(typed)) {
            return typed;
        }
        return workspaceMgr.dup(copyType, typed, 'c');
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
            int minibatchSize) {
        if (maskArray != null) {
            throw new UnsupportedOperationException("Fractional max-pooling does not support masks " + layerId());
        }
        return super.feedForwardMaskArray(null, currentMaskState, minibatchSize);
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clearNoiseWeightParams() {
        // no parameters, hence no noise on them
    }
}
