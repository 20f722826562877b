package org.dl4jlabs.common.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ChannelsLastImagesTest {

    private final ChannelsLastImages images = new ChannelsLastImages(2, 3, 4);
    private final LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();

    @Test
    void rowsOfChannelPlanesBecomeNhwcImagesAndGradientsGoBack() {
        INDArray rows = Nd4j.arange(2 * 24).castTo(DataType.FLOAT).reshape(2, 24);
        INDArray nhwc = images.preProcess(rows, 2, noWorkspaces);
        assertArrayEquals(new long[]{2, 2, 3, 4}, nhwc.shape());
        // example 1, row 1, column 2, channel 3: row offset 24 + channel plane 3 * 6 + 1 * 3 + 2
        assertEquals(24 + 18 + 3 + 2, nhwc.getFloat(1, 1, 2, 3), 0);
        assertEquals(rows, images.backprop(nhwc, 2, noWorkspaces));
        assertNull(images.backprop(null, 2, noWorkspaces), "a first layer without an input gradient");
    }

    @Test
    void copiesEveryLayoutOfFloatsAsTheStridedCopyDoes() {
        ChannelsLastImages cifarLike = new ChannelsLastImages(5, 7, 3);
        INDArray rows = Nd4j.rand(DataType.FLOAT, 4, 3 * 5 * 7);
        INDArray expected = rows.reshape('c', 4, 3, 5, 7).permute(0, 2, 3, 1).dup('c');
        assertArrayEquals(expected.data().asFloat(), cifarLike.preProcess(rows, 4, noWorkspaces).data().asFloat());
        assertArrayEquals(expected.data().asFloat(),
                cifarLike.preProcess(rows.reshape('c', 4, 3, 5, 7), 4, noWorkspaces).data().asFloat(), "NCHW images");
        assertArrayEquals(expected.data().asFloat(), cifarLike.preProcess(rows.dup('f'), 4, noWorkspaces).data().asFloat(),
                "column-major rows");
        INDArray padded = Nd4j.rand(DataType.FLOAT, 6, 3 * 5 * 7);
        padded.get(NDArrayIndex.interval(1, 5), NDArrayIndex.all()).assign(rows);
        assertArrayEquals(expected.data().asFloat(),
                cifarLike.preProcess(padded.get(NDArrayIndex.interval(1, 5), NDArrayIndex.all()), 4, noWorkspaces)
                        .data().asFloat(), "rows viewed from a larger batch");
        INDArray doubles = cifarLike.preProcess(rows.castTo(DataType.DOUBLE), 4, noWorkspaces);
        assertEquals(DataType.DOUBLE, doubles.dataType());
        assertEquals(expected.castTo(DataType.DOUBLE), doubles);
    }

    @Test
    void describesNhwcImagesAndSurvivesJson() {
        assertEquals(InputType.convolutional(2, 3, 4, CNN2DFormat.NHWC), images.getOutputType(InputType.feedForward(24)));
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .inputPreProcessor(0, images)
                .layer(new SubsamplingLayer.Builder(1, 1).dataFormat(CNN2DFormat.NHWC).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(24))
                .build();
        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(conf, restored);
        assertEquals(images, restored.getInputPreProcess(0));
    }
}
