package org.dl4jlabs.common.data.mnist;

import org.dl4jlabs.common.data.DataOption;
import org.dl4jlabs.common.data.ImageClassData;
import org.dl4jlabs.common.data.download.DownloadException;
import org.dl4jlabs.common.data.download.Downloader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the digit data a {@link DataOption} asks for: MNIST from the cache or the internet,
 * generated digits, or an MNIST-layout directory of the user's. The data returned is named after
 * what was really used, so a report never calls generated digits "mnist".
 *
 * @param cacheDirectory where MNIST ({@code mnist/}) and generated digits ({@code generated-digits/}) are kept
 * @param mirrors        MNIST mirrors, tried in order
 * @param downloader     fetches MNIST; its connect timeout bounds how long {@code auto} waits when offline
 * @param generated      how many generated digits to make, and from which seed
 */
public record MnistDataResolver(Path cacheDirectory, List<URI> mirrors, Downloader downloader,
                                GeneratedDigits.Spec generated) {

    private static final Logger log = LoggerFactory.getLogger(MnistDataResolver.class);

    public MnistDataResolver {
        mirrors = List.copyOf(mirrors);
    }

    /** A resolver with the public MNIST mirrors, default timeouts and the default generated data. */
    public static MnistDataResolver inCache(Path cacheDirectory) {
        return new MnistDataResolver(cacheDirectory, Mnist.MIRRORS, new Downloader(), GeneratedDigits.Spec.DEFAULT);
    }

    public MnistDataResolver withMirrors(List<URI> newMirrors) {
        return new MnistDataResolver(cacheDirectory, newMirrors, downloader, generated);
    }

    public MnistDataResolver withDownloader(Downloader newDownloader) {
        return new MnistDataResolver(cacheDirectory, mirrors, newDownloader, generated);
    }

    public MnistDataResolver withGenerated(GeneratedDigits.Spec newGenerated) {
        return new MnistDataResolver(cacheDirectory, mirrors, downloader, newGenerated);
    }

    /** Where MNIST's files are cached. */
    public Path mnistDirectory() {
        return cacheDirectory.resolve(Mnist.NAME);
    }

    public ImageClassData resolve(DataOption option) {
        return switch (option.kind()) {
            case AUTO -> mnistOrGenerated();
            case DOWNLOAD -> downloadedMnist();
            case GENERATED -> GeneratedDigits.load(cacheDirectory, generated);
            case DIRECTORY -> Mnist.load(option.directory(), nameOf(option.directory()));
        };
    }

    private ImageClassData downloadedMnist() {
        downloader.fetchAll(Mnist.remoteFiles(mirrors), mnistDirectory());
        return Mnist.load(mnistDirectory(), Mnist.NAME);
    }

    private ImageClassData mnistOrGenerated() {
        if (Downloader.isCached(Mnist.remoteFiles(mirrors), mnistDirectory())) {
            return Mnist.load(mnistDirectory(), Mnist.NAME);
        }
        try {
            return downloadedMnist();
        } catch (DownloadException e) {
            log.warn("Using generated digits instead of MNIST: MNIST is not in {} and {}. To train on MNIST, choose"
                    + " the 'download' data option to see where to put its files by hand.", mnistDirectory(),
                    e.reason());
            return GeneratedDigits.load(cacheDirectory, generated);
        }
    }

    /** A directory's data is called by the directory's name, e.g. "fashion-mnist". */
    private static String nameOf(Path directory) {
        Path name = directory.toAbsolutePath().normalize().getFileName();
        return name == null ? directory.toString() : name.toString();
    }
}
