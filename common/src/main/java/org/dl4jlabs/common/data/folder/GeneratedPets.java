package org.dl4jlabs.common.data.folder;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.io.AtomicFiles;
import org.dl4jlabs.common.io.IoErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Photos the suite draws itself, so the lab runs offline: cat faces (pointed ears, slit pupils,
 * whiskers) and dog faces (floppy ears, a round snout, a tongue) in random fur colours, sizes,
 * positions, poses and backgrounds, in PetImages' layout ({@code Cat/N.jpg}, {@code Dog/N.jpg}) and
 * sizes of 120 to 260 pixels a side. Most are JPEG, some PNG; and like the real PetImages a few
 * files are odd: broken ones to skip (an empty file, a truncated JPEG, a text file named .jpg, a
 * {@code Thumbs.db}) and ones to convert (a greyscale JPEG, a CMYK JPEG), so a run meets both paths.
 */
public final class GeneratedPets {

    /** How many photos of each class, and the seed they are drawn from. */
    public record Spec(int perClass, long seed) {
        public static final Spec DEFAULT = new Spec(400, 42);
    }

    static final String[] CLASSES = {"Cat", "Dog"};
    /** Files a run must skip: one of each broken kind per class. */
    public static final int BROKEN_PER_CLASS = 3;
    private static final int VERSION = 2;
    private static final Logger log = LoggerFactory.getLogger(GeneratedPets.class);

    private GeneratedPets() {
    }

    /** The folder of generated photos for {@code spec}, drawing it into the cache the first time. */
    public static Path folder(Path cacheDirectory, Spec spec) {
        Path folder = cacheDirectory.resolve("generated-pets").resolve("v" + VERSION + "-" + spec.perClass()
                + "-seed" + spec.seed());
        if (Files.isDirectory(folder)) {
            return folder;
        }
        log.info("Drawing {} generated cat and dog photos into {} (once)", 2 * spec.perClass(), folder);
        Path partial = folder.resolveSibling(folder.getFileName() + ".partial");
        try {
            AtomicFiles.deleteTree(partial);
            write(partial, spec);
            Files.move(partial, folder);
        } catch (IOException e) {
            throw new LabsException("could not write generated photos to " + folder + ": " + IoErrors.reason(e), e);
        }
        return folder;
    }

    static void write(Path folder, Spec spec) throws IOException {
        Random random = new Random(spec.seed());
        for (int c = 0; c < CLASSES.length; c++) {
            Path classFolder = Files.createDirectories(folder.resolve(CLASSES[c]));
            for (int i = 0; i < spec.perClass(); i++) {
                BufferedImage photo = draw(c == 1, random);
                boolean png = i % 10 == 9;
                Path file = classFolder.resolve(i + (png ? ".png" : ".jpg"));
                if (png) {
                    AtomicFiles.write(file, out -> ImageIO.write(photo, "png", out));
                } else {
                    AtomicFiles.write(file, out -> out.write(jpeg(photo)));
                }
            }
            writeBroken(classFolder, spec.perClass(), random, c == 1);
        }
    }

    /** An empty file, a JPEG cut in half, text named .jpg; and a greyscale and a CMYK JPEG, which are usable. */
    private static void writeBroken(Path classFolder, int first, Random random, boolean dog) throws IOException {
        Files.write(classFolder.resolve(first + ".jpg"), new byte[0]);
        byte[] whole = jpeg(draw(dog, random));
        Files.write(classFolder.resolve((first + 1) + ".jpg"), Arrays.copyOf(whole, whole.length / 2));
        Files.writeString(classFolder.resolve((first + 2) + ".jpg"), "this is not a photo\n", StandardCharsets.UTF_8);
        BufferedImage colour = draw(dog, random);
        BufferedImage grey = new BufferedImage(colour.getWidth(), colour.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        grey.getGraphics().drawImage(colour, 0, 0, null);
        Files.write(classFolder.resolve((first + 3) + ".jpg"), jpeg(grey));
        Files.write(classFolder.resolve((first + 4) + ".jpg"), cmykJpeg(draw(dog, random)));
        Files.write(classFolder.resolve("Thumbs.db"), new byte[]{0, 1, 2, 3});
    }

    static BufferedImage draw(boolean dog, Random random) {
        int width = 120 + random.nextInt(141);
        int height = 120 + random.nextInt(141);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        background(g, width, height, random);
        double r = Math.min(width, height) * (0.22 + 0.12 * random.nextDouble());
        double cx = r + random.nextDouble() * Math.max(1, width - 2 * r);
        double cy = r * 1.1 + random.nextDouble() * Math.max(1, height - 2.2 * r);
        g.translate(cx, cy);
        g.rotate(Math.toRadians(-25 + 50 * random.nextDouble()));
        Color fur = Color.getHSBColor(random.nextFloat(), 0.2f + 0.6f * random.nextFloat(),
                0.35f + 0.6f * random.nextFloat());
        if (dog) {
            dogFace(g, r, fur, random);
        } else {
            catFace(g, r, fur, random);
        }
        g.dispose();
        return image;
    }

    private static void background(Graphics2D g, int width, int height, Random random) {
        g.setPaint(new GradientPaint(0, 0, randomColour(random), width, height, randomColour(random)));
        g.fillRect(0, 0, width, height);
        for (int i = 0; i < 6; i++) {
            Color c = randomColour(random);
            g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 90));
            int w = 10 + random.nextInt(width / 2);
            int h = 10 + random.nextInt(height / 2);
            if (random.nextBoolean()) {
                g.fillRect(random.nextInt(width), random.nextInt(height), w, h);
            } else {
                g.fillOval(random.nextInt(width), random.nextInt(height), w, h);
            }
        }
    }

    private static void catFace(Graphics2D g, double r, Color fur, Random random) {
        g.setColor(fur.darker());
        for (int side : new int[]{-1, 1}) {
            Polygon ear = new Polygon();
            ear.addPoint((int) (side * r * 0.95), (int) (-r * 0.25));
            ear.addPoint((int) (side * r * 0.75), (int) (-r * (1.45 + 0.2 * random.nextDouble())));
            ear.addPoint((int) (side * r * 0.2), (int) (-r * 0.85));
            g.fillPolygon(ear);
        }
        g.setColor(fur);
        g.fill(new Ellipse2D.Double(-r, -r * 0.95, 2 * r, 1.9 * r));
        Color iris = random.nextBoolean() ? new Color(150, 200, 60) : new Color(220, 180, 40);
        for (int side : new int[]{-1, 1}) {
            g.setColor(iris);
            g.fill(new Ellipse2D.Double(side * r * 0.4 - r * 0.17, -r * 0.35, r * 0.34, r * 0.3));
            g.setColor(Color.BLACK);
            g.fill(new Ellipse2D.Double(side * r * 0.4 - r * 0.03, -r * 0.35, r * 0.06, r * 0.3)); // slit pupil
        }
        g.setColor(new Color(240, 140, 160));
        Polygon nose = new Polygon();
        nose.addPoint((int) (-r * 0.1), (int) (r * 0.12));
        nose.addPoint((int) (r * 0.1), (int) (r * 0.12));
        nose.addPoint(0, (int) (r * 0.25));
        g.fillPolygon(nose);
        g.setColor(new Color(250, 250, 250));
        g.setStroke(new BasicStroke((float) Math.max(1, r / 40)));
        for (int side : new int[]{-1, 1}) {
            for (int k = -1; k <= 1; k++) {
                g.drawLine((int) (side * r * 0.15), (int) (r * 0.3), (int) (side * r * 1.15), (int) (r * (0.2 + 0.15 * k)));
            }
        }
    }

    private static void dogFace(Graphics2D g, double r, Color fur, Random random) {
        g.setColor(fur);
        g.fill(new Ellipse2D.Double(-r * 0.9, -r, 1.8 * r, 2.05 * r));
        g.setColor(fur.darker().darker());
        for (int side : new int[]{-1, 1}) {
            double droop = 0.9 + 0.3 * random.nextDouble();
            g.fill(new Ellipse2D.Double(side * r * 0.95 - r * 0.28, -r * 0.85, r * 0.56, r * droop * 1.3)); // floppy ear
        }
        for (int side : new int[]{-1, 1}) {
            g.setColor(Color.WHITE);
            g.fill(new Ellipse2D.Double(side * r * 0.38 - r * 0.15, -r * 0.4, r * 0.3, r * 0.3));
            g.setColor(new Color(60, 35, 20));
            g.fill(new Ellipse2D.Double(side * r * 0.38 - r * 0.09, -r * 0.34, r * 0.18, r * 0.18)); // round pupil
        }
        g.setColor(new Color(Math.min(255, fur.getRed() + 70), Math.min(255, fur.getGreen() + 70),
                Math.min(255, fur.getBlue() + 70)));
        g.fill(new Ellipse2D.Double(-r * 0.45, r * 0.05, r * 0.9, r * 0.65)); // snout
        g.setColor(new Color(230, 90, 110));
        g.fill(new Ellipse2D.Double(-r * 0.15, r * 0.5, r * 0.3, r * 0.45)); // tongue
        g.setColor(Color.BLACK);
        g.fill(new Ellipse2D.Double(-r * 0.17, r * 0.08, r * 0.34, r * 0.22)); // nose
    }

    private static Color randomColour(Random random) {
        return new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
    }

    private static byte[] jpeg(BufferedImage image) throws IOException {
        return jpeg(new IIOImage(image, null, null), 0.9f);
    }

    /** JPEG at {@code quality}, or the writer's default when null; a four-band raster is written as CMYK. */
    private static byte[] jpeg(IIOImage image, Float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (quality != null) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
            }
            writer.write(null, image, param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * {@code image} as a CMYK JPEG, the way Photoshop saves one for print: four channels, stored
     * inverted (255 means no ink), marked by an Adobe segment. With no black ink, C, M and Y are the
     * complements of R, G and B, so the stored values are R, G, B and 255.
     */
    static byte[] cmykJpeg(BufferedImage image) throws IOException {
        int width = image.getWidth();
        int height = image.getHeight();
        WritableRaster inverted = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 4, null);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = image.getRGB(x, y);
                inverted.setPixel(x, y, new int[]{(rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF, 255});
            }
        }
        return jpeg(new IIOImage(inverted, null, null), null);
    }
}
