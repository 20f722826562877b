package org.dl4jlabs.common.data.mnist;

import org.dl4jlabs.common.data.DataSource;
import org.dl4jlabs.common.data.ImageClassData;
import org.dl4jlabs.common.data.download.Downloader;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Digit data in the three forms of a {@link DataSource}: MNIST from the cache or the internet,
 * generated digits, or an MNIST-layout directory of the user's. The data returned is named after
 * what was really used, so a report never calls generated digits "mnist".
 *
 * @param cacheDirectory where MNIST ({@code mnist/}) and generated digits ({@code generated-digits/}) are kept
 * @param mirrors        MNIST mirrors, tried in order
 * @param downloader     fetches MNIST; its connect timeout bounds how long {@code auto} waits when offline
 * @param generatedSpec  how many generated digits to make, and from which seed
 */
public record MnistDataResolver(Path cacheDirectory, List<URI> mirrors, Downloader downloader,
                                GeneratedDigits.Spec generatedSpec) implements DataSource<ImageClassData> {

    public MnistDataResolver {
        mirrors = List.copyOf(mirrors);
    }

    /** A resolver with the public MNIST mirrors, default timeouts and the default generated data. */
    public static MnistDataResolver inCache(Path cacheDirectory) {
        return new MnistDataResolver(cacheDirectory, Mnist.MIRRORS, new Downloader(), GeneratedDigits.Spec.DEFAULT);
    }

    public MnistDataResolver withMirrors(List<URI> newMirrors) {
        return new MnistDataResolver(cacheDirectory, newMirrors, downloader, generatedSpec);
    }

    public MnistDataResolver withDownloader(Downloader newDownloader) {
        return new MnistDataResolver(cacheDirectory, mirrors, newDownloader, generatedSpec);
    }

    public MnistDataResolver withGenerated(GeneratedDigits.Spec newGenerated) {
        return new MnistDataResolver(cacheDirectory, mirrors, downloader, newGenerated);
    }

    /** Where MNIST's files are cached. */
    public Path mnistDirectory() {
        return cacheDirectory.resolve(Mnist.NAME);
    }

    @Override
    public Path cachedAt() {
        return mnistDirectory();
    }

    @Override
    public ImageClassData real() {
        downloader.fetchAll(Mnist.remoteFiles(mirrors), mnistDirectory());
        return Mnist.load(mnistDirectory(), Mnist.NAME);
    }

    @Override
    public ImageClassData generated() {
        return GeneratedDigits.load(cacheDirectory, generatedSpec);
    }

    @Override
    public ImageClassData fromDirectory(Path directory) {
        return Mnist.load(directory, DataSource.nameOf(directory));
    }

    @Override
    public String realName() {
        return "MNIST";
    }
}
