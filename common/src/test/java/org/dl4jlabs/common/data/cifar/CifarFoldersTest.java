package org.dl4jlabs.common.data.cifar;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.DataOption;
import org.dl4jlabs.common.data.ImageClassData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CifarFoldersTest {

    @TempDir
    Path dir;

    /** CIFAR-10's classes as folders of 32x32 PNGs, class c's pixel (1, 2) being (10c, 20, 30), the rest black. */
    private Path writeTree(Path root, int trainPerClass, int testPerClass) throws Exception {
        for (int c = 0; c < Cifar.CIFAR10_CLASSES.size(); c++) {
            for (String part : List.of("train", "test")) {
                Path folder = Files.createDirectories(root.resolve(part).resolve(Cifar.CIFAR10_CLASSES.get(c)));
                for (int i = 0; i < (part.equals("train") ? trainPerClass : testPerClass); i++) {
                    BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
                    image.setRGB(2, 1, (10 * c) << 16 | 20 << 8 | 30);
                    ImageIO.write(image, "png", folder.resolve(i + ".png").toFile());
                }
            }
        }
        return root;
    }

    @Test
    void aPlainlyUnpackedTreeOfImagesLoadsLikeTheBinaryFiles() throws Exception {
        writeTree(dir.resolve("unpacked").resolve("cifar-10-png"), 3, 2);
        ImageClassData data = CifarDataResolver.inCache(dir.resolve("cache"), CifarFormat.CIFAR10, CifarFormat.Labels.FINE)
                .resolve(DataOption.parse(dir.resolve("unpacked").toString()));

        assertEquals(Cifar.CIFAR10_CLASSES, data.classNames());
        assertArrayEquals(new long[]{30, 3 * 32 * 32}, data.train().getFeatures().shape());
        assertArrayEquals(new long[]{20, 3 * 32 * 32}, data.test().getFeatures().shape());
        assertEquals(3, data.channels());
        for (int example = 0; example < 20; example++) {
            int label = data.test().getLabels().getRow(example).argMax().getInt(0);
            // Channel planes first, as in CIFAR's binary files: plane c, row y, column x at c*1024 + y*32 + x.
            assertEquals(10 * label / 255.0, data.test().getFeatures().getDouble(example, 1 * 32 + 2), 1e-6, "red");
            assertEquals(20 / 255.0, data.test().getFeatures().getDouble(example, 1024 + 1 * 32 + 2), 1e-6, "green");
            assertEquals(30 / 255.0, data.test().getFeatures().getDouble(example, 2048 + 1 * 32 + 2), 1e-6, "blue");
            assertEquals(0, data.test().getFeatures().getDouble(example, 2 * 32 + 1), 1e-6);
        }
    }

    @Test
    void theWrongNumberOfClassFoldersIsRefused() throws Exception {
        Path root = writeTree(dir.resolve("tree"), 1, 1);
        Files.walk(root.resolve("train").resolve("truck")).sorted(java.util.Comparator.reverseOrder())
                .forEach(p -> p.toFile().delete());
        Files.walk(root.resolve("test").resolve("truck")).sorted(java.util.Comparator.reverseOrder())
                .forEach(p -> p.toFile().delete());
        String message = assertThrows(LabsException.class, () -> CifarDataResolver.inCache(dir.resolve("cache"),
                CifarFormat.CIFAR10, CifarFormat.Labels.FINE).resolve(DataOption.parse(root.toString()))).getMessage();
        assertTrue(message.contains("has 9 class folders, but CIFAR-10 has 10"), message);
    }
}
