package org.dl4jlabs.common.report;

import org.dl4jlabs.common.data.ImageShape;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ExampleImagesTest {

    @Test
    void grayscaleIsStretchedFromTheImagesOwnMinimumToMaximumAndEnlarged() {
        // Two 2 x 2 examples, normalized to -1..3; the second is the one drawn.
        INDArray features = Nd4j.create(new float[][] {{0, 0, 0, 0}, {-1, 1, 3, 0}});

        BufferedImage image = ExampleImages.draw(features, 1, new ImageShape(2, 2, 1), 3);

        assertEquals(6, image.getWidth());
        assertEquals(6, image.getHeight());
        assertEquals(gray(0), image.getRGB(0, 0));
        assertEquals(gray(0), image.getRGB(2, 2), "nearest neighbour: a 3 x 3 block per pixel");
        assertEquals(gray(128), image.getRGB(3, 0));
        assertEquals(gray(255), image.getRGB(0, 3));
        assertEquals(gray(64), image.getRGB(5, 5));
    }

    @Test
    void colourChannelsArePlanesInChwOrder() {
        // One 1 x 2 image: red plane, green plane, blue plane.
        INDArray features = Nd4j.create(new float[] {1, 0, 0, 1, 0, 0}, 1, 3, 1, 2);

        BufferedImage image = ExampleImages.draw(features, 0, new ImageShape(1, 2, 3), 1);

        assertEquals(0xFF0000, image.getRGB(0, 0) & 0xFFFFFF, "left pixel is red");
        assertEquals(0x00FF00, image.getRGB(1, 0) & 0xFFFFFF, "right pixel is green");
    }

    @Test
    void rejectsAShapeThatDoesNotMatchTheFeatures() {
        INDArray features = Nd4j.zeros(1, 784);

        assertThrows(IllegalArgumentException.class,
                () -> ExampleImages.draw(features, 0, new ImageShape(32, 32, 3), 1));
    }

    private static int gray(int level) {
        return 0xFF000000 | level << 16 | level << 8 | level;
    }
}
