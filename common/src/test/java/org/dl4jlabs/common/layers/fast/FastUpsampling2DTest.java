package org.dl4jlabs.common.layers.fast;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.dl4jlabs.common.backend.Backend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FastUpsampling2DTest {

    @BeforeAll
    static void backend() {
        Backend.init(2);
    }

    private static MultiLayerConfiguration network(int[] size, CNN2DFormat format) {
        return new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT).updater(new Adam(1e-2)).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).dataFormat(format).activation(Activation.TANH).build())
                .layer(new Upsampling2D.Builder().size(size).dataFormat(format).build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).nOut(4).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(7, 6, 2, format))
                .build();
    }

    /** The upsampling layer of the network {@code conf} describes, as DL4J builds it or accelerated. */
    private static Layer upsampling(MultiLayerConfiguration conf, boolean accelerated) {
        MultiLayerNetwork net = accelerated ? FastLayers.acceleratedNetwork(conf) : new MultiLayerNetwork(conf);
        if (!accelerated) {
            net.init();
        }
        return net.getLayer(1);
    }

    /** Both passes of both layers on the same input and output gradient, compared to the bit. */
    private static void assertSameAsDl4j(int[] size, CNN2DFormat format, INDArray input) {
        Layer theirs = upsampling(network(size, format), false);
        Layer ours = upsampling(network(size, format), true);
        assertInstanceOf(FastUpsampling2DLayer.class, ours);
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
        theirs.setInput(input, noWorkspaces);
        ours.setInput(input, noWorkspaces);
        INDArray output = theirs.activate(true, noWorkspaces);
        assertSameFloats(output, ours.activate(true, noWorkspaces));
        INDArray outputGradient = Nd4j.rand(DataType.FLOAT, output.shape()).subi(0.5);
        assertSameFloats(theirs.backpropGradient(outputGradient, noWorkspaces).getSecond(),
                ours.backpropGradient(outputGradient, noWorkspaces).getSecond());
    }

    /** Same shape and exactly the same floats: INDArray.equals allows a small difference. */
    private static void assertSameFloats(INDArray expected, INDArray actual) {
        assertArrayEquals(expected.shape(), actual.shape());
        assertArrayEquals(expected.dup('c').data().asFloat(), actual.dup('c').data().asFloat());
    }

    @Test
    void channelsFirstImagesGoThroughOneDnnWithDl4jsValues() {
        long before = FastPath.fastPasses(FastUpsampling2DLayer.class);
        assertSameAsDl4j(new int[]{2, 2}, CNN2DFormat.NCHW, Nd4j.rand(DataType.FLOAT, 5, 3, 5, 4).subi(0.5));
        assertSameAsDl4j(new int[]{3, 2}, CNN2DFormat.NCHW, Nd4j.rand(DataType.FLOAT, 2, 3, 4, 6).subi(0.5));
        // A view that is not dense c-order: copied for oneDNN first.
        INDArray permuted = Nd4j.rand(DataType.FLOAT, 4, 5, 2, 3).permute(2, 3, 0, 1);
        assertSameAsDl4j(new int[]{2, 2}, CNN2DFormat.NCHW, permuted);
        assertEquals(before + 3, FastPath.fastPasses(FastUpsampling2DLayer.class));
    }

    @Test
    void channelsLastImagesRunThroughDl4j() {
        long before = FastPath.fallbacks(FastUpsampling2DLayer.class);
        assertSameAsDl4j(new int[]{2, 2}, CNN2DFormat.NHWC, Nd4j.rand(DataType.FLOAT, 2, 5, 4, 3));
        assertTrue(FastPath.fallbacks(FastUpsampling2DLayer.class) > before);
    }

    @Test
    void accelerateSwapsItInAndItSurvivesJson() {
        MultiLayerConfiguration fast = FastLayers.accelerate(network(new int[]{2, 2}, CNN2DFormat.NCHW));
        assertInstanceOf(FastUpsampling2D.class, fast.getConf(1).getLayer());
        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(fast.toJson());
        assertInstanceOf(FastUpsampling2D.class, restored.getConf(1).getLayer());
        assertEquals(fast, restored);
    }
}
