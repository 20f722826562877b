package org.dl4jlabs.common.data;

import org.dl4jlabs.common.LabsException;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Which data a lab should use, as chosen on the command line:
 * <ul>
 *   <li>{@code auto}: the real data set if it is in the cache or can be downloaded, else generated data;</li>
 *   <li>{@code download}: the real data set, downloading it if needed, or fail;</li>
 *   <li>{@code generated}: data the suite generates itself, no network needed;</li>
 *   <li>anything else: a directory holding the data set's files.</li>
 * </ul>
 *
 * @param kind      which of the four
 * @param directory the directory, for {@link Kind#DIRECTORY} only; null otherwise
 */
public record DataOption(Kind kind, Path directory) {

    public enum Kind { AUTO, DOWNLOAD, GENERATED, DIRECTORY }

    public static final DataOption AUTO = new DataOption(Kind.AUTO, null);
    public static final DataOption DOWNLOAD = new DataOption(Kind.DOWNLOAD, null);
    public static final DataOption GENERATED = new DataOption(Kind.GENERATED, null);

    public DataOption {
        if ((kind == Kind.DIRECTORY) != (directory != null)) {
            throw new IllegalArgumentException("a directory goes with kind DIRECTORY and only with it");
        }
    }

    /**
     * Parses {@code auto}, {@code download} or {@code generated} (in any case), or else a directory.
     * A directory with one of those names can still be given as {@code ./auto}.
     */
    public static DataOption parse(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            throw new LabsException("The data option is empty. Use auto, download, generated or a directory.");
        }
        return switch (trimmed.toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "download" -> DOWNLOAD;
            case "generated" -> GENERATED;
            default -> new DataOption(Kind.DIRECTORY, directoryPath(trimmed));
        };
    }

    private static Path directoryPath(String text) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new LabsException("The data option '" + text + "' is neither auto, download nor generated, and"
                    + " it is not a valid directory path: " + e.getReason() + ".");
        }
    }

    @Override
    public String toString() {
        return kind == Kind.DIRECTORY ? directory.toString() : kind.name().toLowerCase(Locale.ROOT);
    }
}
