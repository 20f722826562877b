package org.dl4jlabs.common.data;

import org.dl4jlabs.common.cli.BadFiles;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.folder.PhotoFolder;
import org.dl4jlabs.common.data.folder.PhotoLoader;
import org.dl4jlabs.common.data.folder.PhotoScan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A few bytes that declare a huge image are refused from their header, before anything is decoded. */
class ImageBombTest {

    @TempDir
    Path dir;

    @Test
    void aSmallFileDeclaringAHugeImageIsRefusedWithTheSizeItDeclares() throws IOException {
        Path bomb = Files.write(Files.createDirectories(dir.resolve("Cat")).resolve("bomb.png"), BadFiles.pngDeclaring(20_000));
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
