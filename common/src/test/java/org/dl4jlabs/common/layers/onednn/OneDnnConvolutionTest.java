package org.dl4jlabs.common.layers.onednn;

import org.dl4jlabs.common.backend.Backend;
import org.dl4jlabs.common.layers.onednn.OneDnnConvolution.Geometry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The oneDNN primitives against libnd4j's {@code conv2d} and {@code conv2d_bp} ops, where DL4J's own
 * layer is no reference: in NHWC, when the stride leaves input cells over, its gradients disagree
 * with both.
 */
class OneDnnConvolutionTest {

    /** conv2d / conv2d_bp integer arguments after kernel, stride, padding and dilation. */
    private static final int TRUNCATE = 0;
    private static final int NHWC = 1;
    private static final int WEIGHTS_OUT_IN_KH_KW = 1;

    @BeforeAll
    static void backend() {
        Backend.init(2);
    }

    @Test
    void stridedWindowsThatLeaveCellsOverMatchLibnd4jAndGiveThoseCellsNoGradient() {
        // 9 cells, 2-wide windows, stride 2: four windows, the ninth cell in none.
        int batch = 2;
        int side = 9;
        int in = 3;
        int out = 4;
        SlidingWindow window = new SlidingWindow(batch, in, side, side, 4, 4, 2, 2, 2, 2, 1, 1, 0, 0, true);
        Geometry geometry = new Geometry(window, out, true, null);
        Nd4j.getRandom().setSeed(5);
        INDArray input = Nd4j.rand(DataType.FLOAT, window.inputShape());
        INDArray weights = Nd4j.rand(DataType.FLOAT, out, in, 2, 2).subi(0.5);
        INDArray bias = Nd4j.rand(DataType.FLOAT, 1, out);
        INDArray delta = Nd4j.rand(DataType.FLOAT, window.outputShape(out)).subi(0.5);

        int[] arguments = {2, 2, 2, 2, 0, 0, 1, 1, TRUNCATE, NHWC, WEIGHTS_OUT_IN_KH_KW};
        INDArray expectedOutput = Nd4j.create(DataType.FLOAT, window.outputShape(out));
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(input, weights, bias).addOutputs(expectedOutput)
                .addIntegerArguments(arguments).build());
        INDArray expectedInputGradient = input.like();
        INDArray expectedWeightGradient = weights.like();
        INDArray expectedBiasGradient = bias.like();
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(input, weights, bias, delta)
                .addOutputs(expectedInputGradient, expectedWeightGradient, expectedBiasGradient)
                .addIntegerArguments(arguments).build());

        OneDnnConvolution convolution = new OneDnnConvolution();
        INDArray output = Nd4j.create(DataType.FLOAT, window.outputShape(out));
        convolution.forward(geometry, input, weights, bias, output);
        INDArray weightGradient = weights.like();
        INDArray biasGradient = bias.like();
        convolution.backwardWeights(geometry, input, delta, weightGradient, biasGradient);
        INDArray inputGradient = input.like().assign(7); // what was there before must not survive
        convolution.backwardData(geometry, delta, weights, inputGradient);

        assertEquals(0, expectedOutput.sub(output).amaxNumber().doubleValue(), 1e-5, "outputs");
        assertEquals(0, expectedWeightGradient.sub(weightGradient).amaxNumber().doubleValue(), 1e-5, "weight gradient");
        assertEquals(0, expectedBiasGradient.sub(biasGradient).amaxNumber().doubleValue(), 1e-5, "bias gradient");
        assertEquals(0, expectedInputGradient.sub(inputGradient).amaxNumber().doubleValue(), 1e-5, "input gradient");
        assertEquals(0, inputGradient.get(NDArrayIndex.all(),
                NDArrayIndex.point(side - 1)).amaxNumber().doubleValue(),
                "the last row is in no window");
    }
}
