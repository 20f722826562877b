package org.dl4jlabs.common.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Map;

/**
 * What went wrong with a file, in words. The JDK's file exceptions carry only the path as their
 * message ({@code cannot create X: X}), so the reason has to come from the exception's type.
 */
public final class IoErrors {

    private static final Map<Class<? extends FileSystemException>, String> IN_WORDS = Map.of(
            AccessDeniedException.class, "permission denied",
            FileAlreadyExistsException.class, "a file is in the way",
            NoSuchFileException.class, "no such file or directory",
            NotDirectoryException.class, "not a directory",
            DirectoryNotEmptyException.class, "directory not empty",
            FileSystemLoopException.class, "a symbolic link loop");

    private IoErrors() {
    }

    public static String reason(IOException e) {
        if (e instanceof FileSystemException fs) {
            String where = fs.getFile() == null ? "" : " (" + fs.getFile() + ")";
            String detail = fs.getReason();
            if (detail != null && !detail.isBlank()) {
                return detail + where;
            }
            for (Map.Entry<Class<? extends FileSystemException>, String> plain : IN_WORDS.entrySet()) {
                if (plain.getKey().isInstance(e)) {
                    return plain.getValue() + where;
                }
            }
            return e.getClass().getSimpleName() + where;
        }
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }
}
