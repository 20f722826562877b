package org.dl4jlabs.common.data.mnist;

import org.dl4jlabs.common.data.ImageClassData;

import java.nio.file.Path;

/**
 * Small generated-digit data sets for tests, in any module that depends on common's test jar.
 * They are written as MNIST-layout IDX files and read back through the real loading code.
 */
public final class TestData {

    /** Enough digits to see a model learn, few enough to train on in a unit test. */
    public static final GeneratedDigits.Spec SMALL = new GeneratedDigits.Spec(1_000, 200, 7);

    private TestData() {
    }

    /**
     * Writes {@link #SMALL} into {@code directory} as the four MNIST files (uncompressed), so the
     * directory also works as a data option.
     *
     * @return {@code directory}
     */
    public static Path writeSmallDigits(Path directory) {
        GeneratedDigits.write(directory, SMALL);
        return directory;
    }

    /** Writes {@link #SMALL} into {@code directory} and loads it, named "generated-digits". */
    public static ImageClassData smallDigits(Path directory) {
        return Mnist.load(writeSmallDigits(directory), GeneratedDigits.NAME);
    }
}
