package org.dl4jlabs.common.data.folder;

import org.dl4jlabs.common.data.download.DownloadException;
import org.dl4jlabs.common.data.download.Downloader;
import org.dl4jlabs.common.data.download.LoopbackServer;
import org.dl4jlabs.common.data.download.RemoteFile;
import org.dl4jlabs.common.data.download.ZipCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PetImages as the real zip is laid out, served from a loopback server. */
class PetImagesTest {

    @TempDir
    Path cache;

    private final LoopbackServer server = new LoopbackServer();

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    /** Microsoft's layout: PetImages/{Cat,Dog}/N.jpg beside a readme, with an empty file as the real one has. */
    private static byte[] petImagesZip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("readme[1].txt"));
            zip.write("Cats and dogs".getBytes());
            for (String animal : List.of("Cat", "Dog")) {
                for (int i = 0; i < 3; i++) {
                    zip.putNextEntry(new ZipEntry("PetImages/" + animal + "/" + i + ".jpg"));
                    zip.write(jpeg(animal.equals("Cat") ? Color.ORANGE : Color.DARK_GRAY));
                }
            }
            zip.putNextEntry(new ZipEntry("PetImages/Cat/666.jpg"));
        }
        return bytes.toByteArray();
    }

    private static byte[] jpeg(Color color) throws IOException {
        BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        var graphics = image.createGraphics();
        graphics.setColor(color);
        graphics.fillRect(0, 0, 40, 30);
        graphics.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }

    private PetImages servedAs(byte[] zip, long pinnedSize) {
        server.serve("/pets.zip", zip);
        RemoteFile remote = new RemoteFile("pets.zip", List.of(server.base().resolve("pets.zip")), new ZipCheck(pinnedSize));
        return new PetImages(cache, remote, new Downloader(Duration.ofSeconds(2), Duration.ofSeconds(5)),
                GeneratedPets.Spec.DEFAULT);
    }

    @Test
    void downloadsTheZipOnceAndExtractsItsPhotosIntoTheCache() throws IOException {
        byte[] zip = petImagesZip();
        PetImages source = servedAs(zip, zip.length);

        PhotoFolder folder = source.real();

        assertEquals(cache.resolve("PetImages"), folder.root());
        assertEquals(List.of("Cat", "Dog"), folder.classNames());
        assertEquals(0, Files.size(cache.resolve("PetImages/Cat/666.jpg")), "extracted as it is; the scan skips it");
        assertFalse(Files.exists(cache.resolve("PetImages/readme[1].txt")));
        assertEquals(1, server.requests().size());

        source.real();
        assertEquals(1, server.requests().size(), "the extracted folder is used without any network");
    }

    @Test
    void aDamagedDownloadIsDiscardedAndNothingIsExtracted() throws IOException {
        byte[] zip = petImagesZip();
        byte[] damaged = zip.clone();
        damaged[damaged.length / 2] ^= 0x5A;
        PetImages source = servedAs(damaged, zip.length);

        DownloadException error = assertThrows(DownloadException.class, source::real);

        assertTrue(error.getMessage().contains("damaged"), error.getMessage());
        assertFalse(Files.exists(cache.resolve("PetImages")));
        assertFalse(Files.exists(cache.resolve("pets.zip")));
    }
}
