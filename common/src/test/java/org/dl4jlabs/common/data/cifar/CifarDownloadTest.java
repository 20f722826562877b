package org.dl4jlabs.common.data.cifar;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.DataOption;
import org.dl4jlabs.common.data.ImageClassData;
import org.dl4jlabs.common.data.cifar.CifarFormat.Labels;
import org.dl4jlabs.common.data.download.Checksum;
import org.dl4jlabs.common.data.download.DownloadException;
import org.dl4jlabs.common.data.download.Downloader;
import org.dl4jlabs.common.data.download.LoopbackServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Downloading and unpacking a CIFAR-10-layout archive this test builds, served on loopback. */
class CifarDownloadTest {

    @TempDir
    Path cache;

    private static byte[] batch(int count, long seed) {
        Random random = new Random(seed);
        byte[] bytes = new byte[count * CifarFormat.CIFAR10.recordLength()];
        random.nextBytes(bytes);
        for (int i = 0; i < count; i++) {
            bytes[i * CifarFormat.CIFAR10.recordLength()] = (byte) (i % 10);
        }
        return bytes;
    }

    private static byte[] tarGz(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                TarArchiveEntry header = new TarArchiveEntry(entry.getKey());
                header.setSize(entry.getValue().length);
                tar.putArchiveEntry(header);
                tar.write(entry.getValue());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static Map<String, byte[]> cifar10Members() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("../escaped.bin", new byte[]{1, 2, 3});
        entries.put("cifar-10-batches-bin/readme.html", "<p>hello</p>".getBytes(StandardCharsets.UTF_8));
        for (int i = 1; i <= 5; i++) {
            entries.put("cifar-10-batches-bin/data_batch_" + i + ".bin", batch(4, i));
        }
        entries.put("cifar-10-batches-bin/test_batch.bin", batch(3, 9));
        entries.put("cifar-10-batches-bin/batches.meta.txt",
                String.join("\n", Cifar.CIFAR10_CLASSES.stream().map(String::toUpperCase).toList())
                        .getBytes(StandardCharsets.UTF_8));
        return entries;
    }

    private static Cifar.Layout withChecksumOf(byte[] archive) throws Exception {
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(archive));
        Cifar.Layout real = Cifar.CIFAR10;
        return new Cifar.Layout(real.format(), real.archive(), Checksum.md5(md5), real.directory(), real.trainFiles(),
                real.testFiles(), real.fineNames(), real.coarseNames());
    }

    @Test
    void downloadsUnpacksOnlyExpectedMembersAndLoads() throws Exception {
        byte[] archive = tarGz(cifar10Members());
        try (LoopbackServer server = new LoopbackServer()) {
            server.serve("/cifar-10-binary.tar.gz", archive);
            Path inCache = cache.resolve("cache");
            CifarDataResolver resolver = new CifarDataResolver(inCache, withChecksumOf(archive), Labels.FINE,
                    List.of(server.base()), new Downloader(Duration.ofSeconds(2), Duration.ofSeconds(5)),
                    GeneratedCifar.Spec.DEFAULT);
            ImageClassData data = resolver.resolve(DataOption.DOWNLOAD);
            assertEquals("cifar10", data.name());
            assertEquals(20, data.train().numExamples());
            assertEquals(3, data.test().numExamples());
            assertEquals("AIRPLANE", data.classNames().get(0));
            assertFalse(Files.exists(cache.resolve("escaped.bin")));
            assertFalse(Files.exists(inCache.resolve("escaped.bin")));
            assertFalse(Files.exists(inCache.resolve("cifar10/cifar-10-batches-bin/readme.html")));
            assertTrue(Files.isRegularFile(inCache.resolve("cifar10/cifar-10-binary.tar.gz")));

            // A second run uses the cache without the network.
            server.close();
            assertEquals(20, resolver.resolve(DataOption.AUTO).train().numExamples());
        }
    }

    @Test
    void autoFallsBackToGeneratedImagesWhenOffline() {
        try (LoopbackServer server = new LoopbackServer()) {
            CifarDataResolver resolver = CifarDataResolver.inCache(cache, CifarFormat.CIFAR10, Labels.FINE)
                    .withMirrors(List.of(server.base()))
                    .withGenerated(new GeneratedCifar.Spec(20, 10, 1));
            ImageClassData data = resolver.resolve(DataOption.AUTO);
            assertEquals(GeneratedCifar.NAME, data.name());
            assertThrows(DownloadException.class, () -> resolver.resolve(DataOption.DOWNLOAD));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anArchiveWithoutTheDataIsRefused() throws Exception {
        Path archive = Files.write(cache.resolve("other.tar.gz"), tarGz(Map.of("something/else.txt", new byte[]{1})));
        LabsException e = assertThrows(LabsException.class, () -> CifarArchive.unpack(archive, cache.resolve("out"),
                Cifar.CIFAR10.members(), Set.of()));
        assertTrue(e.getMessage().contains("data_batch_1.bin"), e.getMessage());
        Path garbage = Files.write(cache.resolve("garbage.tar.gz"), new byte[]{1, 2, 3, 4});
        assertThrows(LabsException.class, () -> CifarArchive.unpack(garbage, cache.resolve("out"),
                Cifar.CIFAR10.members(), Set.of()));
    }
}
