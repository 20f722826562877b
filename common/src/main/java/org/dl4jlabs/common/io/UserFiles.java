package org.dl4jlabs.common.io;

import org.dl4jlabs.common.LabsException;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks on the files and directories a user names, with messages that say what is wrong: "is a
 * directory", "is a symbolic link loop", not "not found" for a path that plainly exists.
 */
public final class UserFiles {

    private static final List<String> ARCHIVES = List.of(".tar.gz", ".tgz", ".tar", ".zip", ".gz");

    private UserFiles() {
    }

    /**
     * A reader of a UTF-8 text file that skips the invisible byte-order mark Excel and Notepad put at
     * the start, which would otherwise stick to the first column's name or the first number. Bytes that
     * are not UTF-8 end the reading with a {@link java.nio.charset.CharacterCodingException}.
     */
    public static BufferedReader textReader(Path file) throws IOException {
        BufferedReader reader = Files.newBufferedReader(file);
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
        return reader;
    }

    /** What keeps {@code path} from being read as a file, or empty when it can be. */
    public static Optional<String> notAFile(Path path) {
        if (Files.isRegularFile(path)) {
            return Files.isReadable(path) ? Optional.empty() : Optional.of("cannot be read (permission denied)");
        }
        if (Files.isDirectory(path)) {
            return Optional.of("is a directory, not a file");
        }
        return Optional.of(missing(path));
    }

    /** Throws "{@code what} PATH is a directory, not a file" (or whatever is wrong) unless it is a readable file. */
    public static void requireFile(Path path, String what) {
        notAFile(path).ifPresent(problem -> {
            throw new LabsException(what + " " + path + " " + problem);
        });
    }

    /**
     * Throws unless {@code path} is a directory: "{@code what} PATH is a file, not a directory", with a
     * word on unpacking it when it is an archive.
     */
    public static void requireDirectory(Path path, String what) {
        if (Files.isDirectory(path)) {
            return;
        }
        if (Files.isRegularFile(path)) {
            String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
            boolean archive = ARCHIVES.stream().anyMatch(name::endsWith);
            throw new LabsException(what + " " + path + " is a file, not a directory"
                    + (archive ? "; unpack the archive first (tar xzf or unzip) and give the directory it makes" : ""));
        }
        throw new LabsException(what + " " + path + " " + missing(path));
    }

    /** Whether following {@code link} goes round in a circle (the kernel gives up after 40 links too). */
    private static boolean isLinkLoop(Path link) {
        Path at = link;
        try {
            for (int followed = 0; followed < 40; followed++) {
                if (!Files.isSymbolicLink(at)) {
                    return false;
                }
                at = at.resolveSibling(Files.readSymbolicLink(at));
            }
        } catch (IOException e) {
            return false;
        }
        return true;
    }

    private static String missing(Path path) {
        if (Files.isSymbolicLink(path)) {
            return isLinkLoop(path) ? "is a symbolic link loop" : "is a symbolic link that leads nowhere";
        }
        if (Files.exists(path)) {
            return "is neither a file nor a directory";
        }
        return "does not exist";
    }

    /**
     * "FILE is not UTF-8 text (line N)", naming the first line that does not decode. A reader's own
     * error says only "Input length = 1", and at the line it had buffered up to, not the bad one.
     */
    public static String notUtf8(Path file) {
        return file + " is not UTF-8 text" + firstBadLine(file).map(line -> " (line " + line + ")").orElse("");
    }

    private static Optional<Long> firstBadLine(Path file) {
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            long number = 1;
            for (int b = in.read(); ; b = in.read()) {
                if (b == '\n' || b < 0) {
                    try {
                        strict.decode(ByteBuffer.wrap(line.toByteArray()));
                    } catch (CharacterCodingException e) {
                        return Optional.of(number);
                    }
                    if (b < 0) {
                        return Optional.empty();
                    }
                    line.reset();
                    number++;
                } else {
                    line.write(b);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
