package org.dl4jlabs.common.data.cifar;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.ImageClassData;
import org.dl4jlabs.common.data.cifar.CifarFormat.Labels;
import org.dl4jlabs.common.io.AtomicFiles;
import org.dl4jlabs.common.io.IoErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Ten classes of 32x32 colour images the suite draws itself, for when CIFAR cannot be had: shapes
 * and textures in random colours, at a random position, scale and rotation, over a cluttered,
 * noisy background. Colour alone never gives the class away, and position varies, so a linear
 * model does clearly worse than a CNN. They are written in CIFAR-10's binary layout and read back
 * through {@link CifarRecordReader}, like the real data.
 */
public final class GeneratedCifar {

    public static final String NAME = "generated-cifar";
    /** Bump when the drawing changes, so caches of the old images are not used. */
    private static final int VERSION = 1;

    public static final List<String> CLASSES = List.of("disc", "square", "triangle", "ring", "cross", "bar",
            "stripes", "checkerboard", "two-dots", "frame");

    private static final Logger log = LoggerFactory.getLogger(GeneratedCifar.class);

    /** How many images to draw, and from which seed. */
    public record Spec(int trainSize, int testSize, long seed) {
        public static final Spec DEFAULT = new Spec(10_000, 2_000, 42);

        public Spec {
            if (trainSize < Cifar.CIFAR10.trainFiles().size() || testSize < 1) {
                throw new IllegalArgumentException("need at least 5 training images and 1 test image");
            }
        }

        String directoryName() {
            return "v" + VERSION + "-" + trainSize + "-" + testSize + "-seed" + seed;
        }
    }

    private GeneratedCifar() {
    }

    /** Loads generated images from the cache, drawing them first if they are not there. */
    public static ImageClassData load(Path cacheDirectory, Spec spec) {
        Path directory = cacheDirectory.resolve(NAME).resolve(spec.directoryName());
        if (!isComplete(directory, spec)) {
            log.info("Generating {} training and {} test images into {}", spec.trainSize(), spec.testSize(), directory);
            write(directory, spec);
        }
        return Cifar.load(directory, CifarFormat.CIFAR10, Labels.FINE, NAME);
    }

    /**
     * Writes the images as CIFAR-10 files into {@code directory}: the training images spread over
     * {@code data_batch_1.bin} to {@code data_batch_5.bin}, the test images in {@code test_batch.bin},
     * and the class names in {@code batches.meta.txt}.
     */
    public static void write(Path directory, Spec spec) {
        Random splits = new Random(spec.seed());
        List<String> trainFiles = Cifar.CIFAR10.trainFiles();
        try {
            long trainSeed = splits.nextLong();
            long testSeed = splits.nextLong();
            int perFile = (spec.trainSize() + trainFiles.size() - 1) / trainFiles.size();
            Random train = new Random(trainSeed);
            for (int f = 0; f < trainFiles.size(); f++) {
                int count = Math.min(perFile, spec.trainSize() - f * perFile);
                writeBatch(directory.resolve(trainFiles.get(f)), count, f * perFile, train);
            }
            writeBatch(directory.resolve(Cifar.CIFAR10.testFiles().get(0)), spec.testSize(), 0, new Random(testSeed));
            AtomicFiles.writeString(directory.resolve(Cifar.CIFAR10.fineNames()), String.join("\n", CLASSES) + "\n");
        } catch (IOException e) {
            throw new LabsException("Could not write generated images to " + directory + ": " + IoErrors.reason(e), e);
        }
    }

    private static void writeBatch(Path file, int count, int firstIndex, Random random) throws IOException {
        byte[] pixels = new byte[count * CifarFormat.PIXELS];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            int label = (firstIndex + i) % CLASSES.size(); // every class equally often
            labels[i] = (byte) label;
            System.arraycopy(draw(label, random), 0, pixels, i * CifarFormat.PIXELS, CifarFormat.PIXELS);
        }
        CifarWriter.writeCifar10(file, pixels, labels);
    }

    /** Sizes are written atomically, so whole files of the right size are the files we wrote. */
    private static boolean isComplete(Path directory, Spec spec) {
        try {
            long train = 0;
            for (String name : Cifar.CIFAR10.trainFiles()) {
                train += Files.size(directory.resolve(name));
            }
            long test = Files.size(directory.resolve(Cifar.CIFAR10.testFiles().get(0)));
            int length = CifarFormat.CIFAR10.recordLength();
            return train == (long) spec.trainSize() * length && test == (long) spec.testSize() * length
                    && Files.isRegularFile(directory.resolve(Cifar.CIFAR10.fineNames()));
        } catch (IOException e) {
            return false;
        }
    }

    /** One image of class {@code label} as CIFAR's 3072 bytes: red plane, green plane, blue plane. */
    public static byte[] draw(int label, Random random) {
        int side = CifarFormat.SIDE;
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        Color background = randomColor(random);
        g.setPaint(new GradientPaint(0, 0, background, side, side, randomColor(random)));
        g.fillRect(0, 0, side, side);
        drawClutter(g, random);

        Color foreground = contrasting(background, random);
        g.translate(8 + random.nextDouble() * 16, 8 + random.nextDouble() * 16);
        g.rotate(random.nextDouble() * 2 * Math.PI);
        double scale = 0.75 + random.nextDouble() * 0.5;
        g.scale(scale, scale);
        g.setColor(foreground);
        g.setStroke(new BasicStroke(2.5f));
        drawObject(g, label, foreground, random);
        g.dispose();

        byte[] bytes = new byte[CifarFormat.PIXELS];
        int plane = side * side;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int rgb = image.getRGB(x, y);
                int pixel = y * side + x;
                bytes[pixel] = noisy((rgb >> 16) & 0xFF, random);
                bytes[plane + pixel] = noisy((rgb >> 8) & 0xFF, random);
                bytes[2 * plane + pixel] = noisy(rgb & 0xFF, random);
            }
        }
        return bytes;
    }

    /** Shapes are drawn around the origin, about 16 pixels across. */
    private static void drawObject(Graphics2D g, int label, Color foreground, Random random) {
        switch (label) {
            case 0 -> g.fill(new Ellipse2D.Double(-7, -7, 14, 14));
            case 1 -> g.fill(new Rectangle2D.Double(-6, -6, 12, 12));
            case 2 -> g.fill(new Polygon(new int[]{-8, 8, 0}, new int[]{6, 6, -8}, 3));
            case 3 -> g.draw(new Ellipse2D.Double(-7, -7, 14, 14));
            case 4 -> {
                g.fill(new Rectangle2D.Double(-8, -2, 16, 4));
                g.fill(new Rectangle2D.Double(-2, -8, 4, 16));
            }
            case 5 -> g.fill(new Rectangle2D.Double(-9, -2, 18, 4));
            case 6 -> {
                for (int y = -8; y < 8; y += 4) {
                    g.fill(new Rectangle2D.Double(-8, y, 16, 2));
                }
            }
            case 7 -> {
                for (int y = -8; y < 8; y += 4) {
                    for (int x = -8; x < 8; x += 4) {
                        if (((x + y) / 4 & 1) == 0) {
                            g.fill(new Rectangle2D.Double(x, y, 4, 4));
                        }
                    }
                }
            }
            case 8 -> {
                g.fill(new Ellipse2D.Double(-9, -3, 6, 6));
                g.fill(new Ellipse2D.Double(3, -3, 6, 6));
            }
            case 9 -> {
                Shape outer = new Rectangle2D.Double(-7, -7, 14, 14);
                Area frame = new Area(outer);
                frame.subtract(new Area(new Rectangle2D.Double(-4, -4, 8, 8)));
                g.fill(frame);
            }
            default -> throw new IllegalArgumentException("no class " + label + "; there are " + CLASSES.size());
        }
    }

    /** A few thin lines and small blobs, so the background is not a plain field. */
    private static void drawClutter(Graphics2D g, Random random) {
        int items = 2 + random.nextInt(3);
        for (int i = 0; i < items; i++) {
            g.setColor(randomColor(random));
            if (random.nextBoolean()) {
                g.setStroke(new BasicStroke(1f));
                g.drawLine(random.nextInt(32), random.nextInt(32), random.nextInt(32), random.nextInt(32));
            } else {
                g.fillOval(random.nextInt(32), random.nextInt(32), 2 + random.nextInt(3), 2 + random.nextInt(3));
            }
        }
    }

    private static Color randomColor(Random random) {
        return Color.getHSBColor(random.nextFloat(), 0.3f + 0.7f * random.nextFloat(), 0.2f + 0.8f * random.nextFloat());
    }

    /** A random colour whose brightness differs clearly from {@code background}'s. */
    private static Color contrasting(Color background, Random random) {
        float[] hsb = Color.RGBtoHSB(background.getRed(), background.getGreen(), background.getBlue(), null);
        float brightness = hsb[2] > 0.55f ? 0.05f + 0.3f * random.nextFloat() : 0.75f + 0.25f * random.nextFloat();
        return Color.getHSBColor(random.nextFloat(), 0.3f + 0.7f * random.nextFloat(), brightness);
    }

    private static byte noisy(int value, Random random) {
        return (byte) Math.max(0, Math.min(255, (int) Math.round(value + random.nextGaussian() * 12)));
    }
}
