package org.dl4jlabs.common.transfer;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.zoo.model.VGG16;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.transfer.Vgg16Model.Head;
import org.dl4jlabs.common.transfer.Vgg16Model.Pooling;
import org.dl4jlabs.common.transfer.Vgg16Model.Width;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KerasWeightsTest {

    @TempDir
    Path dir;

    private static final int SIZE = 64; // block5_pool is 2x2, so the flatten order matters

    private static MultiLayerNetwork narrow(long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(Vgg16Model.withHead(Width.QUARTER, SIZE,
                new Head(Pooling.FLATTEN, 6, 0, 2), 1e-3, seed));
        net.init();
        return net;
    }

    private static float[] random(int length, Random random) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = (float) random.nextGaussian() * 0.1f;
        }
        return values;
    }

    /** Keras' own layout, written by hand: kernels [rows, columns, in, out] and [in, out], Keras-1 dataset names. */
    private static void writeKerasFile(Path file, MultiLayerNetwork shapes, List<String> layers,
                                       java.util.Map<String, float[]> kernels, java.util.Map<String, long[]> kernelShapes) {
        Random random = new Random(5);
        try (WritableHdfFile h5 = HdfFile.write(file)) {
            for (String name : layers) {
                INDArray w = shapes.getLayer(name).getParam("W");
                long[] shape = w.rank() == 4 ? new long[]{w.size(2), w.size(3), w.size(1), w.size(0)} : w.shape();
                float[] kernel = random((int) w.length(), random);
                kernels.put(name, kernel);
                kernelShapes.put(name, shape);
                WritableGroup inner = h5.putGroup(name).putGroup(name);
                INDArray keras = Nd4j.create(kernel, shape, DataType.FLOAT);
                inner.putDataset(name + "_W_1:0", shape.length == 4 ? tensor(keras) : keras.toFloatMatrix());
                inner.putDataset(name + "_b_1:0", random((int) shapes.getLayer(name).getParam("b").length(), random));
            }
        }
    }

    private static float[][][][] tensor(INDArray a) {
        int[] s = java.util.Arrays.stream(a.shape()).mapToInt(x -> (int) x).toArray();
        float[][][][] t = new float[s[0]][s[1]][s[2]][s[3]];
        for (int i = 0; i < s[0]; i++) for (int j = 0; j < s[1]; j++) for (int k = 0; k < s[2]; k++) for (int l = 0; l < s[3]; l++)
            t[i][j][k][l] = a.getFloat(i, j, k, l);
        return t;
    }

    @Test
    void aConvolutionLoadsWithItsKernelPermutedAndComputesAsKerasWould() {
        Path file = dir.resolve("weights.h5");
        MultiLayerNetwork net = narrow(1);
        var kernels = new java.util.HashMap<String, float[]>();
        var shapes = new java.util.HashMap<String, long[]>();
        writeKerasFile(file, net, List.of("block1_conv1"), kernels, shapes);

        KerasWeights.load(file, net, List.of("block1_conv1"));

        INDArray input = Nd4j.rand(DataType.FLOAT, 1, 3 * SIZE * SIZE);
        INDArray output = net.feedForwardToLayer(0, input).get(1); // NHWC [1, 64, 64, 16]
        INDArray prepared = VggInput.prepare(input, SIZE, SIZE); // what the first convolution sees
        INDArray bias = net.getLayer("block1_conv1").getParam("b");
        float[] k = kernels.get("block1_conv1"); // [3, 3, 3, 16]
        for (int[] at : new int[][]{{0, 0, 0}, {10, 20, 5}, {63, 1, 15}, {31, 63, 7}}) {
            int y = at[0], x = at[1], out = at[2];
            double sum = bias.getDouble(out);
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int yy = y + dy, xx = x + dx;
                    if (yy < 0 || xx < 0 || yy >= SIZE || xx >= SIZE) {
                        continue; // same padding
                    }
                    for (int in = 0; in < 3; in++) {
                        double pixel = prepared.getDouble(0, yy, xx, in);
                        sum += pixel * k[(((dy + 1) * 3 + (dx + 1)) * 3 + in) * 16 + out];
                    }
                }
            }
            assertEquals(Math.max(0, sum), output.getDouble(0, y, x, out), 1e-4, "output at " + java.util.Arrays.toString(at));
        }
    }

    @Test
    void theFirstDenseLayerReadsTheMapsInKerasFlattenOrder() {
        Path file = dir.resolve("weights.h5");
        MultiLayerNetwork net = narrow(2);
        var kernels = new java.util.HashMap<String, float[]>();
        var shapes = new java.util.HashMap<String, long[]>();
        writeKerasFile(file, net, List.of("head_dense"), kernels, shapes);

        KerasWeights.load(file, net, List.of("head_dense"));

        INDArray input = Nd4j.rand(DataType.FLOAT, 1, 3 * SIZE * SIZE);
        List<INDArray> activations = net.feedForward(input, false);
        int pool = Vgg16Model.indexOf("block5_pool");
        INDArray maps = activations.get(pool + 1); // NHWC [1, 2, 2, 128]
        INDArray dense = activations.get(pool + 2);
        assertArrayEquals(new long[]{1, 2, 2, 128}, maps.shape());
        float[] k = kernels.get("head_dense"); // [512, 6], rows in (row, column, channel) order
        INDArray bias = net.getLayer("head_dense").getParam("b");
        for (int unit = 0; unit < 6; unit++) {
            double sum = bias.getDouble(unit);
            for (int y = 0; y < 2; y++) for (int x = 0; x < 2; x++) for (int c = 0; c < 128; c++)
                sum += maps.getDouble(0, y, x, c) * k[((y * 2 + x) * 128 + c) * 6 + unit];
            assertEquals(Math.max(0, sum), dense.getDouble(0, unit), 1e-4, "unit " + unit);
        }
    }

    @Test
    void savedWeightsLoadBackBitForBit() {
        MultiLayerNetwork trained = narrow(3);
        MultiLayerNetwork fresh = narrow(4);
        List<String> layers = new java.util.ArrayList<>(Vgg16Model.BASE_LAYERS.stream()
                .filter(name -> !name.endsWith("_pool")).toList());
        layers.add("head_dense");
        Path file = dir.resolve("saved.h5");

        KerasWeights.save(trained, layers, file);
        KerasWeights.load(file, fresh, layers);

        for (String name : layers) {
            assertEquals(trained.getLayer(name).getParam("W"), fresh.getLayer(name).getParam("W"), name);
            assertEquals(trained.getLayer(name).getParam("b"), fresh.getLayer(name).getParam("b"), name);
        }
    }

    @Test
    void aFileForAnotherNetworkNamesTheLayerAndTheShapes() {
        Path file = dir.resolve("quarter.h5");
        KerasWeights.save(narrow(5), List.of("block1_conv1", "block1_conv2"), file);
        MultiLayerNetwork full = new MultiLayerNetwork(Vgg16Model.withHead(Width.FULL, 32,
                new Head(Pooling.AVERAGE, 0, 0, 2), 1e-3, 1));
        full.init();

        String shapes = assertThrows(LabsException.class,
                () -> KerasWeights.load(file, full, List.of("block1_conv1"))).getMessage();
        assertTrue(shapes.contains("block1_conv1") && shapes.contains("[3, 3, 3, 16]") && shapes.contains("[3, 3, 3, 64]"),
                shapes);
        String missing = assertThrows(LabsException.class,
                () -> KerasWeights.load(file, full, List.of("block2_conv1"))).getMessage();
        assertTrue(missing.contains("no weights for layer block2_conv1"), missing);
    }

    @Test
    void theNetworkIsTheZoosVgg16LayerForLayer() {
        var zoo = VGG16.builder().numClasses(1000).build().conf();
        MultiLayerConfiguration ours = Vgg16Model.imagenet(1);
        for (int i = 0; i < 21; i++) {
            Layer theirs = zoo.getVertices().get(String.valueOf(i)) instanceof
                    org.deeplearning4j.nn.conf.graph.LayerVertex vertex ? vertex.getLayerConf().getLayer() : null;
            Layer mine = ours.getConf(i).getLayer();
            assertEquals(theirs.getClass(), mine.getClass(), "layer " + i);
            if (mine instanceof ConvolutionLayer conv) {
                assertEquals(((ConvolutionLayer) theirs).getNOut(), conv.getNOut(), mine.getLayerName());
                assertArrayEquals(((ConvolutionLayer) theirs).getKernelSize(), conv.getKernelSize());
            } else if (mine instanceof DenseLayer dense) {
                assertEquals(((DenseLayer) theirs).getNOut(), dense.getNOut(), mine.getLayerName());
            } else if (mine instanceof SubsamplingLayer pool) {
                assertArrayEquals(((SubsamplingLayer) theirs).getStride(), pool.getStride());
            }
        }
    }

    @Test
    void photosArePreparedAsTheWeightsWereTrained() {
        // A 1x2 photo as a row of three planes: pixel 0 is (R 1, G 0.5, B 0), pixel 1 is (0, 0, 0.2).
        INDArray rgb = Nd4j.createFromArray(new float[][]{{1f, 0f, 0.5f, 0f, 0f, 0.2f}});
        INDArray bgr = VggInput.prepare(rgb, 1, 2); // [1, 1, 2, 3], channels last
        assertEquals(0 - 103.939, bgr.getDouble(0, 0, 0, 0), 1e-3, "blue first");
        assertEquals(127.5 - 116.779, bgr.getDouble(0, 0, 0, 1), 1e-3);
        assertEquals(255 - 123.68, bgr.getDouble(0, 0, 0, 2), 1e-3, "red last");
        assertEquals(51 - 103.939, bgr.getDouble(0, 0, 1, 0), 1e-3);
        assertEquals(0 - 123.68, bgr.getDouble(0, 0, 1, 2), 1e-3);
    }
}
