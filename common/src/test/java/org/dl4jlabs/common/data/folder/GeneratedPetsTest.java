package org.dl4jlabs.common.data.folder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GeneratedPetsTest {

    @TempDir
    Path dir;

    @Test
    void aCmykJpegIsUsableAndDecodesToItsColours() throws IOException {
        BufferedImage orange = new BufferedImage(32, 24, BufferedImage.TYPE_INT_RGB);
        var g = orange.createGraphics();
        g.setColor(new Color(240, 150, 20));
        g.fillRect(0, 0, 32, 24);
        g.dispose();
        Path cmyk = Files.write(Files.createDirectories(dir.resolve("Cat")).resolve("print.jpg"),
                GeneratedPets.cmykJpeg(orange));
        Files.write(Files.createDirectories(dir.resolve("Dog")).resolve("print.jpg"), GeneratedPets.cmykJpeg(orange));

        PhotoScan.Result scan = PhotoScan.scan(PhotoFolder.open(dir), dir.resolve("manifests"));

        assertEquals(2, scan.usable().size());
        assertEquals(2, scan.cmyk());
        assertEquals(0, scan.greyscale());
        float[] pixels = new PhotoLoader(8, PhotoLoader.Resize.SQUASH).load(cmyk).toFloatVector();
        assertEquals(240 / 255.0, pixels[0], 0.05, "red");
        assertEquals(150 / 255.0, pixels[64], 0.05, "green");
        assertEquals(20 / 255.0, pixels[128], 0.05, "blue");
    }
}
