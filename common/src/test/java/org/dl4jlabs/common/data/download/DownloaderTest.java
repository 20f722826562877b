package org.dl4jlabs.common.data.download;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DownloaderTest {

    private static final byte[] CONTENT = randomBytes(200_000, 1);

    @TempDir
    Path cache;
    private final LoopbackServer server = new LoopbackServer();
    private final Downloader downloader = new Downloader(Duration.ofSeconds(2), Duration.ofSeconds(1));

    @AfterEach
    void stopServer() throws InterruptedException {
        server.close();
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static Checksum md5Of(byte[] content) throws NoSuchAlgorithmException {
        return Checksum.md5(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content)));
    }

    private RemoteFile remote(String name, byte[] content, String... mirrorPaths) throws NoSuchAlgorithmException {
        List<URI> mirrors = Arrays.stream(mirrorPaths).map(path -> server.base().resolve(path + name)).toList();
        return new RemoteFile(name, mirrors, md5Of(content));
    }

    private void assertDownloaded(String name, byte[] content) throws IOException {
        assertArrayEquals(content, Files.readAllBytes(cache.resolve(name)));
        assertFalse(Files.exists(cache.resolve(name + ".part")), "no partial file is left behind");
    }

    @Test
    void downloadsAndVerifiesAFile() throws Exception {
        server.serve("/a/data.bin", CONTENT);
        RemoteFile file = remote("data.bin", CONTENT, "a/");
        assertEquals(List.of(cache.resolve("data.bin")), downloader.fetchAll(List.of(file), cache));
        assertDownloaded("data.bin", CONTENT);
        assertTrue(Downloader.isCached(List.of(file), cache));
    }

    @Test
    void sha256ChecksumsWorkToo() throws Exception {
        server.serve("/a/data.bin", CONTENT);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(CONTENT));
        RemoteFile file = new RemoteFile("data.bin", List.of(server.base().resolve("a/data.bin")),
                Checksum.sha256(sha.toUpperCase()));
        downloader.fetchAll(List.of(file), cache);
        assertDownloaded("data.bin", CONTENT);
    }

    @Test
    void resumesAPartialFileAskingOnlyForTheRest() throws Exception {
        server.serve("/a/data.bin", CONTENT);
        Files.write(cache.resolve("data.bin.part"), Arrays.copyOf(CONTENT, 150_000));
        downloader.fetchAll(List.of(remote("data.bin", CONTENT, "a/")), cache);
        assertDownloaded("data.bin", CONTENT);
        assertEquals(List.of(new LoopbackServer.Request("/a/data.bin", "bytes=150000-")), server.requests());
    }

    @Test
    void startsOverWhenTheServerIgnoresRange() throws Exception {
        server.serveIgnoringRange("/a/data.bin", CONTENT);
        Files.write(cache.resolve("data.bin.part"), randomBytes(150_000, 99));
        downloader.fetchAll(List.of(remote("data.bin", CONTENT, "a/")), cache);
        assertDownloaded("data.bin", CONTENT);
    }

    @Test
    void wrongChecksumIsDiscardedAndTheNextMirrorUsed() throws Exception {
        byte[] damaged = CONTENT.clone();
        damaged[1234] ^= 1;
        server.serve("/bad/data.bin", damaged);
        server.serve("/good/data.bin", CONTENT);
        downloader.fetchAll(List.of(remote("data.bin", CONTENT, "bad/", "good/")), cache);
        assertDownloaded("data.bin", CONTENT);
        assertEquals(List.of(new LoopbackServer.Request("/bad/data.bin", null),
                new LoopbackServer.Request("/good/data.bin", null)), server.requests(),
                "the discarded download is not resumed from");
    }

    @Test
    void notFoundMovesOnToTheNextMirror() throws Exception {
        server.serve("/good/data.bin", CONTENT);
        downloader.fetchAll(List.of(remote("data.bin", CONTENT, "missing/", "good/")), cache);
        assertDownloaded("data.bin", CONTENT);
        assertEquals(2, server.requests().size());
    }

    @Test
    void refusedConnectionMovesOnToTheNextMirror() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        server.serve("/good/data.bin", CONTENT);
        RemoteFile file = new RemoteFile("data.bin", List.of(URI.create("http://127.0.0.1:" + closedPort + "/data.bin"),
                server.base().resolve("good/data.bin")), md5Of(CONTENT));
        downloader.fetchAll(List.of(file), cache);
        assertDownloaded("data.bin", CONTENT);
    }

    @Test
    void silentMirrorTimesOutAndTheNextIsUsed() throws Exception {
        server.serve("/good/data.bin", CONTENT);
        // Accepts connections (the kernel does) but never answers a request.
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            URI silentUri = URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/data.bin");
            RemoteFile file = new RemoteFile("data.bin",
                    List.of(silentUri, server.base().resolve("good/data.bin")), md5Of(CONTENT));
            long start = System.nanoTime();
            downloader.fetchAll(List.of(file), cache);
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 5_000);
        }
        assertDownloaded("data.bin", CONTENT);
    }

    @Test
    void mirrorStallingMidFileIsLeftAndTheNextResumes() throws Exception {
        server.serveThenStall("/stalls/data.bin", CONTENT, 120_000);
        server.serve("/good/data.bin", CONTENT);
        downloader.fetchAll(List.of(remote("data.bin", CONTENT, "stalls/", "good/")), cache);
        assertDownloaded("data.bin", CONTENT);
        assertEquals(new LoopbackServer.Request("/good/data.bin", "bytes=120000-"), server.requests().get(1));
    }

    @Test
    void allMirrorsFailingNamesEveryMissingFileAndTheDirectory() throws Exception {
        byte[] other = randomBytes(1000, 2);
        server.serve("/a/cached.bin", other);
        RemoteFile cached = remote("cached.bin", other, "a/");
        downloader.fetchAll(List.of(cached), cache);
        byte[] usersOwn = randomBytes(10, 3);
        Files.write(cache.resolve("first.bin"), usersOwn);

        List<RemoteFile> files = List.of(cached, remote("first.bin", CONTENT, "a/", "b/"),
                remote("second.bin", CONTENT, "a/"));
        DownloadException e = assertThrows(DownloadException.class, () -> downloader.fetchAll(files, cache));

        String message = e.getMessage();
        assertTrue(message.contains(server.base().resolve("a/first.bin") + ": HTTP 404"), message);
        assertTrue(message.contains(server.base().resolve("b/first.bin") + ": HTTP 404"), message);
        assertEquals(2, message.lines().count(), "what failed, then how to go on by hand: " + message);
        assertTrue(message.lines().findFirst().orElseThrow().startsWith("could not download first.bin from any mirror ("),
                message);
        assertTrue(message.contains("in " + cache.toAbsolutePath() + ": first.bin from "
                + server.base().resolve("a/first.bin")), message);
        assertTrue(message.contains("; second.bin from "), message);
        assertTrue(message.contains("MD5 " + md5Of(CONTENT).hex()), message);
        assertFalse(message.contains("cached.bin"), "a file already in place is not asked for: " + message);
        assertTrue(e.reason().startsWith("could not download first.bin from any mirror (") && !e.reason().contains("\n"));
        assertArrayEquals(usersOwn, Files.readAllBytes(cache.resolve("first.bin")), "a failed download replaces nothing");
    }

    @Test
    void goodCachedFileIsUsedWithoutTheNetwork() throws Exception {
        Path file = Files.write(cache.resolve("data.bin"), CONTENT);
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(file, old);
        downloader.fetchAll(List.of(remote("data.bin", CONTENT, "a/")), cache);
        assertTrue(server.requests().isEmpty());
        assertEquals(old, Files.getLastModifiedTime(file));
        assertArrayEquals(CONTENT, Files.readAllBytes(file));
    }

    @Test
    void aPartThatCannotBeResumedIsDiscardedSoTheNextTryStartsAfresh() throws Exception {
        server.serveWithWrongRange("/a/data.bin", CONTENT);
        Files.write(cache.resolve("data.bin.part"), Arrays.copyOf(CONTENT, 150_000));
        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader.fetchAll(List.of(remote("data.bin", CONTENT, "a/")), cache));
        assertTrue(e.getMessage().contains("partial download was discarded"), e.getMessage());
        assertFalse(Files.exists(cache.resolve("data.bin.part")));

        downloader.fetchAll(List.of(remote("data.bin", CONTENT, "a/")), cache);
        assertDownloaded("data.bin", CONTENT);
    }

    @Test
    void anEndlessBodyIsCutAtTheSizeTheCheckKnowsAndDiscarded() throws Exception {
        server.serveEndlessly("/a/pets.zip", randomBytes(1 << 16, 5));
        RemoteFile file = new RemoteFile("pets.zip", List.of(server.base().resolve("a/pets.zip")),
                new ZipCheck(1_000_000));
        DownloadException e = assertThrows(DownloadException.class, () -> downloader.fetchAll(List.of(file), cache));
        assertTrue(e.getMessage().contains("more than the 1,000,000 bytes expected"), e.getMessage());
        assertFalse(Files.exists(cache.resolve("pets.zip.part")));
    }

    @Test
    void aTricklingServerIsGivenUpAndWhatCameIsKeptToResumeFrom() throws Exception {
        server.serveTrickling("/slow/data.bin", CONTENT, 20, 100);
        server.serve("/good/data.bin", CONTENT);
        long start = System.nanoTime();
        downloader.fetchAll(List.of(remote("data.bin", CONTENT, "slow/", "good/")), cache);
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 5_000);
        assertDownloaded("data.bin", CONTENT);
        String resumedFrom = server.requests().get(1).range();
        assertTrue(resumedFrom != null && resumedFrom.startsWith("bytes=") && !resumedFrom.equals("bytes=0-"),
                "the good mirror is asked only for the rest: " + resumedFrom);
    }

    @Test
    void aTricklingServerAloneFailsWithAMessageThatSaysSo() throws Exception {
        server.serveTrickling("/slow/data.bin", CONTENT, 20, 100);
        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader.fetchAll(List.of(remote("data.bin", CONTENT, "slow/")), cache));
        assertTrue(e.reason().contains("fewer than 1,024 bytes in 1 s in the middle of the file"), e.reason());
        assertTrue(Files.size(cache.resolve("data.bin.part")) > 0, "the bytes that came are kept");
    }

    @Test
    void aRedirectLoopIsNamedAsOne() throws Exception {
        server.redirectToItself("/loop/data.bin");
        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader.fetchAll(List.of(remote("data.bin", CONTENT, "loop/")), cache));
        assertTrue(e.reason().contains("redirected too many times (a redirect loop?), last with HTTP 302 to "
                + "/loop/data.bin"), e.reason());
    }

    @Test
    void anHttp416DiscardsThePartSoTheNextTryStartsAfresh() throws Exception {
        server.serveRefusingRanges("/a/data.bin", CONTENT);
        Files.write(cache.resolve("data.bin.part"), randomBytes(150_000, 9));
        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader.fetchAll(List.of(remote("data.bin", CONTENT, "a/")), cache));
        assertTrue(e.reason().contains("HTTP 416"), e.reason());
        assertFalse(Files.exists(cache.resolve("data.bin.part")));

        downloader.fetchAll(List.of(remote("data.bin", CONTENT, "a/")), cache);
        assertDownloaded("data.bin", CONTENT);
    }
}
