package org.dl4jlabs.common.io;

import org.dl4jlabs.common.LabsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UserFilesTest {

    @TempDir
    Path dir;

    @Test
    void saysWhatAPathIsWhenItIsNotAFile() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("folder"));
        Path loop = dir.resolve("a");
        Files.createSymbolicLink(loop, dir.resolve("b"));
        Files.createSymbolicLink(dir.resolve("b"), loop);
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("gone"));

        assertEquals("the model " + folder + " is a directory, not a file", message(() -> UserFiles.requireFile(folder, "the model")));
        assertEquals("the model " + loop + " is a symbolic link loop", message(() -> UserFiles.requireFile(loop, "the model")));
        assertEquals("the model " + dangling + " is a symbolic link that leads nowhere",
                message(() -> UserFiles.requireFile(dangling, "the model")));
        assertEquals("the model " + dir.resolve("none") + " does not exist",
                message(() -> UserFiles.requireFile(dir.resolve("none"), "the model")));
        assertDoesNotThrow(() -> UserFiles.requireFile(Files.writeString(dir.resolve("ok"), "x"), "the model"));
    }

    @Test
    void anArchiveGivenForADirectoryIsToBeUnpacked() throws Exception {
        Path archive = Files.writeString(dir.resolve("cifar-10-jpeg.tar.gz"), "x");
        Path notes = Files.writeString(dir.resolve("notes.txt"), "x");
        assertEquals("the data directory " + archive + " is a file, not a directory; unpack the archive first (tar xzf or"
                + " unzip) and give the directory it makes", message(() -> UserFiles.requireDirectory(archive, "the data directory")));
        assertEquals("the data directory " + notes + " is a file, not a directory",
                message(() -> UserFiles.requireDirectory(notes, "the data directory")));
    }

    @Test
    void notUtf8NamesTheFirstBadLineOrNone() throws Exception {
        Path latin1 = Files.write(dir.resolve("l.txt"), "ok\nstill ok\ncaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(latin1 + " is not UTF-8 text (line 3)", UserFiles.notUtf8(latin1));
        Path good = Files.writeString(dir.resolve("g.txt"), "caf\u00e9");
        assertEquals(good + " is not UTF-8 text", UserFiles.notUtf8(good));
    }

    private static String message(org.junit.jupiter.api.function.Executable check) {
        return assertThrows(LabsException.class, check).getMessage();
    }
}
