package org.dl4jlabs.common.data.mnist;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.ImageClassData;
import org.dl4jlabs.common.data.download.Checksum;
import org.dl4jlabs.common.io.AtomicFiles;
import org.dl4jlabs.common.io.IoErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Handwriting-like digits drawn by the suite itself, so every lab runs without a download: 28x28
 * grayscale images in MNIST's layout (white ink on black), each digit written with wobbly pen
 * strokes ({@link DigitStrokes}) in a random pose, pen width and amount of pixel noise. No fonts are
 * used, so the images do not depend on what a machine has installed.
 *
 * <p>The difficulty is set so that a plain multilayer perceptron learns them well but not perfectly
 * (about 96-98% test accuracy), leaving room to see one model beat another.
 *
 * <p>The images are written as IDX files and read back like any other MNIST-layout directory, so the
 * labs exercise the real loading code. A data set is the same for the same {@link Spec}; it is
 * generated once into the cache and reused.
 */
public final class GeneratedDigits {

    public static final String NAME = "generated-digits";
    public static final int SIZE = 28;

    /** Bump when the drawing changes, so caches of the old drawings are not reused. */
    private static final int VERSION = 1;
    /** Lists the SHA-256 of each file, written last: a directory without it was never finished. */
    private static final String MANIFEST = "SHA256SUMS";

    private static final double MIN_HEIGHT = 16;
    private static final double MAX_HEIGHT = 22;
    private static final double MIN_ASPECT = 0.75;
    private static final double MAX_ASPECT = 1.05;
    private static final double MAX_SHIFT = 2.5;
    private static final double MAX_ROTATION_DEGREES = 15;
    /** Horizontal shear; negative leans the top to the right, as most handwriting does. */
    private static final double MIN_SLANT = -0.45;
    private static final double MAX_SLANT = 0.15;
    private static final double MIN_PEN = 1.3;
    private static final double MAX_PEN = 3.2;
    /** Standard deviation of the pixel noise, in gray levels, at most. */
    private static final double MAX_NOISE = 20;

    private static final Logger log = LoggerFactory.getLogger(GeneratedDigits.class);

    private GeneratedDigits() {
    }

    /**
     * How much data to generate, and from which seed.
     *
     * @param trainSize training images
     * @param testSize  test images
     * @param seed      the same seed gives the same images
     */
    public record Spec(int trainSize, int testSize, long seed) {

        public static final Spec DEFAULT = new Spec(12_000, 2_000, 42);

        public Spec {
            if (trainSize <= 0 || testSize <= 0) {
                throw new IllegalArgumentException("sizes must be positive: " + trainSize + ", " + testSize);
            }
        }

        String directoryName() {
            return "v" + VERSION + "-" + trainSize + "-" + testSize + "-seed" + seed;
        }
    }

    /** Images with their labels. */
    public record Split(IdxImages images, IdxLabels labels) {
    }

    /**
     * Loads generated digits from the cache, generating them first if they are not there (or not
     * intact). They live in {@code cacheDirectory/generated-digits/v<version>-<train>-<test>-seed<seed>}.
     */
    public static ImageClassData load(Path cacheDirectory, Spec spec) {
        Path directory = cacheDirectory.resolve(NAME).resolve(spec.directoryName());
        if (isIntact(directory)) {
            log.debug("Using generated digits in {}", directory);
        } else {
            log.info("Generating {} training and {} test digits into {}", spec.trainSize(), spec.testSize(),
                    directory);
            write(directory, spec);
        }
        return Mnist.load(directory, NAME);
    }

    /** Generates a data set into {@code directory} as MNIST-layout IDX files, replacing any there. */
    public static void write(Path directory, Spec spec) {
        Random splits = new Random(spec.seed());
        Split train = generate(spec.trainSize(), splits.nextLong());
        Split test = generate(spec.testSize(), splits.nextLong());
        Mnist.write(directory, train.images(), train.labels(), test.images(), test.labels());
        StringBuilder manifest = new StringBuilder();
        for (String file : List.of(Mnist.TRAIN_IMAGES, Mnist.TRAIN_LABELS, Mnist.TEST_IMAGES, Mnist.TEST_LABELS)) {
            String sha = Checksum.of("SHA-256", directory.resolve(file)).hex();
            manifest.append(sha).append("  ").append(file).append('\n'); // the format sha256sum -c reads
        }
        try {
            AtomicFiles.writeString(directory.resolve(MANIFEST), manifest.toString());
        } catch (IOException e) {
            throw new LabsException("Could not write " + directory.resolve(MANIFEST) + ": " + IoErrors.reason(e), e);
        }
    }

    private static boolean isIntact(Path directory) {
        Path manifest = directory.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return false;
        }
        try {
            List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
            return lines.size() == 4 && lines.stream().allMatch(line -> {
                String[] shaAndFile = line.split(" {2}", 2);
                return shaAndFile.length == 2
                        && Checksum.sha256(shaAndFile[0]).matches(directory.resolve(shaAndFile[1]));
            });
        } catch (IOException | IllegalArgumentException e) {
            log.debug("Unreadable manifest {}; generating again", manifest, e);
            return false;
        }
    }

    /**
     * Draws {@code count} digits, the ten classes equally often (up to one) in random order.
     */
    public static Split generate(int count, long seed) {
        Random random = new Random(seed);
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) (i % 10);
        }
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            byte swap = labels[i];
            labels[i] = labels[j];
            labels[j] = swap;
        }
        // Each image gets its own random stream, so drawing them in parallel stays deterministic.
        long[] imageSeeds = random.longs(count).toArray();
        byte[] pixels = new byte[count * SIZE * SIZE];
        IntStream.range(0, count).parallel()
                .forEach(i -> draw(labels[i], new Random(imageSeeds[i]), pixels, i * SIZE * SIZE));
        return new Split(new IdxImages(count, SIZE, SIZE, pixels), new IdxLabels(labels));
    }

    private static void draw(int digit, Random random, byte[] into, int offset) {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            AffineTransform pose = pose(random);
            double pen = uniform(random, MIN_PEN, MAX_PEN);
            for (Path2D stroke : DigitStrokes.of(digit, random)) {
                // Pressure varies a little from stroke to stroke.
                float width = (float) (pen * uniform(random, 0.85, 1.15));
                g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.draw(pose.createTransformedShape(stroke));
            }
        } finally {
            g.dispose();
        }
        int[] ink = image.getRaster().getPixels(0, 0, SIZE, SIZE, (int[]) null);
        double noise = uniform(random, 0, MAX_NOISE);
        for (int i = 0; i < ink.length; i++) {
            long value = Math.round(ink[i] + noise * random.nextGaussian());
            into[offset + i] = (byte) Math.max(0, Math.min(255, value));
        }
    }

    /** Where and how the unit box of {@link DigitStrokes} lands on the image. */
    private static AffineTransform pose(Random random) {
        double height = uniform(random, MIN_HEIGHT, MAX_HEIGHT);
        double width = height * uniform(random, MIN_ASPECT, MAX_ASPECT);
        AffineTransform pose = new AffineTransform();
        pose.translate(SIZE / 2.0 + uniform(random, -MAX_SHIFT, MAX_SHIFT),
                SIZE / 2.0 + uniform(random, -MAX_SHIFT, MAX_SHIFT));
        pose.rotate(Math.toRadians(uniform(random, -MAX_ROTATION_DEGREES, MAX_ROTATION_DEGREES)));
        pose.shear(uniform(random, MIN_SLANT, MAX_SLANT), 0);
        pose.scale(width, height);
        pose.translate(-0.5, -0.5);
        return pose;
    }

    private static double uniform(Random random, double from, double to) {
        return from + (to - from) * random.nextDouble();
    }
}
