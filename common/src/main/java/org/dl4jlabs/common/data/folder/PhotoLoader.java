package org.dl4jlabs.common.data.folder;

import org.bytedeco.javacpp.FloatPointer;
import org.datavec.image.loader.NativeImageLoader;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.backend.NativeFloats;
import org.dl4jlabs.common.data.ImageFiles;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Decodes photos of any size with DataVec's {@link NativeImageLoader} (OpenCV: JPEG, PNG, BMP, GIF;
 * greyscale and CMYK converted) and resizes them to {@code size x size} RGB, as rows of
 * {@code 3 * size * size} floats in 0..1, channel by channel: the layout of the suite's other image data.
 *
 * @param size   the side of the square the network takes
 * @param resize how a photo that is not square becomes one
 */
public record PhotoLoader(int size, Resize resize) {

    private static final int PHOTOS_PER_TASK = 16;

    /** How a photo that is not square becomes one. */
    public enum Resize {
        /** Stretch or squeeze the whole photo to the square: nothing is cut off, shapes are distorted. */
        SQUASH,
        /** Cut the largest centred square, then scale it: shapes are kept, the edges are lost. */
        CROP;

        public String lowerName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public PhotoLoader {
        if (size < 8 || size > 1024) {
            throw new LabsException("--size takes a side of 8 to 1024 pixels, not " + size);
        }
    }

    public int values() {
        return 3 * size * size;
    }

    /**
     * The photos as features, and their one-hot labels in the order of {@code classNames}. The photos
     * are decoded in parallel, a run of them per task with a loader of its own; a bad photo is
     * reported as in order: the first one.
     */
    public DataSet load(List<Photo> photos, List<String> classNames) {
        // Every row is written below (or the load fails), so zeroing the array first would be a wasted
        // pass over all the photos' values (docs/PERFORMANCE.md).
        INDArray features = Nd4j.createUninitialized(DataType.FLOAT, new long[]{photos.size(), values()}, 'c');
        INDArray labels = Nd4j.create(DataType.FLOAT, photos.size(), classNames.size());
        RuntimeException[] failures = new RuntimeException[photos.size()];
        int runs = (photos.size() + PHOTOS_PER_TASK - 1) / PHOTOS_PER_TASK;
        IntStream.range(0, runs).parallel().forEach(run -> {
            NativeImageLoader loader = decoder();
            FloatPointer rows = new FloatPointer(features.data().addressPointer());
            float[] row = new float[values()];
            for (int i = run * PHOTOS_PER_TASK; i < Math.min(photos.size(), (run + 1) * PHOTOS_PER_TASK); i++) {
                try {
                    pixels(loader, photos.get(i).file(), row);
                    rows.position((long) i * row.length).put(row);
                    labels.putScalar(i, labelIndex(photos.get(i), classNames), 1);
                } catch (RuntimeException e) {
                    failures[i] = e;
                    return;
                }
            }
        });
        for (RuntimeException failure : failures) {
            if (failure != null) {
                throw failure;
            }
        }
        return new DataSet(features, labels);
    }

    /** OpenCV's decoder for this size and resize; it holds converters of its own, so a thread takes a new one. */
    private NativeImageLoader decoder() {
        return new NativeImageLoader(size, size, 3, resize == Resize.CROP);
    }

    private static int labelIndex(Photo photo, List<String> classNames) {
        int label = classNames.indexOf(photo.label());
        if (label < 0) {
            throw new LabsException(photo.file() + " is of class " + photo.label()
                    + ", which the model does not know (it knows " + classNames + ")");
        }
        return label;
    }

    /**
     * The photos as rows, in order, every one decoded before any is returned: a command that prints
     * or writes per photo stops cleanly at a bad one, before its first line.
     */
    public INDArray loadAll(List<Path> files) {
        return Nd4j.vstack(files.stream().map(this::load).toArray(INDArray[]::new));
    }

    /** One photo as a row of {@link #values()} floats; a file that cannot be decoded is an error naming it. */
    public INDArray load(Path file) {
        float[] row = new float[values()];
        pixels(decoder(), file, row);
        return NativeFloats.fromArray(row, new long[]{1, row.length}, DataType.FLOAT);
    }

    /**
     * Decodes {@code file} into {@code row}: red, green and blue planes of 0..1. One pass in Java
     * instead of ND4J's copy of the reordered channels, its division and its row assignment, which
     * cost more than the decoding itself (docs/PERFORMANCE.md); the values are the same.
     */
    private void pixels(NativeImageLoader loader, Path file, float[] row) {
        ImageFiles.checkNotTooLarge(file);
        float[] bgr;
        try {
            bgr = NativeFloats.toArray(loader.asMatrix(file.toFile()));
        } catch (IOException | RuntimeException e) {
            throw ImageFiles.notDecodable(file, e);
        }
        if (bgr.length != row.length) {
            throw ImageFiles.notDecodable(file, new IllegalStateException(
                    "decoded to " + bgr.length + " values instead of " + row.length));
        }
        // OpenCV decodes to blue, green, red; the suite's images (and its reports) are red, green, blue.
        int plane = size * size;
        for (int channel = 0; channel < 3; channel++) {
            int from = (2 - channel) * plane;
            int to = channel * plane;
            for (int j = 0; j < plane; j++) {
                row[to + j] = bgr[from + j] / 255f;
            }
        }
    }
}
