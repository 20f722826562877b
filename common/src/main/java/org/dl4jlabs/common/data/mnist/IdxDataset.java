package org.dl4jlabs.common.data.mnist;

import org.dl4jlabs.common.data.download.Checksum;
import org.dl4jlabs.common.data.download.RemoteFile;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The published data sets in MNIST's layout (four IDX files, 28x28 greyscale, ten classes): where
 * to download them, the MD5 each file is published with, and what their classes are called.
 */
public enum IdxDataset {

    /** Handwritten digits; live copies of the original files, the original site last. */
    MNIST("mnist", "MNIST", List.of(
            URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/"),
            URI.create("http://yann.lecun.com/exdb/mnist/")),
            Map.of(Mnist.TRAIN_IMAGES, "f68b3c2dcbeaaa9fbdd348bbdeb94873",
                    Mnist.TRAIN_LABELS, "d53e105ee54ea40749a09fcbcd1e9432",
                    Mnist.TEST_IMAGES, "9fb629c4189551a2d022fa330f9573f3",
                    Mnist.TEST_LABELS, "ec29112dd5afa0611ce80d1b7f02629c"),
            IdxRecordReader.DIGITS),

    /**
     * Zalando's photos of clothes, a drop-in for MNIST that is harder; the files from the data set's
     * own repository, then its S3 site, with the MD5s its README publishes.
     */
    FASHION("fashion-mnist", "Fashion-MNIST", List.of(
            URI.create("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"),
            URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")),
            Map.of(Mnist.TRAIN_IMAGES, "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
                    Mnist.TRAIN_LABELS, "25c81989df183df01b3e8a0aad5dffbe",
                    Mnist.TEST_IMAGES, "bef4ecab320f06d8554ea6380940ec79",
                    Mnist.TEST_LABELS, "bb300cfdad3c16e7a12a480ee83cd310"),
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                    "Ankle boot"));

    private final String directoryName;
    private final String displayName;
    private final List<URI> mirrors;
    private final Map<String, String> md5;
    private final List<String> classNames;

    IdxDataset(String directoryName, String displayName, List<URI> mirrors, Map<String, String> md5,
               List<String> classNames) {
        this.directoryName = directoryName;
        this.displayName = displayName;
        this.mirrors = mirrors;
        this.md5 = md5;
        this.classNames = classNames;
    }

    /** Its folder in the cache, and its name in reports: {@code mnist}, {@code fashion-mnist}. */
    public String directoryName() {
        return directoryName;
    }

    public String displayName() {
        return displayName;
    }

    /** The public mirrors, in the order to try them. */
    public List<URI> mirrors() {
        return mirrors;
    }

    public List<String> classNames() {
        return classNames;
    }

    /**
     * The four compressed files, each to be fetched from {@code mirrors} in order.
     *
     * @param mirrors base addresses, each holding all four files (e.g. {@link #mirrors()})
     */
    public List<RemoteFile> remoteFiles(List<URI> mirrors) {
        List<RemoteFile> files = new ArrayList<>();
        for (String file : Mnist.FILES) {
            String name = file + ".gz";
            List<URI> sources = mirrors.stream().map(base -> asDirectory(base).resolve(name)).toList();
            files.add(new RemoteFile(name, sources, Checksum.md5(md5.get(file))));
        }
        return files;
    }

    private static URI asDirectory(URI base) {
        return base.getPath().endsWith("/") ? base : URI.create(base + "/");
    }
}
