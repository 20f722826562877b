package org.dl4jlabs.common.data.mnist;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.ImageClassData;
import org.dl4jlabs.common.io.UserFiles;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * MNIST, 70,000 handwritten digits of 28x28 pixels, and the file layout it made standard: four IDX
 * files named as below, each raw or gzip-compressed ({@code .gz}). Any directory laid out this way
 * can stand in for MNIST (Fashion-MNIST, or this suite's generated digits).
 */
public final class Mnist {

    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    private Mnist() {
    }

    /**
     * Loads the four MNIST-layout files in {@code directory} (each raw or {@code .gz}).
     *
     * @param name what to call the data, e.g. {@code mnist}
     */
    public static ImageClassData load(Path directory, String name) {
        return load(directory, name, IdxRecordReader.DIGITS);
    }

    /** The same, for a data set whose ten classes have other names (Fashion-MNIST's clothes). */
    public static ImageClassData load(Path directory, String name, List<String> classNames) {
        if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            UserFiles.requireDirectory(directory, "the data directory");
        }
        List<String> missing = missingFiles(directory);
        if (!missing.isEmpty()) {
            String where = directory.toAbsolutePath().toString();
            if (!Files.isDirectory(directory)) {
                throw new LabsException("The data directory " + where + " does not exist. Give a directory that"
                        + " holds the four MNIST-format files (" + String.join(", ", FILES) + ", each may end in .gz),"
                        + " or choose 'auto', 'download' or 'generated' data instead.");
            }
            throw new LabsException("The data directory " + where + " lacks " + String.join(", ", missing)
                    + " (each may also end in .gz). It needs all four MNIST-format files: " + String.join(", ", FILES)
                    + ".");
        }
        IdxPair train = new IdxPair(find(directory, TRAIN_IMAGES), find(directory, TRAIN_LABELS));
        IdxPair test = new IdxPair(find(directory, TEST_IMAGES), find(directory, TEST_LABELS));
        return ImageClassData.loadIdx(name, directory.toAbsolutePath().toString(), train, test, classNames);
    }

    /** The MNIST-layout files {@code directory} lacks, by their names without {@code .gz}. */
    public static List<String> missingFiles(Path directory) {
        return FILES.stream().filter(file -> find(directory, file) == null).toList();
    }

    /**
     * {@code directory/file}, or else {@code directory/file.gz}; null when neither is there. Something
     * else under that name (a directory, a broken link) is an error that says so, not a missing file.
     */
    private static Path find(Path directory, String file) {
        for (Path candidate : List.of(directory.resolve(file), directory.resolve(file + ".gz"))) {
            if (Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                UserFiles.requireFile(candidate, "the IDX file");
                return candidate;
            }
        }
        return null;
    }

    /** Writes a data set in the MNIST layout, uncompressed, under the MNIST file names. */
    static void write(Path directory, IdxImages trainImages, IdxLabels trainLabels, IdxImages testImages,
                      IdxLabels testLabels) {
        Idx.write(directory.resolve(TRAIN_IMAGES), trainImages);
        Idx.write(directory.resolve(TRAIN_LABELS), trainLabels);
        Idx.write(directory.resolve(TEST_IMAGES), testImages);
        Idx.write(directory.resolve(TEST_LABELS), testLabels);
    }
}
