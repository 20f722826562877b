package org.dl4jlabs.common.data;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.folder.PhotoFolder;
import org.dl4jlabs.common.data.folder.PhotoLoader;
import org.dl4jlabs.common.data.folder.PhotoScan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A few bytes that declare a huge image are refused from their header, before anything is decoded. */
class ImageBombTest {

    @TempDir
    Path dir;

    /** A PNG of 69 bytes whose header declares {@code side} x {@code side} RGBA pixels. */
    static byte[] pngDeclaring(int side) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(side).putInt(side).put((byte) 8).put((byte) 6)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(png, "IDAT", new byte[]{0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(name);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    @Test
    void aSmallFileDeclaringAHugeImageIsRefusedWithTheSizeItDeclares() throws IOException {
        Path bomb = Files.write(Files.createDirectories(dir.resolve("Cat")).resolve("bomb.png"), pngDeclaring(20_000));
        assertTrue(Files.size(bomb) < 100);

        String why = ImageFiles.tooLarge(bomb).orElseThrow();
        assertTrue(why.contains("20000x20000") && why.contains("400 megapixels"), why);
        assertTrue(assertThrows(LabsException.class, () -> ImageFiles.decode(bomb)).getMessage().contains("20000x20000"));
        assertTrue(assertThrows(LabsException.class, () -> new PhotoLoader(32, PhotoLoader.Resize.SQUASH).load(bomb))
                .getMessage().contains("20000x20000"));

        BufferedImage small = new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB);
        ImageIO.write(small, "png", Files.createDirectories(dir.resolve("Dog")).resolve("fine.png").toFile());
        ImageIO.write(small, "png", dir.resolve("Cat").resolve("fine.png").toFile());
        PhotoScan.Result scan = PhotoScan.scan(PhotoFolder.open(dir), dir.resolve("manifests"));
        assertEquals(2, scan.usable().size());
        assertTrue(scan.skipped().get(0).reason().contains("20000x20000"), scan.skipped().toString());
        assertTrue(ImageFiles.tooLarge(dir.resolve("Dog").resolve("fine.png")).isEmpty());
    }
}
