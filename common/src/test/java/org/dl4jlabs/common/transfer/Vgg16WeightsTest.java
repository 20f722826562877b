package org.dl4jlabs.common.transfer;

import org.dl4jlabs.common.data.download.Checksum;
import org.dl4jlabs.common.data.download.DownloadException;
import org.dl4jlabs.common.data.download.Downloader;
import org.dl4jlabs.common.data.download.LoopbackServer;
import org.dl4jlabs.common.data.download.RemoteFile;
import org.dl4jlabs.common.transfer.Vgg16Model.Width;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Vgg16WeightsTest {

    @TempDir
    Path cache;

    private final LoopbackServer server = new LoopbackServer();
    private final AtomicInteger pretrainings = new AtomicInteger();

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    private Vgg16Weights source(RemoteFile imagenet) {
        return new Vgg16Weights(cache, imagenet, new Downloader(Duration.ofSeconds(2), Duration.ofSeconds(5)), file -> {
            pretrainings.incrementAndGet();
            try {
                Files.createDirectories(file.getParent());
                Files.writeString(file, "self-pretrained");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void imagenetWeightsAreDownloadedOnceAndCheckedAgainstTheirMd5() throws Exception {
        byte[] content = "pretend h5".getBytes();
        server.serve("/vgg16.h5", content);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        RemoteFile remote = new RemoteFile("vgg16.h5", List.of(server.base().resolve("vgg16.h5")), Checksum.md5(md5));

        Vgg16Weights.Resolved resolved = source(remote).resolve("imagenet");

        assertEquals(Width.FULL, resolved.width());
        assertEquals(cache.resolve("vgg16/vgg16.h5"), resolved.file());
        source(remote).resolve("auto");
        assertEquals(1, server.requests().size(), "the second time from the cache");
        assertEquals(0, pretrainings.get());
    }

    @Test
    void withoutImagenetAutoPretrainsItsOwnBaseOnceAndImagenetSaysWhatToFetch() {
        RemoteFile unreachable = new RemoteFile(Vgg16Weights.NOTOP, List.of(URI.create("http://127.0.0.1:9/"
                + Vgg16Weights.NOTOP)), Vgg16Weights.IMAGENET_NOTOP.check());

        Vgg16Weights.Resolved resolved = source(unreachable).resolve("auto");
        source(unreachable).resolve("self");

        assertEquals(Width.QUARTER, resolved.width());
        assertTrue(resolved.origin().contains("not ImageNet"), resolved.origin());
        assertEquals(1, pretrainings.get(), "pretrained once, then from the cache");
        String message = assertThrows(DownloadException.class, () -> source(unreachable).resolve("imagenet"))
                .getMessage();
        assertTrue(message.contains(Vgg16Weights.NOTOP) && message.contains("58,889,256 bytes")
                && message.contains(cache.resolve("vgg16").toAbsolutePath().toString()), message);
        assertEquals(Width.FULL, source(unreachable).resolve("none").width());
    }
}
