package org.dl4jlabs.common.data.mnist;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.dl4jlabs.common.data.ImageClassData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratedDigitsTest {

    private static final int PIXELS = GeneratedDigits.SIZE * GeneratedDigits.SIZE;

    @TempDir
    Path cache;

    @Test
    void sameSeedGivesTheSameDigits() {
        GeneratedDigits.Split first = GeneratedDigits.generate(300, 11);
        GeneratedDigits.Split again = GeneratedDigits.generate(300, 11);
        GeneratedDigits.Split other = GeneratedDigits.generate(300, 12);
        assertArrayEquals(first.images().pixels(), again.images().pixels());
        assertArrayEquals(first.labels().labels(), again.labels().labels());
        assertFalse(Arrays.equals(first.images().pixels(), other.images().pixels()));
    }

    @Test
    void allTenDigitsAppearEquallyOftenInShuffledOrder() {
        GeneratedDigits.Split split = GeneratedDigits.generate(1003, 1);
        int[] counts = new int[10];
        int changes = 0;
        for (int i = 0; i < split.labels().count(); i++) {
            counts[split.labels().label(i)]++;
            changes += i > 0 && split.labels().label(i) != split.labels().label(i - 1) + 1 ? 1 : 0;
        }
        for (int count : counts) {
            assertTrue(count == 100 || count == 101, Arrays.toString(counts));
        }
        assertTrue(changes > 500, "labels are shuffled, not 0, 1, 2, ... in turn");
    }

    @Test
    void pixelsLookLikeInkOnADarkPage() {
        GeneratedDigits.Split split = GeneratedDigits.generate(500, 3);
        IdxImages images = split.images();
        assertEquals(28, images.height());
        assertEquals(28, images.width());
        double total = 0;
        for (int image = 0; image < images.count(); image++) {
            int max = 0;
            int ink = 0;
            double border = 0;
            for (int i = 0; i < PIXELS; i++) {
                int value = images.pixel(image, i);
                max = Math.max(max, value);
                ink += value > 128 ? 1 : 0;
                total += value;
                int row = i / 28;
                int column = i % 28;
                if (row == 0 || row == 27 || column == 0 || column == 27) {
                    border += value;
                }
            }
            assertTrue(max >= 200, "image " + image + " has strong ink, max " + max);
            assertTrue(ink >= 10 && ink <= 300, "image " + image + " has " + ink + " inked pixels");
            assertTrue(border / 108 < 20, "image " + image + " has a dark border, mean " + border / 108);
        }
        double mean = total / images.count() / PIXELS / 255;
        assertTrue(mean > 0.07 && mean < 0.25, "mean intensity " + mean + " (MNIST: 0.13)");
    }

    @Test
    void loadWritesIdxFilesAndReadsThemBackThroughTheRecordReader() throws Exception {
        GeneratedDigits.Spec spec = new GeneratedDigits.Spec(120, 40, 5);
        ImageClassData data = GeneratedDigits.load(cache, spec);

        assertEquals("generated-digits", data.name());
        assertEquals(IdxRecordReader.DIGITS, data.classNames());
        assertEquals(28, data.height());
        assertEquals(28, data.width());
        assertEquals(1, data.channels());
        assertArrayEquals(new long[] {120, PIXELS}, data.train().getFeatures().shape());
        assertArrayEquals(new long[] {40, 10}, data.test().getLabels().shape());

        Path directory = Path.of(data.source());
        assertEquals(cache.resolve("generated-digits"), directory.getParent());
        IdxImages written = Idx.readImages(directory.resolve(Mnist.TEST_IMAGES));
        IdxLabels labels = Idx.readLabels(directory.resolve(Mnist.TEST_LABELS));
        for (int image : new int[] {0, 17, 39}) {
            assertEquals(labels.label(image), data.test().getLabels().getRow(image).argMax().getInt(0));
            for (int i = 0; i < PIXELS; i += 29) {
                assertEquals(written.pixel(image, i) / 255.0, data.test().getFeatures().getDouble(image, i), 1e-6);
            }
        }
    }

    @Test
    void cachedDigitsAreReusedAndDamagedOnesMadeAgain() throws Exception {
        GeneratedDigits.Spec spec = new GeneratedDigits.Spec(50, 20, 9);
        Path directory = Path.of(GeneratedDigits.load(cache, spec).source());
        Path trainImages = directory.resolve(Mnist.TRAIN_IMAGES);
        byte[] good = Files.readAllBytes(trainImages);
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(trainImages, old);

        GeneratedDigits.load(cache, spec);
        assertEquals(old, Files.getLastModifiedTime(trainImages), "intact files are reused as they are");

        byte[] damaged = good.clone();
        damaged[500] ^= 0x55;
        Files.write(trainImages, damaged);
        GeneratedDigits.load(cache, spec);
        assertArrayEquals(good, Files.readAllBytes(trainImages));
    }

    /**
     * A scaled-down check of the calibration: at the default 12,000 training digits the reference MLP
     * (784-256-128-10, Adam 1e-3, batch 128) reaches about 97% after 3-5 epochs. On 3,000 digits it
     * reaches about 90% in 6 epochs: clearly learnable, far from trivial.
     */
    @Test
    void aSmallPerceptronLearnsThemWellButNotPerfectly() {
        ImageClassData data = GeneratedDigits.load(cache, new GeneratedDigits.Spec(3_000, 500, 42));
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(1)
                .updater(new Adam(1e-3))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nOut(256).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(PIXELS))
                .build());
        net.init();
        for (int epoch = 0; epoch < 6; epoch++) {
            net.fit(new ViewIterator(data.train(), 128));
        }
        double accuracy = net.evaluate(new ViewIterator(data.test(), 500)).accuracy();
        assertTrue(accuracy > 0.85 && accuracy < 0.99, "test accuracy " + accuracy);
    }
}
