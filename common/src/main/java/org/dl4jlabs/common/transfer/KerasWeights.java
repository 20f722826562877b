package org.dl4jlabs.common.transfer;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import io.jhdf.exceptions.HdfException;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.io.IoErrors;
import org.dl4jlabs.common.io.UserFiles;
import org.dl4jlabs.common.io.AtomicFiles;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Keras' weight files (HDF5, as {@code model.save_weights} writes them and as Keras publishes
 * VGG16's), read into and written from the networks of {@link Vgg16Model}, layer by layer and by name.
 * <p>
 * A Keras weight file holds a group per layer and, somewhere under it, the layer's kernel and bias.
 * Their dataset names differ between Keras versions ({@code kernel:0}, {@code block1_conv1_W_1:0}), so
 * they are told apart by rank: a convolution's kernel has four dimensions, a dense layer's two, a bias
 * one. Keras stores a convolution kernel as [rows, columns, in, out] and DL4J as [out, in, rows,
 * columns]; a dense kernel is [in, out] in both, and the first dense layer's rows follow the order in
 * which the channels-last maps are flattened, which is DL4J's order too for a channels-last network.
 * Whole datasets are read at once (fc1 of the full VGG16 holds 102.8 million values).
 */
public final class KerasWeights {

    private KerasWeights() {
    }

    /**
     * Copies the weights of every layer named in {@code layers} from {@code file} into {@code net}.
     * A missing layer or a shape that does not fit is an error that names the layer and both shapes.
     */
    public static void load(Path file, MultiLayerNetwork net, List<String> layers) {
        UserFiles.requireFile(file, "the weights file");
        try (HdfFile h5 = new HdfFile(file)) {
            for (String name : layers) {
                Layer layer = layer(net, name);
                Node group = h5.getChildren().get(name);
                if (!(group instanceof Group layerGroup)) {
                    throw new LabsException(file + " has no weights for layer " + name + "; it is not a VGG16 weight"
                            + " file in Keras' layout (it holds: " + String.join(", ", h5.getChildren().keySet()) + ")");
                }
                List<Dataset> datasets = new ArrayList<>();
                collect(layerGroup, datasets);
                copy(file, name, datasets, layer);
            }
        } catch (HdfException e) {
            throw new LabsException(file + " cannot be read as an HDF5 weight file (" + e.getMessage() + "); if it"
                    + " was downloaded, delete it and download it again", e);
        }
    }

    private static void collect(Group group, List<Dataset> into) {
        for (Node child : group.getChildren().values()) {
            if (child instanceof Dataset dataset) {
                into.add(dataset);
            } else if (child instanceof Group subgroup) {
                collect(subgroup, into);
            }
        }
    }

    private static void copy(Path file, String name, List<Dataset> datasets, Layer layer) {
        INDArray weights = layer.getParam("W");
        INDArray bias = layer.getParam("b");
        Dataset kernel = datasets.stream().filter(d -> d.getDimensions().length == weights.rank()).findFirst()
                .orElseThrow(() -> new LabsException(file + ": layer " + name + " has no kernel of rank "
                        + weights.rank() + " (datasets: " + describe(datasets) + ")"));
        Dataset biasSet = datasets.stream().filter(d -> d.getDimensions().length == 1).findFirst()
                .orElseThrow(() -> new LabsException(file + ": layer " + name + " has no bias"));
        long[] expected = weights.rank() == 4
                ? new long[]{weights.size(2), weights.size(3), weights.size(1), weights.size(0)} // to Keras' order
                : weights.shape();
        long[] actual = Arrays.stream(kernel.getDimensions()).asLongStream().toArray();
        if (!Arrays.equals(expected, actual) || biasSet.getDimensions()[0] != bias.length()) {
            throw new LabsException(file + ": layer " + name + " has a kernel of shape " + Arrays.toString(actual)
                    + " and a bias of " + biasSet.getDimensions()[0] + ", but this network's " + name + " needs "
                    + Arrays.toString(expected) + " and " + bias.length() + "; the file is for another network");
        }
        INDArray keras = Nd4j.create(floats(kernel), actual, DataType.FLOAT);
        weights.assign(weights.rank() == 4 ? keras.permute(3, 2, 0, 1) : keras);
        bias.assign(Nd4j.create(floats(biasSet), bias.shape(), DataType.FLOAT));
    }

    private static float[] floats(Dataset dataset) {
        Object data = dataset.getDataFlat();
        if (data instanceof float[] values) {
            return values;
        }
        if (data instanceof double[] values) {
            float[] converted = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                converted[i] = (float) values[i];
            }
            return converted;
        }
        throw new LabsException(dataset.getPath() + " holds " + dataset.getJavaType().getSimpleName()
                + " values, not floating-point weights");
    }

    private static String describe(List<Dataset> datasets) {
        return datasets.stream().map(d -> d.getName() + Arrays.toString(d.getDimensions())).toList().toString();
    }

    /**
     * Writes the weights of {@code layers} of {@code net} to {@code file} in Keras' layout
     * ({@code NAME/NAME/kernel:0} and {@code bias:0}, with the {@code layer_names} and
     * {@code weight_names} attributes Keras' loader reads), atomically.
     */
    public static void save(MultiLayerNetwork net, List<String> layers, Path file) {
        try {
            AtomicFiles.writeFile(file, temporary -> {
                try (WritableHdfFile h5 = HdfFile.write(temporary)) {
                    h5.putAttribute("layer_names", layers.toArray(String[]::new));
                    for (String name : layers) {
                        Layer layer = layer(net, name);
                        WritableGroup group = h5.putGroup(name);
                        group.putAttribute("weight_names", new String[]{name + "/kernel:0", name + "/bias:0"});
                        WritableGroup inner = group.putGroup(name);
                        INDArray weights = layer.getParam("W");
                        INDArray keras = weights.rank() == 4 ? weights.permute(2, 3, 1, 0) : weights;
                        inner.putDataset("kernel:0", nested(keras));
                        inner.putDataset("bias:0", layer.getParam("b").castTo(DataType.FLOAT).toFloatVector());
                    }
                }
            });
        } catch (IOException e) {
            throw new LabsException("could not write " + file + ": " + IoErrors.reason(e), e);
        }
    }

    /** A kernel as the nested Java array jHDF writes: float[][] or float[][][][]. */
    private static Object nested(INDArray kernel) {
        float[] flat = kernel.dup('c').castTo(DataType.FLOAT).data().asFloat();
        long[] shape = kernel.shape();
        if (shape.length == 2) {
            float[][] matrix = new float[(int) shape[0]][(int) shape[1]];
            for (int i = 0; i < shape[0]; i++) {
                System.arraycopy(flat, (int) (i * shape[1]), matrix[i], 0, (int) shape[1]);
            }
            return matrix;
        }
        int a = (int) shape[0], b = (int) shape[1], c = (int) shape[2], d = (int) shape[3];
        float[][][][] tensor = new float[a][b][c][d];
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                for (int k = 0; k < c; k++) {
                    System.arraycopy(flat, ((i * b + j) * c + k) * d, tensor[i][j][k], 0, d);
                }
            }
        }
        return tensor;
    }

    private static Layer layer(MultiLayerNetwork net, String name) {
        for (Layer layer : net.getLayers()) {
            if (name.equals(layer.conf().getLayer().getLayerName())) {
                if (layer.getParam("W") == null) {
                    throw new IllegalArgumentException(name + " has no weights");
                }
                return layer;
            }
        }
        throw new IllegalArgumentException("the network has no layer " + name);
    }
}
