package org.dl4jlabs.common.io;

import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.download.ZipCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZipArchivesTest {

    @TempDir
    Path dir;

    /** A zip of {@code entries} (name to content; a name ending in '/' is a directory entry). */
    static byte[] zipOf(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] noise(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static Map<String, byte[]> petImages() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("readme.txt", "not a photo".getBytes(StandardCharsets.UTF_8));
        entries.put("PetImages/", new byte[0]);
        entries.put("PetImages/Cat/", new byte[0]);
        entries.put("PetImages/Cat/1.jpg", noise(5_000, 1));
        entries.put("PetImages/Dog/1.jpg", noise(7_000, 2));
        entries.put("PetImages/Dog/Thumbs.db", new byte[0]);
        return entries;
    }

    @Test
    void extractsTheEntriesUnderThePrefixWithoutIt() throws IOException {
        Path zip = write("pets.zip", zipOf(petImages()));
        Path target = dir.resolve("cache/PetImages");

        assertEquals(3, ZipArchives.extract(zip, "PetImages/", target));

        assertArrayEquals(noise(5_000, 1), Files.readAllBytes(target.resolve("Cat/1.jpg")));
        assertArrayEquals(noise(7_000, 2), Files.readAllBytes(target.resolve("Dog/1.jpg")));
        assertEquals(0, Files.size(target.resolve("Dog/Thumbs.db")));
        assertFalse(Files.exists(target.resolve("readme.txt")), "entries outside the prefix stay in the zip");
        assertFalse(Files.exists(dir.resolve("cache/PetImages.partial")));
    }

    @Test
    void anEntryThatWouldLeaveTheTargetStopsEverything() throws IOException {
        Map<String, byte[]> entries = petImages();
        entries.put("PetImages/Cat/../../../escaped.txt", "gotcha".getBytes(StandardCharsets.UTF_8));
        Path zip = write("hostile.zip", zipOf(entries));
        Path target = dir.resolve("cache/PetImages");

        LabsException error = assertThrows(LabsException.class, () -> ZipArchives.extract(zip, "PetImages/", target));

        assertTrue(error.getMessage().contains("outside the folder"), error.getMessage());
        assertFalse(Files.exists(dir.resolve("escaped.txt")));
        assertFalse(Files.exists(dir.resolve("cache/escaped.txt")));
        assertFalse(Files.exists(target), "all or nothing: no half-extracted folder");
        assertFalse(Files.exists(dir.resolve("cache/PetImages.partial")));
    }

    @Test
    void anAbsoluteEntryNameIsRefusedToo() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("PetImages//etc/passwd", new byte[]{1});
        Path zip = write("absolute.zip", zipOf(entries));

        assertThrows(LabsException.class, () -> ZipArchives.extract(zip, "PetImages/", dir.resolve("out")));
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void aSymbolicLinkEntryIsWrittenAsAPlainFileNeverAsALink() throws IOException {
        Path secret = write("secret.txt", "the user's own file".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            ZipArchiveEntry link = new ZipArchiveEntry("PetImages/Cat/2.jpg");
            link.setUnixMode(UnixStat.LINK_FLAG | 0777);
            zip.putArchiveEntry(link);
            zip.write(secret.toString().getBytes(StandardCharsets.UTF_8));
            zip.closeArchiveEntry();
        }
        Path zip = write("link.zip", bytes.toByteArray());
        Path target = dir.resolve("out");

        ZipArchives.extract(zip, "PetImages/", target);

        Path extracted = target.resolve("Cat/2.jpg");
        assertTrue(Files.isRegularFile(extracted, LinkOption.NOFOLLOW_LINKS));
        assertEquals(secret.toString(), Files.readString(extracted), "the link's target as text, not its content");
        assertEquals("the user's own file", Files.readString(secret));
    }

    @Test
    void anExistingFolderIsNeverReplaced() throws IOException {
        Path zip = write("pets.zip", zipOf(petImages()));
        Path target = Files.createDirectories(dir.resolve("PetImages"));
        Files.writeString(target.resolve("mine.txt"), "the user's");

        assertThrows(LabsException.class, () -> ZipArchives.extract(zip, "PetImages/", target));
        assertEquals("the user's", Files.readString(target.resolve("mine.txt")));
    }

    @Test
    void zipCheckPassesAGoodZipAndNamesWhatIsWrongWithABadOne() throws IOException {
        byte[] good = zipOf(petImages());
        ZipCheck check = new ZipCheck(good.length);
        assertTrue(check.matches(write("good.zip", good)));

        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 10);
        assertTrue(check.mismatch(write("short.zip", truncated)).orElseThrow().contains("bytes"));

        byte[] damaged = good.clone();
        int insideCatPhoto = indexOf(good, "PetImages/Cat/1.jpg".getBytes(StandardCharsets.UTF_8)) + 100;
        damaged[insideCatPhoto] ^= 0x5A;
        String why = check.mismatch(write("damaged.zip", damaged)).orElseThrow();
        assertTrue(why.contains("PetImages/Cat/1.jpg") && why.contains("damaged"), why);

        byte[] notZip = noise(good.length, 3);
        assertFalse(check.matches(write("noise.zip", notZip)));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
