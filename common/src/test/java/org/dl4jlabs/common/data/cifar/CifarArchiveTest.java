package org.dl4jlabs.common.data.cifar;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.dl4jlabs.common.LabsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hostile archives: links and absolute names never write anything outside the target, or any link. */
class CifarArchiveTest {

    private static final String BATCH = "cifar-10-batches-bin/data_batch_1.bin";
    private static final String META = "cifar-10-batches-bin/batches.meta.txt";

    @TempDir
    Path dir;

    @Test
    void writesTheWantedMembersAndNothingElse() throws IOException {
        Path archive = tarGz(tar -> {
            file(tar, BATCH, "batch");
            file(tar, META, "names");
            file(tar, "cifar-10-batches-bin/readme.html", "not wanted");
        });
        Path target = dir.resolve("out");
        CifarArchive.unpack(archive, target, List.of(BATCH, META), Set.of());
        assertEquals("batch", Files.readString(target.resolve(BATCH)));
        assertEquals("names", Files.readString(target.resolve(META)));
        assertFalse(Files.exists(target.resolve("cifar-10-batches-bin/readme.html")));
    }

    @Test
    void aSymbolicLinkOrHardLinkUnderAWantedNameIsNeverFollowedOrMade() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "the user's own file");
        Path archive = tarGz(tar -> {
            link(tar, BATCH, secret.toString(), TarArchiveEntry.LF_SYMLINK);
            link(tar, META, secret.toString(), TarArchiveEntry.LF_LINK);
        });
        Path target = dir.resolve("out");

        String message = assertThrows(LabsException.class,
                () -> CifarArchive.unpack(archive, target, List.of(BATCH, META), Set.of())).getMessage();
        assertTrue(message.contains("does not hold [" + BATCH + ", " + META + "]"), message);
        assertFalse(Files.exists(target.resolve(BATCH), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(target.resolve(META), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertEquals("the user's own file", Files.readString(secret));
    }

    @Test
    void anAbsoluteOrClimbingNameIsNotAWantedMember() throws IOException {
        Path archive = tarGz(tar -> {
            file(tar, "/" + BATCH, "absolute");
            file(tar, "../" + BATCH, "climbing");
            file(tar, META, "names");
        });
        Path target = dir.resolve("out");
        assertThrows(LabsException.class, () -> CifarArchive.unpack(archive, target, List.of(BATCH, META), Set.of()));
        assertFalse(Files.exists(dir.resolve(BATCH)));
        assertFalse(Files.exists(Path.of("/" + BATCH)));
        assertFalse(Files.exists(target.resolve(BATCH)));
    }

    @FunctionalInterface
    private interface Entries {
        void writeTo(TarArchiveOutputStream tar) throws IOException;
    }

    private Path tarGz(Entries entries) throws IOException {
        Path archive = dir.resolve("cifar.tar.gz");
        try (OutputStream file = Files.newOutputStream(archive);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(file))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            entries.writeTo(tar);
        }
        return archive;
    }

    private static void file(TarArchiveOutputStream tar, String name, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    private static void link(TarArchiveOutputStream tar, String name, String pointsTo, byte kind) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, kind);
        entry.setLinkName(pointsTo);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }
}
