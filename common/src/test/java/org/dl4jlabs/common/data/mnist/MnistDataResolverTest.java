package org.dl4jlabs.common.data.mnist;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.DataOption;
import org.dl4jlabs.common.data.DataSource;
import org.dl4jlabs.common.data.ImageClassData;
import org.dl4jlabs.common.data.download.DownloadException;
import org.dl4jlabs.common.data.download.Downloader;
import org.dl4jlabs.common.data.download.LoopbackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MnistDataResolverTest {

    private static final GeneratedDigits.Spec TINY = new GeneratedDigits.Spec(100, 30, 3);

    @TempDir
    Path cache;
    @TempDir
    Path elsewhere;
    /** A mirror with nothing on it: every request gets 404, and nothing leaves this machine. */
    private final LoopbackServer emptyMirror = new LoopbackServer();

    @AfterEach
    void stopServer() throws InterruptedException {
        emptyMirror.close();
    }

    private MnistDataResolver resolver() {
        return MnistDataResolver.inCache(cache)
                .withMirrors(List.of(emptyMirror.base().resolve("mnist/")))
                .withDownloader(new Downloader(Duration.ofSeconds(2), Duration.ofSeconds(2)))
                .withGenerated(TINY);
    }

    @Test
    void autoFallsBackToGeneratedDigitsWithOneWarning() {
        Logger logger = (Logger) LoggerFactory.getLogger(DataSource.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            ImageClassData data = resolver().resolve(DataOption.AUTO);

            assertEquals("generated-digits", data.name());
            assertEquals(100, data.train().numExamples());
            List<ILoggingEvent> warnings = log.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
            assertEquals(1, warnings.size());
            String warning = warnings.get(0).getFormattedMessage();
            assertTrue(warning.startsWith("Using generated data instead of MNIST"), warning);
            assertTrue(warning.contains(cache.resolve("mnist").toString()), warning);
            assertTrue(warning.contains("HTTP 404"), "says why: " + warning);
            assertTrue(emptyMirror.requests().get(0).path().startsWith("/mnist/"), "asked the given mirror");
        } finally {
            logger.detachAppender(log);
        }
    }

    @Test
    void fashionMnistFallsBackTheSameWayAndSaysSo() {
        Logger logger = (Logger) LoggerFactory.getLogger(DataSource.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            ImageClassData data = MnistDataResolver.inCache(cache, IdxDataset.FASHION)
                    .withMirrors(List.of(emptyMirror.base().resolve("fashion/")))
                    .withDownloader(new Downloader(Duration.ofSeconds(2), Duration.ofSeconds(2)))
                    .withGenerated(TINY).resolve(DataOption.AUTO);

            assertEquals("generated-digits", data.name());
            String warning = log.list.stream().filter(e -> e.getLevel() == Level.WARN).findFirst().orElseThrow()
                    .getFormattedMessage();
            assertTrue(warning.startsWith("Using generated data instead of Fashion-MNIST: it is not in "
                    + cache.resolve("fashion-mnist")), warning);
            assertEquals("/fashion/train-images-idx3-ubyte.gz", emptyMirror.requests().get(0).path());
        } finally {
            logger.detachAppender(log);
        }
    }

    @Test
    void aFashionMnistDirectoryHasTheClothesAsItsClasses() {
        Path directory = TestData.writeSmallDigits(elsewhere.resolve("fashion"));
        ImageClassData data = MnistDataResolver.inCache(cache, IdxDataset.FASHION).resolve(DataOption.parse(
                directory.toString()));
        assertEquals("fashion", data.name());
        assertEquals(List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                "Ankle boot"), data.classNames());
    }

    @Test
    void downloadFailsNamingTheFilesAndWhereToPutThem() {
        DownloadException e = assertThrows(DownloadException.class, () -> resolver().resolve(DataOption.DOWNLOAD));
        String message = e.getMessage();
        assertTrue(message.contains(" in " + cache.resolve("mnist") + ": "), message);
        for (String file : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            assertTrue(message.contains(file + " from " + emptyMirror.base().resolve("mnist/" + file)), message);
        }
        assertTrue(message.contains("MD5 f68b3c2dcbeaaa9fbdd348bbdeb94873"), message);
    }

    @Test
    void generatedNeedsNoNetwork() {
        ImageClassData data = resolver().resolve(DataOption.GENERATED);
        assertEquals("generated-digits", data.name());
        assertEquals(30, data.test().numExamples());
        assertTrue(emptyMirror.requests().isEmpty());
    }

    @Test
    void directoryIsReadAndNamedAfterItself() throws Exception {
        Path fashion = TestData.writeSmallDigits(Files.createDirectory(elsewhere.resolve("fashion-mnist")));
        ImageClassData data = resolver().resolve(DataOption.parse(fashion.toString()));
        assertEquals("fashion-mnist", data.name());
        assertEquals(fashion.toString(), data.source());
        assertEquals(TestData.SMALL.trainSize(), data.train().numExamples());
        assertArrayEquals(new long[] {TestData.SMALL.testSize(), 784}, data.test().getFeatures().shape());
        assertTrue(emptyMirror.requests().isEmpty());
    }

    @Test
    void gzippedFilesInADirectoryWork() {
        GeneratedDigits.Split split = GeneratedDigits.generate(40, 1);
        for (String name : List.of(Mnist.TRAIN_IMAGES, Mnist.TEST_IMAGES)) {
            Idx.write(elsewhere.resolve(name + ".gz"), split.images());
        }
        for (String name : List.of(Mnist.TRAIN_LABELS, Mnist.TEST_LABELS)) {
            Idx.write(elsewhere.resolve(name + ".gz"), split.labels());
        }
        assertEquals(40, resolver().resolve(DataOption.parse(elsewhere.toString())).test().numExamples());
    }

    @Test
    void directoryMissingFilesNamesThem() throws Exception {
        TestData.writeSmallDigits(elsewhere);
        Files.delete(elsewhere.resolve(Mnist.TEST_IMAGES));
        Files.delete(elsewhere.resolve(Mnist.TRAIN_LABELS));
        LabsException e = assertThrows(LabsException.class,
                () -> resolver().resolve(DataOption.parse(elsewhere.toString())));
        assertTrue(e.getMessage().contains(elsewhere.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("lacks train-labels-idx1-ubyte, t10k-images-idx3-ubyte"), e.getMessage());
    }

    @Test
    void emptyDirectoryNamesAllFourFiles() {
        LabsException e = assertThrows(LabsException.class,
                () -> resolver().resolve(DataOption.parse(elsewhere.toString())));
        assertTrue(e.getMessage().contains("lacks train-images-idx3-ubyte, train-labels-idx1-ubyte,"
                + " t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte"), e.getMessage());
    }

    @Test
    void missingDirectoryIsReportedAsSuch() {
        Path missing = elsewhere.resolve("no-such-dir");
        LabsException e = assertThrows(LabsException.class,
                () -> resolver().resolve(DataOption.parse(missing.toString())));
        assertTrue(e.getMessage().contains(missing + " does not exist"), e.getMessage());
    }
}
