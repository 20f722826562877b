package org.dl4jlabs.common.data.mnist;

import org.dl4jlabs.common.LabsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class IdxTest {

    @TempDir
    Path dir;

    public static IdxImages rampImages(int count, int height, int width) {
        byte[] pixels = new byte[count * height * width];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 7);
        }
        return new IdxImages(count, height, width, pixels);
    }

    @Test
    void imagesAndLabelsSurviveARoundTripRawAndGzipped() throws IOException {
        IdxImages images = rampImages(5, 3, 4);
        IdxLabels labels = new IdxLabels(new byte[] {0, 9, 3, (byte) 200, 1});
        for (String suffix : new String[] {"", ".gz"}) {
            Path imageFile = dir.resolve("images" + suffix);
            Path labelFile = dir.resolve("labels" + suffix);
            Idx.write(imageFile, images);
            Idx.write(labelFile, labels);

            IdxImages readImages = Idx.readImages(imageFile);
            assertEquals(5, readImages.count());
            assertEquals(3, readImages.height());
            assertEquals(4, readImages.width());
            assertArrayEquals(images.pixels(), readImages.pixels());
            IdxLabels readLabels = Idx.readLabels(labelFile);
            assertArrayEquals(labels.labels(), readLabels.labels());
            assertEquals(200, readLabels.label(3), "labels are unsigned bytes");
        }
        assertEquals(16 + 60, Files.size(dir.resolve("images")), "raw file is header plus pixels");
        byte[] gz = Files.readAllBytes(dir.resolve("images.gz"));
        assertTrue((gz[0] & 0xFF) == 0x1F && (gz[1] & 0xFF) == 0x8B, "a .gz name is written gzip-compressed");
    }

    @Test
    void gzipIsRecognisedByContentNotByName() throws IOException {
        Idx.write(dir.resolve("images.gz"), rampImages(2, 2, 2));
        Path misnamed = Files.move(dir.resolve("images.gz"), dir.resolve("images-idx3-ubyte"));
        assertEquals(2, Idx.readImages(misnamed).count());
    }

    @Test
    void writingLeavesNoTemporaryFilesBehind() throws IOException {
        Idx.write(dir.resolve("labels"), new IdxLabels(new byte[] {1, 2}));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void emptyFileIsReportedAsEmpty() throws IOException {
        Path empty = Files.createFile(dir.resolve("train-images-idx3-ubyte"));
        LabsException e = assertThrows(LabsException.class, () -> Idx.read(empty));
        assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("is empty"), e.getMessage());
    }

    @Test
    void wrongMagicNumberIsReportedWithBothValues() throws IOException {
        Path file = dir.resolve("not-idx");
        Files.write(file, ByteBuffer.allocate(16).putInt(0x00000C03).putInt(1).putInt(1).putInt(0).array());
        LabsException e = assertThrows(LabsException.class, () -> Idx.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("0x00000C03"), e.getMessage());
        assertTrue(e.getMessage().contains("0x00000803"), e.getMessage());
    }

    @Test
    void truncatedImagesAreReportedWithPromisedAndActualSize() throws IOException {
        Path file = dir.resolve("images");
        Idx.write(file, rampImages(10, 28, 28));
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length - 100));
        LabsException e = assertThrows(LabsException.class, () -> Idx.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("10 images of 28x28"), e.getMessage());
        assertTrue(e.getMessage().contains("holds only " + (whole.length - 100) + " bytes"), e.getMessage());
    }

    @Test
    void truncatedHeaderIsReported() throws IOException {
        Path file = dir.resolve("labels");
        Files.write(file, new byte[] {0, 0, 8, 1, 0});
        LabsException e = assertThrows(LabsException.class, () -> Idx.read(file));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedGzipIsReportedAsDamaged() throws IOException {
        Path file = dir.resolve("labels.gz");
        Idx.write(file, new IdxLabels(new byte[5000]));
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length / 2));
        LabsException e = assertThrows(LabsException.class, () -> Idx.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("damaged or incomplete"), e.getMessage());
    }

    @Test
    void trailingBytesAreRejected() throws IOException {
        Path file = dir.resolve("labels");
        Files.write(file, ByteBuffer.allocate(11).putInt(Idx.LABELS_MAGIC).putInt(2).array());
        LabsException e = assertThrows(LabsException.class, () -> Idx.read(file));
        assertTrue(e.getMessage().contains("2 labels (10 bytes) but it holds 11 bytes"), e.getMessage());
    }

    @Test
    void swappedImageAndLabelFilesAreNamed() {
        Path labels = dir.resolve("labels");
        Idx.write(labels, new IdxLabels(new byte[] {1}));
        LabsException e = assertThrows(LabsException.class, () -> Idx.readImages(labels));
        assertTrue(e.getMessage().contains("holds labels, but an image file was expected"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope");
        LabsException e = assertThrows(LabsException.class, () -> Idx.read(missing));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("does not exist"));
        assertFalse(Files.exists(missing));
    }
}
