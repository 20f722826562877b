package org.dl4jlabs.common.data.cifar;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.DataSource;
import org.dl4jlabs.common.data.ImageClassData;
import org.dl4jlabs.common.data.cifar.CifarFormat.Labels;
import org.dl4jlabs.common.data.download.Downloader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * CIFAR data in the three forms of a {@link DataSource}: the authors' archive from the cache or the
 * internet (checked, then unpacked into the cache), generated images, or a directory of the user's.
 *
 * @param cacheDirectory holds {@code cifar10/} and {@code cifar100/} (archive and unpacked files) and {@code generated-cifar/}
 * @param layout         which data set, and its archive's name, checksum and members
 * @param mirrors        base addresses the archive is fetched from, tried in order
 */
public record CifarDataResolver(Path cacheDirectory, Cifar.Layout layout, Labels labels, List<URI> mirrors,
                                Downloader downloader, GeneratedCifar.Spec generatedSpec)
        implements DataSource<ImageClassData> {

    private static final Logger log = LoggerFactory.getLogger(CifarDataResolver.class);

    public CifarDataResolver {
        mirrors = List.copyOf(mirrors);
    }

    public static CifarDataResolver inCache(Path cacheDirectory, CifarFormat format, Labels labels) {
        return new CifarDataResolver(cacheDirectory, Cifar.layout(format), labels, List.of(Cifar.SITE),
                new Downloader(), GeneratedCifar.Spec.DEFAULT);
    }

    public CifarDataResolver withMirrors(List<URI> newMirrors) {
        return new CifarDataResolver(cacheDirectory, layout, labels, newMirrors, downloader, generatedSpec);
    }

    public CifarDataResolver withGenerated(GeneratedCifar.Spec newGenerated) {
        return new CifarDataResolver(cacheDirectory, layout, labels, mirrors, downloader, newGenerated);
    }

    public CifarFormat format() {
        return layout.format();
    }

    /** Where the archive and its unpacked files are kept. */
    public Path dataDirectory() {
        return cacheDirectory.resolve(format().lowerCaseName());
    }

    @Override
    public Path cachedAt() {
        return dataDirectory();
    }

    @Override
    public String realName() {
        return format().displayName();
    }

    @Override
    public ImageClassData generated() {
        if (format() != CifarFormat.CIFAR10) {
            log.warn("Generated images have ten classes, like CIFAR-10; --dataset {} applies to real data only.",
                    format().lowerCaseName());
        }
        return GeneratedCifar.load(cacheDirectory, generatedSpec);
    }

    /** CIFAR's binary files, or a tree of {@code train/<class>/} and {@code test/<class>/} image files. */
    @Override
    public ImageClassData fromDirectory(Path directory) {
        Path imageFolders = Files.isDirectory(directory) ? CifarFolders.findIn(directory) : null;
        if (imageFolders != null) {
            if (labels == Labels.COARSE) {
                throw new LabsException("image folders give one label per image; --labels coarse needs CIFAR-100's"
                        + " binary files");
            }
            return CifarFolders.load(imageFolders, format(), DataSource.nameOf(directory));
        }
        return Cifar.load(directory, format(), labels, DataSource.nameOf(directory));
    }

    /** Unpacked files in the cache are used as they are; otherwise the archive is fetched (or taken from the cache) and unpacked. */
    @Override
    public ImageClassData real() {
        Path directory = dataDirectory();
        Path unpacked = directory.resolve(layout.directory());
        if (!isUnpacked(layout, unpacked)) {
            Path archive = downloader.fetchAll(List.of(layout.remoteFile(mirrors)), directory).get(0);
            log.info("Unpacking {} into {}", archive, directory);
            CifarArchive.unpack(archive, directory, layout.members(), optionalMembers(layout));
        }
        return Cifar.load(unpacked, format(), labels, format().lowerCaseName());
    }

    private static boolean isUnpacked(Cifar.Layout layout, Path unpacked) {
        return layout.trainFiles().stream().allMatch(file -> Files.isRegularFile(unpacked.resolve(file)))
                && layout.testFiles().stream().allMatch(file -> Files.isRegularFile(unpacked.resolve(file)));
    }

    /** The class-name files: the data is usable without them. */
    private static Set<String> optionalMembers(Cifar.Layout layout) {
        return layout.coarseNames() == null ? Set.of(layout.directory() + "/" + layout.fineNames())
                : Set.of(layout.directory() + "/" + layout.fineNames(), layout.directory() + "/" + layout.coarseNames());
    }
}
