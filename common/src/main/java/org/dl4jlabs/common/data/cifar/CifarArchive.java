package org.dl4jlabs.common.data.cifar;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.io.AtomicFiles;
import org.dl4jlabs.common.io.IoErrors;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Unpacks a CIFAR {@code .tar.gz} from the authors' site. Only the members the app uses are written,
 * each under its expected name, so an archive can never write outside the target directory whatever
 * its entries are called; every file is written atomically.
 */
public final class CifarArchive {

    private CifarArchive() {
    }

    /**
     * Writes {@code members} (paths inside the archive, '/'-separated) found in {@code archive} under
     * {@code target}; members in {@code optional} may be absent, any other missing one is an error.
     */
    public static void unpack(Path archive, Path target, List<String> members, Set<String> optional) {
        Set<String> wanted = Set.copyOf(members);
        Set<String> written = new HashSet<>();
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive));
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextTarEntry()) != null) {
                String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
                // A hard link counts as a file to commons-compress; like a symbolic link, it is not data.
                boolean data = entry.isFile() && !entry.isLink() && !entry.isSymbolicLink();
                if (!data || !wanted.contains(name) || !written.add(name)) {
                    continue;
                }
                // name is one of our own member names (checked above), so it cannot point outside target.
                AtomicFiles.write(target.resolve(name), out -> tar.transferTo(out));
            }
        } catch (IOException e) {
            throw new LabsException(archive + " could not be unpacked (" + IoErrors.reason(e) + "). Delete it and"
                    + " download it again.", e);
        }
        List<String> missing = members.stream()
                .filter(member -> !written.contains(member) && !optional.contains(member)).toList();
        if (!missing.isEmpty()) {
            throw new LabsException(archive + " does not hold " + missing + "; it is not the expected archive.");
        }
    }
}
