package org.dl4jlabs.transfer;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jlabs.common.train.Network;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/** The most probable classes of each photo, as {@code predict} prints them. */
final class TopClasses {

    /** Photos per forward pass: VGG16 on 224x224 photos makes large activations. */
    private static final int BATCH = 16;

    private TopClasses() {
    }

    /** One line per photo: its file, then the {@code top} classes with their probabilities, most probable first. */
    static List<String> describe(MultiLayerNetwork net, INDArray photos, List<String> classes, int top, List<Path> files) {
        INDArray probabilities = Network.of(net).output(photos, BATCH);
        List<String> lines = new ArrayList<>();
        for (int row = 0; row < probabilities.size(0); row++) {
            double[] p = probabilities.getRow(row).toDoubleVector();
            StringBuilder line = new StringBuilder(files.get(row).toString());
            IntStream.range(0, p.length).boxed().sorted(Comparator.comparingDouble(i -> -p[i])).limit(top)
                    .forEach(i -> line.append(String.format("\t%s %.4f", classes.get(i), p[i])));
            lines.add(line.toString());
        }
        return lines;
    }
}
