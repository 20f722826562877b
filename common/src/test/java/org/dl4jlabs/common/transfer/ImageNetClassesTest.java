package org.dl4jlabs.common.transfer;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.download.ContentCheck;
import org.dl4jlabs.common.data.download.DownloadException;
import org.dl4jlabs.common.data.download.Downloader;
import org.dl4jlabs.common.data.download.LoopbackServer;
import org.dl4jlabs.common.data.download.RemoteFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageNetClassesTest {

    @TempDir
    Path dir;

    static String index(int classes) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < classes; i++) {
            json.append(i == 0 ? "" : ", ").append('"').append(i).append("\": [\"n").append(10_000_000 + i)
                    .append("\", \"class_").append(i).append("\"]");
        }
        return json.append('}').toString();
    }

    @Test
    void readsTheThousandClassesInOutputOrder() throws IOException {
        Path file = Files.writeString(dir.resolve("index.json"), index(1000));
        List<String> names = ImageNetClasses.read(file);
        assertEquals(1000, names.size());
        assertEquals("class_0 (n10000000)", names.get(0));
        assertEquals("class_999 (n10000999)", names.get(999));
        Path short_ = Files.writeString(dir.resolve("short.json"), index(999));
        assertTrue(assertThrows(LabsException.class, () -> ImageNetClasses.read(short_)).getMessage()
                .contains("class 999 is missing"));
    }

    @Test
    void aDownloadThatIsNotTheIndexIsDiscarded() throws Exception {
        try (LoopbackServer server = new LoopbackServer()) {
            server.serve("/good.json", index(1000).getBytes(StandardCharsets.UTF_8));
            server.serve("/bad.json", "<html>gateway error</html>".getBytes(StandardCharsets.UTF_8));
            ContentCheck check = (ContentCheck) ImageNetClasses.INDEX.check();
            Downloader downloader = new Downloader(Duration.ofSeconds(2), Duration.ofSeconds(5));

            Path good = downloader.fetchAll(List.of(new RemoteFile("good.json",
                    List.of(server.base().resolve("good.json")), check)), dir).get(0);
            assertEquals(1000, ImageNetClasses.read(good).size());

            DownloadException error = assertThrows(DownloadException.class, () -> downloader.fetchAll(
                    List.of(new RemoteFile("bad.json", List.of(server.base().resolve("bad.json")), check)), dir));
            assertTrue(error.getMessage().contains("it is not ImageNet's index of 1000 classes"), error.getMessage());
            assertFalse(Files.exists(dir.resolve("bad.json")));
        }
    }
}
