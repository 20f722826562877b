package org.dl4jlabs.common.data.mnist;

/**
 * A stack of grayscale images as stored in an IDX file: one unsigned byte per pixel, 0 = background,
 * 255 = full ink, images one after the other, each in row-major order.
 *
 * <p>The pixel array is shared, not copied: a full MNIST training set is 47 MB.
 *
 * @param count  number of images
 * @param height rows per image
 * @param width  columns per image
 * @param pixels {@code count * height * width} bytes
 */
public record IdxImages(int count, int height, int width, byte[] pixels) implements IdxData {

    public IdxImages {
        if (count < 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("bad image stack dimensions " + count + "x" + height + "x" + width);
        }
        if (pixels.length != (long) count * height * width) {
            throw new IllegalArgumentException(pixels.length + " pixels cannot hold " + count + " images of "
                    + height + "x" + width);
        }
    }

    public int pixelsPerImage() {
        return height * width;
    }

    /** Pixel {@code i} (row-major) of image {@code image}, as 0..255. */
    public int pixel(int image, int i) {
        return pixels[image * pixelsPerImage() + i] & 0xFF;
    }
}
