package org.dl4jlabs.common.io;

import org.dl4jlabs.common.LabsException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Extracts zip archives from the internet without trusting their entry names. */
public final class ZipArchives {

    private ZipArchives() {
    }

    /**
     * Extracts the entries under {@code prefix} (e.g. {@code "PetImages/"}) into the new directory
     * {@code target}, without the prefix, and returns how many files it wrote. All or nothing: the
     * files go to {@code target.partial} first, which becomes {@code target} only when every entry is
     * out with its CRC checked; a failure leaves no {@code target}. An entry whose name would lead
     * outside {@code target} ({@code ../}, an absolute path) stops the extraction as a damaged or
     * hostile archive.
     */
    public static int extract(Path zip, String prefix, Path target) {
        if (Files.exists(target)) {
            throw new LabsException(target + " already exists; remove it to extract " + zip.getFileName() + " again.");
        }
        Path staging = target.resolveSibling(target.getFileName() + ".partial");
        deleteTree(staging); // a previous extraction that was interrupted
        int files = 0;
        try {
            Files.createDirectories(staging);
            try (ZipInputStream in = new ZipInputStream(new BufferedInputStream(Files.newInputStream(zip), 1 << 16))) {
                for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                    String name = entry.getName().replace('\\', '/');
                    if (!name.startsWith(prefix) || name.length() == prefix.length()) {
                        continue;
                    }
                    Path path = inside(staging, name.substring(prefix.length()), zip, entry.getName());
                    if (entry.isDirectory()) {
                        Files.createDirectories(path);
                    } else {
                        Files.createDirectories(path.getParent());
                        Files.copy(in, path);
                        files++;
                    }
                }
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return files;
        } catch (FileAlreadyExistsException e) {
            deleteTree(staging);
            throw new LabsException(zip + " holds " + e.getFile() + " twice; it is damaged. Delete it and download"
                    + " it again.", e);
        } catch (IOException e) {
            deleteTree(staging);
            throw new LabsException("Could not extract " + zip + " (" + IoErrors.reason(e) + "). If it is damaged, delete"
                    + " it and download it again; if the disk is full, free some space.", e);
        } catch (RuntimeException e) {
            deleteTree(staging);
            throw e;
        }
    }

    private static Path inside(Path directory, String name, Path zip, String entryName) {
        Path path = directory.resolve(name).normalize();
        if (name.startsWith("/") || !path.startsWith(directory) || path.equals(directory)) {
            throw new LabsException(zip + " holds an entry named '" + entryName + "', which would be written outside"
                    + " the folder it is extracted to; nothing was extracted. The archive is damaged or is not the"
                    + " expected one.");
        }
        return path;
    }

    private static void deleteTree(Path directory) {
        try {
            AtomicFiles.deleteTree(directory);
        } catch (IOException e) {
            throw new LabsException("Could not remove the partly extracted " + directory + ": " + IoErrors.reason(e)
                    + ". Remove it by hand.", e);
        }
    }
}
