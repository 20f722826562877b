package org.dl4jlabs.common.data.mnist;

import org.dl4jlabs.common.data.DataSource;
import org.dl4jlabs.common.data.ImageClassData;
import org.dl4jlabs.common.data.download.Downloader;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Data in MNIST's layout in the three forms of a {@link DataSource}: MNIST or Fashion-MNIST from the
 * cache or the internet, generated digits, or an MNIST-layout directory of the user's. The data
 * returned is named after what was really used, so a report never calls generated digits "mnist".
 *
 * @param cacheDirectory where the data set ({@code mnist/}, {@code fashion-mnist/}) and generated digits
 *                       ({@code generated-digits/}) are kept
 * @param dataset        which published data set is the real one
 * @param mirrors        its mirrors, tried in order
 * @param downloader     fetches MNIST; its connect timeout bounds how long {@code auto} waits when offline
 * @param generatedSpec  how many generated digits to make, and from which seed
 */
public record MnistDataResolver(Path cacheDirectory, IdxDataset dataset, List<URI> mirrors, Downloader downloader,
                                GeneratedDigits.Spec generatedSpec) implements DataSource<ImageClassData> {

    public MnistDataResolver {
        mirrors = List.copyOf(mirrors);
    }

    /** MNIST with its public mirrors, default timeouts and the default generated data. */
    public static MnistDataResolver inCache(Path cacheDirectory) {
        return inCache(cacheDirectory, IdxDataset.MNIST);
    }

    /** The given data set with its public mirrors, default timeouts and the default generated data. */
    public static MnistDataResolver inCache(Path cacheDirectory, IdxDataset dataset) {
        return new MnistDataResolver(cacheDirectory, dataset, dataset.mirrors(), new Downloader(),
                GeneratedDigits.Spec.DEFAULT);
    }

    public MnistDataResolver withMirrors(List<URI> newMirrors) {
        return new MnistDataResolver(cacheDirectory, dataset, newMirrors, downloader, generatedSpec);
    }

    public MnistDataResolver withDownloader(Downloader newDownloader) {
        return new MnistDataResolver(cacheDirectory, dataset, mirrors, newDownloader, generatedSpec);
    }

    public MnistDataResolver withGenerated(GeneratedDigits.Spec newGenerated) {
        return new MnistDataResolver(cacheDirectory, dataset, mirrors, downloader, newGenerated);
    }

    /** Where the data set's files are cached. */
    public Path mnistDirectory() {
        return cacheDirectory.resolve(dataset.directoryName());
    }

    @Override
    public Path cachedAt() {
        return mnistDirectory();
    }

    @Override
    public ImageClassData real() {
        downloader.fetchAll(dataset.remoteFiles(mirrors), mnistDirectory());
        return Mnist.load(mnistDirectory(), dataset.directoryName(), dataset.classNames());
    }

    @Override
    public ImageClassData generated() {
        return GeneratedDigits.load(cacheDirectory, generatedSpec);
    }

    @Override
    public ImageClassData fromDirectory(Path directory) {
        return Mnist.load(directory, DataSource.nameOf(directory), dataset.classNames());
    }

    @Override
    public String realName() {
        return dataset.displayName();
    }
}
