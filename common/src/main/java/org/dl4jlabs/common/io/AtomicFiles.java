package org.dl4jlabs.common.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The one way the suite writes a file a user keeps (a model, a report, a picture, a cached data
 * set): the content goes to a temporary file beside the target, which is then renamed over it. A
 * crash, a full disk or Ctrl-C leaves either the old file or the new one, never half of one, and the
 * temporary file is removed on every path.
 */
public final class AtomicFiles {

    /** Writes a file's content to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes a file's content to a path, for libraries that only write to files (DL4J's ModelSerializer). */
    @FunctionalInterface
    public interface FileContent {
        void writeTo(Path file) throws IOException;
    }

    private AtomicFiles() {
    }

    public static void write(Path target, Content content) throws IOException {
        writeFile(target, temp -> {
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.TRUNCATE_EXISTING)) {
                content.writeTo(out);
            }
        });
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Lets {@code content} write a temporary file beside {@code target} and renames it over the target.
     * The temporary file is created with the directory's default permissions (not createTempFile's
     * owner-only ones), so the final file has the permissions any file the user writes there has.
     */
    public static void writeFile(Path target, FileContent content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path temp = absolute.resolveSibling("." + absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW).close();
            content.writeTo(temp);
            moveIntoPlace(temp, absolute);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Removes a directory and everything in it, if it is there: a staging directory the suite wrote
     * (a half-extracted archive, half-drawn data) before it is written afresh.
     */
    public static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Renames {@code source} to {@code target}, replacing it; both must be in the same directory. */
    public static void moveIntoPlace(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // Some network and FAT file systems cannot rename atomically; a plain move is the best left.
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
