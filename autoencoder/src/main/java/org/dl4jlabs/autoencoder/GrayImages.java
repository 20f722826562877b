package org.dl4jlabs.autoencoder;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.ImageFiles;
import org.dl4jlabs.common.io.AtomicFiles;
import org.dl4jlabs.common.io.IoErrors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads any picture as a square grayscale image of the model's size, saying what it had to change
 * to get there, and writes network outputs back as PNG files.
 */
final class GrayImages {

    /**
     * An image ready for the network.
     *
     * @param pixels one row of {@code side * side} values in 0..1
     * @param notes  what was changed to fit the model, e.g. a colour image made gray; empty if nothing
     */
    record Prepared(INDArray pixels, List<String> notes) {
    }

    private GrayImages() {
    }

    static Prepared read(Path file, int side) {
        BufferedImage image = ImageFiles.decode(file);
        List<String> notes = new ArrayList<>();
        if (ImageFiles.isColour(image)) {
            notes.add("note: " + file + " is a colour image; converted to grayscale");
        }
        if (image.getWidth() != side || image.getHeight() != side) {
            notes.add("warning: " + file + " is " + image.getWidth() + "x" + image.getHeight()
                    + " pixels; resized to the model's " + side + "x" + side + ", which may distort it");
        }
        BufferedImage gray = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = gray.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, side, side, null);
        g.dispose();
        float[] values = new float[side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                values[y * side + x] = gray.getRaster().getSample(x, y, 0) / 255f;
            }
        }
        return new Prepared(Nd4j.create(values, new long[]{1, values.length}, 'c').castTo(DataType.FLOAT), notes);
    }

    /** Writes one row of {@code side * side} values in 0..1 as a grayscale PNG, atomically. */
    static void writePng(INDArray pixels, int side, Path file) {
        float[] values = pixels.toFloatVector();
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                image.getRaster().setSample(x, y, 0, Math.round(Math.max(0, Math.min(1, values[y * side + x])) * 255));
            }
        }
        try {
            AtomicFiles.write(file, out -> ImageIO.write(image, "png", out));
        } catch (IOException e) {
            throw new LabsException("could not write " + file.toAbsolutePath() + ": " + IoErrors.reason(e), e);
        }
    }
}
