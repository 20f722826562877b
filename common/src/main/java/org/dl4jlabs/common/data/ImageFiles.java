package org.dl4jlabs.common.data;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.io.UserFiles;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** Reads a user's image file into the layout the networks train on. */
public final class ImageFiles {

    private ImageFiles() {
    }

    /**
     * Reads a PNG or JPEG (or any format ImageIO knows) as one example: a row vector of
     * channels x height x width values in 0..1, channel planes first, as in the training data.
     * The image must already have the expected size and, for a grayscale model, be gray.
     */
    public static INDArray read(Path file, ImageShape expected) {
        BufferedImage image = decode(file);
        if (image.getWidth() != expected.width() || image.getHeight() != expected.height()) {
            throw new LabsException(file + " is " + image.getWidth() + "x" + image.getHeight()
                    + " pixels; the model expects " + expected.width() + "x" + expected.height()
                    + ". Resize it first (for example: convert IN -resize " + expected.width() + "x"
                    + expected.height() + "! OUT).");
        }
        if (expected.channels() == 1 && isColour(image)) {
            throw new LabsException(file + " is a colour image; the model expects grayscale. "
                    + "Convert it first (for example: convert IN -colorspace Gray OUT).");
        }
        float[] values = new float[expected.length()];
        int plane = expected.height() * expected.width();
        for (int y = 0; y < expected.height(); y++) {
            for (int x = 0; x < expected.width(); x++) {
                int rgb = image.getRGB(x, y);
                int red = (rgb >> 16) & 0xff;
                int green = (rgb >> 8) & 0xff;
                int blue = rgb & 0xff;
                int pixel = y * expected.width() + x;
                if (expected.channels() == 1) {
                    values[pixel] = red / 255f;
                } else {
                    values[pixel] = red / 255f;
                    values[plane + pixel] = green / 255f;
                    values[2 * plane + pixel] = blue / 255f;
                }
            }
        }
        return Nd4j.create(values, new long[]{1, values.length}, DataType.FLOAT);
    }

    /** True if any pixel's red, green and blue differ: a gray image stored as RGB is not colour. */
    public static boolean isColour(BufferedImage image) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int red = (rgb >> 16) & 0xff;
                int green = (rgb >> 8) & 0xff;
                int blue = rgb & 0xff;
                if (red != green || green != blue) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Images whose header declares more pixels than this are refused before decoding: a 69-byte PNG
     * can declare 20000x20000 and cost gigabytes to decode.
     */
    public static final long MAX_PIXELS = 50_000_000L;

    /**
     * Why {@code file} is too large to decode ("declares 20000x20000 pixels, ..."), from its header
     * alone; empty when it is not, or when no reader knows its format (the decoder then says so).
     */
    public static Optional<String> tooLarge(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                return Optional.empty();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                return width * height <= MAX_PIXELS ? Optional.empty() : Optional.of(String.format(
                        "declares %dx%d pixels (%.0f megapixels); images above %d megapixels are refused before decoding",
                        width, height, width * height / 1e6, MAX_PIXELS / 1_000_000));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // a header that cannot be read is the decoder's to report
        }
    }

    /** Refuses a file whose header declares more than {@link #MAX_PIXELS}, naming the size it found. */
    public static void checkNotTooLarge(Path file) {
        tooLarge(file).ifPresent(why -> {
            throw new LabsException(file + " " + why);
        });
    }

    /** Decodes an image file; anything that is not a readable image is a {@link LabsException}. */
    public static BufferedImage decode(Path file) {
        UserFiles.requireFile(file, "the image");
        checkNotTooLarge(file);
        try {
            BufferedImage image = ImageIO.read(file.toFile());
            if (image == null) {
                throw new LabsException(file + " is not an image this program can read (use PNG or JPEG)");
            }
            return image;
        } catch (IOException | RuntimeException e) {
            throw notDecodable(file, e);
        }
    }

    /**
     * "FILE is damaged or not an image this program can read (the decoder said: ...)". Decoders' own
     * messages are often empty ("Caught exception during read: ") or about their insides ("Invalid
     * scanline stride"), so the file's fault is said first and theirs, gathered from the causes, after.
     */
    public static LabsException notDecodable(Path file, Exception e) {
        List<String> said = new ArrayList<>();
        for (Throwable t = e; t != null && said.size() < 3; t = t.getCause()) {
            String raw = t.getMessage() == null ? "" : t.getMessage().strip();
            String message = raw.endsWith(":") ? raw.substring(0, raw.length() - 1).strip() : raw;
            if (!message.isEmpty() && said.stream().noneMatch(m -> m.contains(message))) {
                said.add(message);
            }
        }
        String detail = said.isEmpty() ? e.getClass().getSimpleName() : String.join(": ", said);
        return new LabsException(file + " is damaged or not an image this program can read (use PNG or JPEG; the "
                + "decoder said: " + detail + ")", e);
    }
}
