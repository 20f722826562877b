package org.dl4jlabs.autoencoder;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImageQualityTest {

    @Test
    void mseAndPsnrMatchHandComputedValues() {
        var images = Nd4j.create(new float[][]{{0, 0.5f, 1, 1}, {0.2f, 0.2f, 0.2f, 0.2f}});
        var originals = Nd4j.create(new float[][]{{0, 0, 1, 0}, {0, 0, 0, 0}});
        // (0 + 0.25 + 0 + 1) / 4 and 4 * 0.04 / 4
        assertArrayEquals(new double[]{0.3125, 0.04}, ImageQuality.perExampleMse(images, originals), 1e-7);
        assertEquals((0.3125 + 0.04) / 2, ImageQuality.mse(images, originals), 1e-7);
        // Images as maps, and in any memory order.
        assertArrayEquals(new double[]{0.3125, 0.04}, ImageQuality.perExampleMse(
                images.reshape(2, 1, 2, 2).dup('f'), originals.reshape(2, 1, 2, 2)), 1e-7);
        assertEquals(20, ImageQuality.psnr(0.01), 1e-12);
        assertEquals(10 * Math.log10(1 / 0.04), ImageQuality.psnr(0.04), 1e-12);
        assertEquals(13.9794, ImageQuality.psnr(0.04), 1e-4);
        assertEquals(Double.POSITIVE_INFINITY, ImageQuality.psnr(ImageQuality.mse(originals, originals)));
    }

    @Test
    void differentShapesAreABug() {
        assertThrows(IllegalArgumentException.class,
                () -> ImageQuality.mse(Nd4j.zeros(2, 4), Nd4j.zeros(2, 3)));
    }
}
