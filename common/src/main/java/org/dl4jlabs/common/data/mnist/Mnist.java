package org.dl4jlabs.common.data.mnist;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.io.UserFiles;
import org.dl4jlabs.common.data.ImageClassData;
import org.dl4jlabs.common.data.download.Checksum;
import org.dl4jlabs.common.data.download.RemoteFile;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MNIST, 70,000 handwritten digits of 28x28 pixels, and the file layout it made standard: four IDX
 * files named as below, each raw or gzip-compressed ({@code .gz}). Any directory laid out this way
 * can stand in for MNIST (Fashion-MNIST, or this suite's generated digits).
 */
public final class Mnist {

    public static final String NAME = "mnist";

    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /** Live copies of the original files, in the order to try them; the original site comes last. */
    public static final List<URI> MIRRORS = List.of(
            URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/"),
            URI.create("http://yann.lecun.com/exdb/mnist/"));

    private static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    /** The published MD5 of each compressed file. */
    private static final Map<String, String> MD5 = Map.of(
            TRAIN_IMAGES, "f68b3c2dcbeaaa9fbdd348bbdeb94873",
            TRAIN_LABELS, "d53e105ee54ea40749a09fcbcd1e9432",
            TEST_IMAGES, "9fb629c4189551a2d022fa330f9573f3",
            TEST_LABELS, "ec29112dd5afa0611ce80d1b7f02629c");

    private Mnist() {
    }

    /**
     * The four compressed MNIST files, each to be fetched from the mirrors in order.
     *
     * @param mirrors base addresses, each holding all four files (e.g. {@link #MIRRORS})
     */
    public static List<RemoteFile> remoteFiles(List<URI> mirrors) {
        List<RemoteFile> files = new ArrayList<>();
        for (String file : FILES) {
            String name = file + ".gz";
            List<URI> sources = mirrors.stream().map(base -> asDirectory(base).resolve(name)).toList();
            files.add(new RemoteFile(name, sources, Checksum.md5(MD5.get(file))));
        }
        return files;
    }

    private static URI asDirectory(URI base) {
        return base.getPath().endsWith("/") ? base : URI.create(base + "/");
    }

    /**
     * Loads the four MNIST-layout files in {@code directory} (each raw or {@code .gz}).
     *
     * @param name what to call the data, e.g. {@link #NAME}
     */
    public static ImageClassData load(Path directory, String name) {
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
        return ImageClassData.loadIdx(name, directory.toAbsolutePath().toString(), train, test,
                IdxRecordReader.DIGITS);
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
