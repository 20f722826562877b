package org.dl4jlabs.common.data.cifar;

import org.dl4jlabs.common.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;

/** Writes images and labels as a CIFAR-10 binary file, atomically. */
public final class CifarWriter {

    private CifarWriter() {
    }

    /**
     * @param pixels 3072 bytes per image, the red plane, then green, then blue, each row by row
     * @param labels one class index (0 to 9) per image
     */
    public static void writeCifar10(Path file, byte[] pixels, byte[] labels) throws IOException {
        if (pixels.length != labels.length * CifarFormat.PIXELS) {
            throw new IllegalArgumentException(labels.length + " labels need " + labels.length * CifarFormat.PIXELS
                    + " pixel bytes, not " + pixels.length);
        }
        AtomicFiles.write(file, out -> {
            for (int i = 0; i < labels.length; i++) {
                out.write(labels[i]);
                out.write(pixels, i * CifarFormat.PIXELS, CifarFormat.PIXELS);
            }
        });
    }
}
