package org.dl4jlabs.common.data.folder;

import org.dl4jlabs.common.data.DataSource;
import org.dl4jlabs.common.data.download.DownloadException;
import org.dl4jlabs.common.data.download.Downloader;
import org.dl4jlabs.common.data.download.RemoteFile;
import org.dl4jlabs.common.data.download.ZipCheck;
import org.dl4jlabs.common.io.ZipArchives;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the lab's photos come from ({@code --data}): Microsoft's PetImages, downloaded and extracted
 * into the cache; generated photos; or any folder of the user's in one of the layouts
 * {@link PhotoFolder} reads.
 *
 * @param cacheDirectory holds the zip, {@code PetImages/} and {@code generated-pets/}
 * @param zip            where the PetImages zip comes from and how a copy is checked
 * @param downloader     fetches the zip
 * @param generatedSpec  how many generated photos, from which seed
 */
public record PetImages(Path cacheDirectory, RemoteFile zip, Downloader downloader, GeneratedPets.Spec generatedSpec)
        implements DataSource<PhotoFolder> {

    /**
     * Microsoft's own address, the one Keras' and TensorFlow Datasets' cats-vs-dogs use. Microsoft
     * publishes no checksum for it, so the size is pinned and the zip's CRCs are checked.
     */
    public static final RemoteFile PET_IMAGES_ZIP = new RemoteFile("kagglecatsanddogs_5340.zip",
            List.of(URI.create("https://download.microsoft.com/download/3/E/1/3E1C3F21-ECDB-4869-8368-6DEBA77B919F/"
                    + "kagglecatsanddogs_5340.zip")),
            new ZipCheck(824_887_076L));

    private static final Logger log = LoggerFactory.getLogger(PetImages.class);

    public static PetImages inCache(Path cacheDirectory) {
        return new PetImages(cacheDirectory, PET_IMAGES_ZIP, new Downloader(), GeneratedPets.Spec.DEFAULT);
    }

    @Override
    public Path cachedAt() {
        return cacheDirectory.resolve("PetImages");
    }

    @Override
    public String realName() {
        return "Microsoft's PetImages";
    }

    /** PetImages from the cache; the first time, the zip is downloaded (786 MiB) and its PetImages/ extracted. */
    @Override
    public PhotoFolder real() throws DownloadException {
        if (!Files.isDirectory(cachedAt())) {
            Path archive = downloader.fetchAll(List.of(zip), cacheDirectory).get(0);
            log.info("Extracting the photos of {} into {}", archive.getFileName(), cachedAt());
            int files = ZipArchives.extract(archive, "PetImages/", cachedAt());
            log.info("Extracted {} files; {} is no longer needed and can be deleted", files, archive);
        }
        return PhotoFolder.open(cachedAt());
    }

    @Override
    public PhotoFolder generated() {
        return PhotoFolder.open(GeneratedPets.folder(cacheDirectory, generatedSpec));
    }

    @Override
    public PhotoFolder fromDirectory(Path directory) {
        return PhotoFolder.open(directory);
    }
}
