package org.dl4jlabs.common.data;

/**
 * How to turn one example's features back into a picture: {@code channels} planes (1 = gray,
 * 3 = red, green, blue) of {@code height x width} pixels, stored one plane after another (CHW),
 * either flattened to a row or as {@code [channels, height, width]}.
 */
public record ImageShape(int height, int width, int channels) {

    public ImageShape {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("Image size must be positive: " + height + " x " + width);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("Images have 1 (gray) or 3 (RGB) channels, not " + channels);
        }
    }

    /** Number of feature values in one example. */
    public int length() {
        return height * width * channels;
    }
}
