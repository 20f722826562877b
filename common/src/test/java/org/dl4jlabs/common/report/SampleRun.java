package org.dl4jlabs.common.report;

import org.dl4jlabs.common.backend.BackendInfo;
import org.dl4jlabs.common.data.ImageShape;
import org.dl4jlabs.common.eval.ClassificationEvaluator;
import org.dl4jlabs.common.eval.ClassificationResult;
import org.dl4jlabs.common.train.EpochStats;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A made-up but plausible classifier run: pictures of each class's name, and predictions that are
 * right about {@code accuracy} of the time, with most mistakes going to a neighbouring class.
 */
final class SampleRun {

    final List<String> classNames;
    final ImageShape shape;
    final DataSet testSet;
    final INDArray probabilities;
    final ClassificationResult result;
    final List<EpochStats> history;
    final RunReport report;

    SampleRun(List<String> classNames, ImageShape shape, int examples, double accuracy, long seed) {
        this.classNames = classNames;
        this.shape = shape;
        Random random = new Random(seed);
        int classes = classNames.size();

        INDArray features = Nd4j.create(examples, shape.length());
        INDArray labels = Nd4j.zeros(examples, classes);
        probabilities = Nd4j.create(examples, classes);
        for (int i = 0; i < examples; i++) {
            int actual = i % classes;
            labels.putScalar(i, actual, 1);
            features.putRow(i, Nd4j.create(picture(classNames.get(actual), shape, random)));
            int predicted = random.nextDouble() < accuracy ? actual
                    : (actual + 1 + random.nextInt(Math.min(3, classes - 1))) % classes;
            probabilities.putRow(i, Nd4j.create(probabilitiesFavouring(predicted, classes, random)));
        }
        testSet = new DataSet(features, labels);
        // The "model" looks the probabilities up, so the whole test set must come in one batch.
        result = new ClassificationEvaluator(classNames, 24).evaluate(batch -> probabilities, testSet, examples);

        history = new ArrayList<>();
        for (int epoch = 1; epoch <= 12; epoch++) {
            double trainLoss = 0.05 + 1.6 / (epoch + 0.6);
            double testLoss = 0.15 + 1.4 / (epoch + 0.9) + 0.012 * epoch;
            double testAccuracy = accuracy - 0.35 / (epoch * epoch + 1.0);
            history.add(new EpochStats(epoch, trainLoss, testLoss, testAccuracy, 4.2 + 0.1 * random.nextDouble()));
        }
        report = RunReport.builder(classes > 10 ? "cifar-cnn" : "mnist-mlp", "train")
                .dataset(classes > 10 ? "CIFAR-100 (sample)" : "MNIST (sample)", 60_000, examples)
                .training(history.size(), history.stream().mapToDouble(EpochStats::seconds).sum())
                .history(history)
                .metrics(result)
                .backend(new BackendInfo("CPU", true, 2))
                .seed(seed)
                .config("hidden", List.of(256, 128))
                .config("activation", "relu")
                .config("learning_rate", 0.001)
                .config("batch_size", 64)
                .build();
    }

    /** The end of the class name in white on black (gray) or in a random colour on a dark one (RGB), CHW order. */
    private static float[] picture(String text, ImageShape shape, Random random) {
        BufferedImage image = new BufferedImage(shape.width(), shape.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(shape.channels() == 1 ? Color.BLACK
                : new Color(random.nextInt(64), random.nextInt(64), random.nextInt(64)));
        g.fillRect(0, 0, shape.width(), shape.height());
        g.setColor(shape.channels() == 1 ? Color.WHITE : Color.getHSBColor(random.nextFloat(), 0.7f, 1f));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, shape.height() * 2 / 3));
        g.drawString(text.substring(Math.max(0, text.length() - 2)), 2 + random.nextInt(4), shape.height() * 3 / 4);
        g.dispose();

        int plane = shape.height() * shape.width();
        float[] values = new float[shape.length()];
        for (int pixel = 0; pixel < plane; pixel++) {
            int rgb = image.getRGB(pixel % shape.width(), pixel / shape.width());
            for (int channel = 0; channel < shape.channels(); channel++) {
                int shift = shape.channels() == 1 ? 0 : 16 - 8 * channel;
                // Normalized the way apps often do, to show that display rescales per image.
                values[channel * plane + pixel] = (((rgb >> shift) & 0xFF) / 255f - 0.5f) / 0.25f;
            }
        }
        return values;
    }

    private static double[] probabilitiesFavouring(int favourite, int classes, Random random) {
        double[] p = IntStream.range(0, classes).mapToDouble(c -> random.nextDouble()).toArray();
        p[favourite] += classes * (0.3 + random.nextDouble());
        double sum = IntStream.range(0, classes).mapToDouble(c -> p[c]).sum();
        return IntStream.range(0, classes).mapToDouble(c -> p[c] / sum).toArray();
    }

    static SampleRun digits() {
        List<String> names = IntStream.range(0, 10).mapToObj(Integer::toString).toList();
        return new SampleRun(names, new ImageShape(28, 28, 1), 500, 0.93, 42);
    }

    static SampleRun hundredClasses() {
        List<String> names = IntStream.range(0, 100).mapToObj(i -> "class_" + i).toList();
        return new SampleRun(names, new ImageShape(32, 32, 3), 2000, 0.6, 7);
    }
}
