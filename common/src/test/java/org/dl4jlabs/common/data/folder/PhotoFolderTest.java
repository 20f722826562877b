package org.dl4jlabs.common.data.folder;

import org.datavec.image.loader.NativeImageLoader;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.folder.PhotoSplit.Part;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhotoFolderTest {

    @TempDir
    Path dir;

    /** A small valid photo of one colour. */
    static Path photo(Path file, Color colour, int type) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(24, 16, type);
        var g = image.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, 24, 16);
        g.dispose();
        String name = file.getFileName().toString();
        ImageIO.write(image, name.endsWith(".png") ? "png" : "jpeg", file.toFile());
        return file;
    }

    static Path photo(Path file) throws IOException {
        return photo(file, Color.ORANGE, BufferedImage.TYPE_INT_RGB);
    }

    @Test
    void detectsOneFolderPerClass() throws IOException {
        photo(dir.resolve("Cat/1.jpg"));
        photo(dir.resolve("Cat/2.png"));
        photo(dir.resolve("Dog/1.jpg"));
        Files.writeString(dir.resolve("Dog/Thumbs.db"), "x");

        PhotoFolder folder = PhotoFolder.open(dir);
        assertEquals(FolderLayout.CLASS_FOLDERS, folder.layout());
        assertEquals(List.of("Cat", "Dog"), folder.classNames());
        assertEquals(3, folder.photos().size());
        assertEquals(List.of(dir.resolve("Dog/Thumbs.db")), folder.notImages());
        assertTrue(folder.describe().contains("one folder per class"), folder.describe());
    }

    @Test
    void detectsSplitFolders() throws IOException {
        for (String part : List.of("train", "validation", "test")) {
            photo(dir.resolve(part + "/cats/1.jpg"));
            photo(dir.resolve(part + "/dogs/1.jpg"));
        }
        photo(dir.resolve("train/dogs/2.jpg"));
        PhotoFolder folder = PhotoFolder.open(dir);
        assertEquals(FolderLayout.SPLIT_FOLDERS, folder.layout());
        assertEquals(3, folder.presplit().get(Part.TRAIN).size());
        assertEquals(2, folder.presplit().get(Part.TEST).size());
        assertEquals(List.of("cats", "dogs"), folder.classNames());
    }

    @Test
    void detectsKaggleNamingInTheFolderOrItsTrainFolder() throws IOException {
        photo(dir.resolve("train/cat.1.jpg"));
        photo(dir.resolve("train/dog.7.jpg"));
        photo(dir.resolve("train/dog.8.jpg"));
        photo(dir.resolve("test1/1.jpg"));
        PhotoFolder folder = PhotoFolder.open(dir);
        assertEquals(FolderLayout.KAGGLE_FLAT, folder.layout());
        assertEquals(List.of("cat", "dog"), folder.classNames());
        assertEquals(3, folder.photos().size());
        assertEquals(FolderLayout.KAGGLE_FLAT, PhotoFolder.open(dir.resolve("train")).layout());
    }

    @Test
    void foldersItCannotUseAreUserErrorsThatSayWhy() throws IOException {
        Files.createDirectories(dir.resolve("empty/Cat"));
        Files.createDirectories(dir.resolve("empty/Dog"));
        Files.writeString(dir.resolve("empty/Cat/notes.txt"), "x");
        assertTrue(message(dir.resolve("empty")).contains("cannot read the layout"), message(dir.resolve("empty")));
        photo(dir.resolve("one/Cat/1.jpg"));
        assertTrue(message(dir.resolve("one")).contains("one class only"));
        assertTrue(message(dir.resolve("missing")).contains("does not exist"));
        photo(dir.resolve("flat/holiday.jpg"));
        assertTrue(message(dir.resolve("flat")).contains("cannot read the layout"));
    }

    @Test
    void theSplitIsBalancedSeededAndDisjoint() throws IOException {
        for (int i = 0; i < 12; i++) {
            photo(dir.resolve("Cat/" + i + ".jpg"));
            photo(dir.resolve("Dog/" + i + ".jpg"));
        }
        photo(dir.resolve("Dog/extra.jpg"));
        List<Photo> photos = PhotoFolder.open(dir).photos();
        PhotoSplit.PerClass counts = PhotoSplit.defaultFor(photos);
        assertEquals(new PhotoSplit.PerClass(6, 3, 3), counts, "half, a quarter and a quarter of the smaller class");

        Map<Part, List<Photo>> split = PhotoSplit.balanced(photos, counts, 7);
        Set<Photo> seen = new HashSet<>();
        for (Part part : Part.values()) {
            List<Photo> photosOfPart = split.get(part);
            assertEquals(photosOfPart.stream().filter(p -> p.label().equals("Cat")).count(),
                    photosOfPart.stream().filter(p -> p.label().equals("Dog")).count(), "balanced " + part);
            photosOfPart.forEach(p -> assertTrue(seen.add(p), "in two parts: " + p));
        }
        List<Photo> reversed = new java.util.ArrayList<>(photos);
        java.util.Collections.reverse(reversed);
        assertEquals(split, PhotoSplit.balanced(reversed, counts, 7), "seeded, whatever the listing order");
        assertNotEquals(split, PhotoSplit.balanced(photos, counts, 8));
        assertThrows(LabsException.class, () -> PhotoSplit.balanced(photos, new PhotoSplit.PerClass(10, 2, 2), 7));
        assertEquals(25, PhotoSplit.all(photos, 7).values().stream().mapToInt(List::size).sum());
    }

    @Test
    void theScanSkipsBrokenFilesConvertsGreyscaleAndCachesItsVerdicts() throws IOException {
        photo(dir.resolve("Cat/good.jpg"));
        photo(dir.resolve("Cat/grey.jpg"), Color.GRAY, BufferedImage.TYPE_BYTE_GRAY);
        photo(dir.resolve("Dog/good.png"));
        Files.write(dir.resolve("Dog/666.jpg"), new byte[0]);
        byte[] jpeg = Files.readAllBytes(photo(dir.resolve("scratch/whole.jpg")));
        Files.write(dir.resolve("Dog/cut.jpg"), java.util.Arrays.copyOf(jpeg, jpeg.length / 2));
        Files.writeString(dir.resolve("Dog/text.jpg"), "not a photo");
        Files.write(dir.resolve("Dog/png-named.jpg"), Files.readAllBytes(dir.resolve("Dog/good.png")));
        Files.writeString(dir.resolve("Cat/Thumbs.db"), "x");
        Path folderRoot = dir;
        Files.walk(dir.resolve("scratch")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        Path manifests = Files.createTempDirectory("manifests");

        PhotoScan.Result scan = PhotoScan.scan(PhotoFolder.open(folderRoot), manifests);
        assertEquals(Set.of("Cat/good.jpg", "Cat/grey.jpg", "Dog/good.png", "Dog/png-named.jpg"), scan.usable().stream()
                .map(p -> folderRoot.relativize(p.file()).toString()).collect(java.util.stream.Collectors.toSet()));
        assertEquals(Map.of("Dog/666.jpg", "empty file (0 bytes)", "Dog/cut.jpg", "truncated JPEG (no end-of-image marker)",
                        "Dog/text.jpg", "not a JPEG (named .jpg)", "Cat/Thumbs.db", "not an image file"),
                scan.skipped().stream().collect(java.util.stream.Collectors.toMap(PhotoScan.Skipped::file,
                        PhotoScan.Skipped::reason)));
        assertEquals(1, scan.greyscale());
        assertTrue(scan.summary(2).startsWith("skipped 4 files: "), scan.summary(2));
        try (var files = Files.list(manifests)) {
            assertEquals(1, files.count(), "one manifest cached");
        }

        // The same folder reads the manifest; a changed file makes a new one.
        assertEquals(scan, PhotoScan.scan(PhotoFolder.open(folderRoot), manifests));
        Files.write(dir.resolve("Dog/666.jpg"), jpeg);
        Files.setLastModifiedTime(dir.resolve("Dog/666.jpg"), FileTime.fromMillis(1_000_000));
        PhotoScan.Result rescanned = PhotoScan.scan(PhotoFolder.open(folderRoot), manifests);
        assertEquals(5, rescanned.usable().size());
        assertFalse(rescanned.skipped().stream().anyMatch(s -> s.file().equals("Dog/666.jpg")));
    }

    @Test
    void theLoaderGivesRgbRowsInZeroToOneOfAnySizedPhotos() throws IOException {
        Path red = photo(dir.resolve("Cat/red.png"), new Color(255, 0, 0), BufferedImage.TYPE_INT_RGB);
        photo(dir.resolve("Dog/grey.jpg"), Color.GRAY, BufferedImage.TYPE_BYTE_GRAY);
        PhotoFolder folder = PhotoFolder.open(dir);
        var data = new PhotoLoader(8, PhotoLoader.Resize.CROP).load(folder.photos(), folder.classNames());
        assertEquals(2, data.numExamples());
        assertEquals(3 * 8 * 8, data.getFeatures().size(1));
        float[] pixels = new PhotoLoader(8, PhotoLoader.Resize.SQUASH).load(red).toFloatVector();
        assertEquals(1.0, pixels[0], 1e-6, "red first");
        assertEquals(0.0, pixels[64], 1e-6, "no green");
        assertEquals(0.0, pixels[128], 1e-6, "no blue");
        assertEquals(1.0, data.getLabels().getDouble(1, 1), "the second class is Dog");
        Path text = Files.writeString(dir.resolve("text.png"), "x");
        assertTrue(assertThrows(LabsException.class, () -> new PhotoLoader(8, PhotoLoader.Resize.CROP).load(text))
                .getMessage().contains("is damaged or not an image this program can read"));
    }

    @Test
    void manyPhotosLoadInOrderAsOneByOneAndTheFirstBadOneIsNamed() throws IOException {
        List<Photo> photos = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            String label = i % 3 == 0 ? "Dog" : "Cat";
            photos.add(new Photo(photo(dir.resolve(label + "/" + i + ".png"), new Color(5 * i, 255 - 5 * i, 3 * i),
                    BufferedImage.TYPE_INT_RGB), label));
        }
        PhotoLoader loader = new PhotoLoader(8, PhotoLoader.Resize.SQUASH);
        DataSet data = loader.load(photos, List.of("Cat", "Dog"));
        for (int i = 0; i < photos.size(); i++) {
            assertArrayEquals(loader.load(photos.get(i).file()).toFloatVector(), data.getFeatures().getRow(i).toFloatVector(),
                    "photo " + i);
            assertEquals(i % 3 == 0 ? 1 : 0, data.getLabels().getInt(i, 1), "label " + i);
        }

        List<Photo> damaged = new ArrayList<>(photos);
        damaged.set(7, new Photo(Files.writeString(dir.resolve("Cat/bad7.png"), "x"), "Cat"));
        damaged.set(40, new Photo(Files.writeString(dir.resolve("Cat/bad40.png"), "x"), "Cat"));
        damaged.set(3, new Photo(photos.get(3).file(), "Bird"));
        damaged.set(2, new Photo(Files.writeString(dir.resolve("Cat/bad2.png"), "x"), "Cat"));
        for (int run = 0; run < 3; run++) {
            assertTrue(assertThrows(LabsException.class, () -> loader.load(damaged, List.of("Cat", "Dog"))).getMessage()
                    .contains("bad2.png"));
        }
        damaged.set(2, photos.get(2));
        assertTrue(assertThrows(LabsException.class, () -> loader.load(damaged, List.of("Cat", "Dog"))).getMessage()
                .contains("is of class Bird"));
    }

    @Test
    void theLoaderComputesWhatNd4jsReorderAndDivisionComputeForEveryLevel() throws IOException {
        // Every 8-bit level in each channel, where the photo is not resized; and a resized, cropped JPEG.
        BufferedImage levels = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 256; i++) {
            levels.setRGB(i % 16, i / 16, new Color(i, 255 - i, (i * 7) % 256).getRGB());
        }
        Path png = dir.resolve("levels.png");
        ImageIO.write(levels, "png", png.toFile());
        BufferedImage gradient = new BufferedImage(40, 24, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 40; x++) {
            for (int y = 0; y < 24; y++) {
                gradient.setRGB(x, y, new Color(6 * x, 10 * y, (x * y) % 256).getRGB());
            }
        }
        Path jpeg = dir.resolve("gradient.jpg");
        ImageIO.write(gradient, "jpeg", jpeg.toFile());

        for (var check : List.of(Map.entry(png, new PhotoLoader(16, PhotoLoader.Resize.SQUASH)),
                Map.entry(jpeg, new PhotoLoader(12, PhotoLoader.Resize.CROP)))) {
            PhotoLoader loader = check.getValue();
            INDArray bgr = new NativeImageLoader(loader.size(), loader.size(), 3, loader.resize() == PhotoLoader.Resize.CROP)
                    .asMatrix(check.getKey().toFile());
            float[] expected = bgr.get(NDArrayIndex.all(), NDArrayIndex.indices(2, 1, 0), NDArrayIndex.all(), NDArrayIndex.all())
                    .castTo(DataType.FLOAT).divi(255).reshape(1, loader.values()).toFloatVector();
            assertArrayEquals(expected, loader.load(check.getKey()).toFloatVector(), check.getKey().toString());
            DataSet rows = loader.load(List.of(new Photo(check.getKey(), "Cat")), List.of("Cat"));
            assertArrayEquals(expected, rows.getFeatures().toFloatVector(), check.getKey() + " as a data set");
        }
        float[] red = new PhotoLoader(16, PhotoLoader.Resize.SQUASH).load(png).toFloatVector();
        for (int i = 0; i < 256; i++) {
            assertEquals(i / 255f, red[i], "level " + i);
        }
    }

    private static String message(Path root) {
        return assertThrows(LabsException.class, () -> PhotoFolder.open(root)).getMessage();
    }
}
