package org.dl4jlabs.catsdogs;

import org.dl4jlabs.common.data.DataSource;
import org.dl4jlabs.common.data.download.DownloadException;
import org.dl4jlabs.common.data.folder.PhotoFolder;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the lab's photos come from ({@code --data}): Microsoft's PetImages extracted into the cache,
 * generated photos, or any folder of the user's in one of the layouts {@link PhotoFolder} reads.
 *
 * @param cacheDirectory holds {@code PetImages/} and {@code generated-pets/}
 * @param generatedSpec  how many generated photos, from which seed
 */
record PetPhotos(Path cacheDirectory, GeneratedPets.Spec generatedSpec) implements DataSource<PhotoFolder> {

    static final String ZIP = "kagglecatsanddogs_5340.zip";
    static final String ZIP_ADDRESS = "https://download.microsoft.com/download/3/E/1/3E1C3F21-ECDB-4869-8368-"
            + "6DEBA77B919F/" + ZIP;

    @Override
    public Path cachedAt() {
        return cacheDirectory.resolve("PetImages");
    }

    @Override
    public String realName() {
        return "Microsoft's PetImages";
    }

    /**
     * PetImages from the cache. Fetching the 786 MiB zip is not built yet, so when the photos are not
     * there the message says where to put them by hand.
     */
    @Override
    public PhotoFolder real() {
        if (Files.isDirectory(cachedAt())) {
            return PhotoFolder.open(cachedAt());
        }
        throw new DownloadException("this version cannot download it yet",
                "PetImages is not in the cache, and this version cannot download it yet. Download " + ZIP_ADDRESS
                        + " yourself and unzip it so that " + cachedAt() + " holds Cat/ and Dog/, or give any folder"
                        + " of photos with --data DIR");
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
