package org.dl4jlabs.lstm;

import com.sun.net.httpserver.HttpServer;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.DataOption;
import org.dl4jlabs.common.data.download.Checksum;
import org.dl4jlabs.common.data.download.Downloader;
import org.dl4jlabs.common.data.download.RemoteFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The UCI file's reader, on small files in its format, and where the data comes from. */
class ControlChartDataTest {

    @TempDir
    Path dir;

    @Test
    void readsBlocksOfRowsAsClassesInOrder() throws Exception {
        List<LabelledSeries> written = new ControlChartGenerator(1).generate(2, 60);
        Path file = write("synthetic_control.data", written);
        List<LabelledSeries> read = ControlChartFile.read(file);
        assertEquals(12, read.size());
        for (int i = 0; i < read.size(); i++) {
            assertEquals(i / 2, read.get(i).label());
            assertArrayEquals(written.get(i).values(), read.get(i).values(), 1e-4);
        }
    }

    @Test
    void aFileTheSizeOfTheUciSetHasOneHundredSeriesPerClass() throws Exception {
        List<LabelledSeries> read = ControlChartFile.read(write("synthetic_control.data",
                new ControlChartGenerator(4).generate(100, 60)));
        assertEquals(600, read.size());
        for (int label = 0; label < 6; label++) {
            final int wanted = label;
            assertEquals(100, read.stream().filter(s -> s.label() == wanted).count());
        }
        assertEquals(60, read.get(599).values().length);
    }

    @Test
    void badFilesAreClearErrors() throws Exception {
        assertError("line 2 has 2 values but the first series has 3", "1 2 3\n4 5\n");
        assertError("line 1, value 2: 'x' is not a number", "1 x 3\n");
        assertError("is empty", "\n\n");
        assertError("has 7 series", "1\n2\n3\n4\n5\n6\n7\n");
        assertError("is NaN", "1 NaN\n");
        LabsException missing = assertThrows(LabsException.class, () -> ControlChartFile.read(dir.resolve("none")));
        assertTrue(missing.getMessage().endsWith("does not exist"), missing.getMessage());
    }

    @Test
    void aDirectoryOrAFileOfTheUsersIsRead() throws Exception {
        write("synthetic_control.data", new ControlChartGenerator(1).generate(1, 60));
        ControlChartData data = resolver(null);
        assertEquals(6, data.resolve(DataOption.parse(dir.toString())).series().size());
        assertEquals(6, data.resolve(DataOption.parse(dir.resolve("synthetic_control.data").toString()))
                .series().size());
    }

    @Test
    void autoFallsBackToGeneratedSeriesWhenNoMirrorAnswersAndDownloadSaysWhy() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        RemoteFile unreachable = new RemoteFile(ControlChartFile.NAME,
                List.of(URI.create("http://127.0.0.1:" + closedPort + "/" + ControlChartFile.NAME)),
                ControlChartData.UCI_FILE.check());
        ControlChartData.Loaded loaded = resolver(unreachable).resolve(DataOption.AUTO);
        assertEquals("generated-control-charts", loaded.name());
        assertEquals(18, loaded.series().size());
        LabsException e = assertThrows(LabsException.class, () -> resolver(unreachable).resolve(DataOption.DOWNLOAD));
        assertTrue(e.getMessage().contains(ControlChartFile.NAME), e.getMessage());
    }

    @Test
    void downloadsTheFileOnceWithItsChecksumFromALoopbackServer() throws Exception {
        Path source = dir.resolve("served").resolve(ControlChartFile.NAME);
        Files.createDirectories(source.getParent());
        Files.writeString(source, text(new ControlChartGenerator(2).generate(3, 60)));
        byte[] body = Files.readAllBytes(source);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        int[] requests = {0};
        server.createContext("/", exchange -> {
            requests[0]++;
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + ControlChartFile.NAME);
            RemoteFile remote = new RemoteFile(ControlChartFile.NAME, List.of(uri), Checksum.of("SHA-256", source));
            ControlChartData data = resolver(remote);
            ControlChartData.Loaded loaded = data.resolve(DataOption.DOWNLOAD);
            assertEquals("uci-synthetic-control", loaded.name());
            assertEquals(18, loaded.series().size());
            assertTrue(Files.isRegularFile(data.cachedFile()));
            data.resolve(DataOption.AUTO);
            assertEquals(1, requests[0], "the cached copy is used the second time");
        } finally {
            server.stop(0);
        }
    }

    private ControlChartData resolver(RemoteFile remote) {
        return new ControlChartData(dir.resolve("cache"), remote,
                new Downloader(Duration.ofSeconds(2), Duration.ofSeconds(5)), 3, 42);
    }

    private void assertError(String expected, String content) throws Exception {
        Path file = dir.resolve("bad.data");
        Files.writeString(file, content);
        LabsException e = assertThrows(LabsException.class, () -> ControlChartFile.read(file));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private Path write(String name, List<LabelledSeries> series) throws Exception {
        return Files.writeString(dir.resolve(name), text(series));
    }

    private static String text(List<LabelledSeries> series) {
        return series.stream().map(s -> java.util.Arrays.stream(s.values())
                        .mapToObj(v -> String.format(Locale.ROOT, "%8.4f", v)).collect(Collectors.joining("  ")))
                .collect(Collectors.joining("\n", "", "\n"));
    }
}
