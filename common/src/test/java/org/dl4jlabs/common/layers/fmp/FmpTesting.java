package org.dl4jlabs.common.layers.fmp;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/** Helpers shared by the layer's tests: a lone layer, and index arithmetic for either layout. */
final class FmpTesting {

    private FmpTesting() {
    }

    /** An FMP layer on its own, outside any network. */
    static FractionalMaxPooling2DLayer standalone(FractionalMaxPooling2D conf, DataType dataType) {
        NeuralNetConfiguration nnc = new NeuralNetConfiguration.Builder().dataType(dataType).layer(conf).build();
        return (FractionalMaxPooling2DLayer) nnc.getLayer().instantiate(nnc, List.of(), 0, null, false, dataType);
    }

    static long[] shape(CNN2DFormat format, long examples, long channels, long height, long width) {
        return format == CNN2DFormat.NCHW
                ? new long[] {examples, channels, height, width}
                : new long[] {examples, height, width, channels};
    }

    static int height(INDArray array, CNN2DFormat format) {
        return (int) array.size(format == CNN2DFormat.NCHW ? 2 : 1);
    }

    static int width(INDArray array, CNN2DFormat format) {
        return (int) array.size(format == CNN2DFormat.NCHW ? 3 : 2);
    }

    static int channels(INDArray array, CNN2DFormat format) {
        return (int) array.size(format == CNN2DFormat.NCHW ? 1 : 3);
    }

    static double get(INDArray array, CNN2DFormat format, int n, int c, int h, int w) {
        return format == CNN2DFormat.NCHW ? array.getDouble(n, c, h, w) : array.getDouble(n, h, w, c);
    }

    static void put(INDArray array, CNN2DFormat format, int n, int c, int h, int w, double value) {
        if (format == CNN2DFormat.NCHW) {
            array.putScalar(new int[] {n, c, h, w}, value);
        } else {
            array.putScalar(new int[] {n, h, w, c}, value);
        }
    }
}
