package org.dl4jlabs.common.workflow;

import org.dl4jlabs.common.LabsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void aNewRunAppearsOnlyWhenItIsKept() throws IOException {
        Path out = dir.resolve("run");
        RunDirectory run = RunDirectory.open(out, "demo", "train");
        Files.writeString(run.staging().resolve("model.zip"), "new model");
        assertFalse(Files.exists(out), "nothing in --out before the run completes");

        run.keep();
        assertEquals(Map.of("model.zip", "new model"), contents(out));
        assertEquals(List.of("run"), names(dir), "no staging directory is left beside it");
    }

    @Test
    void anEarlierRunOfTheSameCommandStaysWholeUntilTheNewOneIsKept() throws IOException {
        Path out = earlierRun("demo", "train");
        Map<String, String> before = contents(out);

        RunDirectory run = RunDirectory.open(out, "demo", "train");
        Files.writeString(run.staging().resolve("report.json"), report("demo", "train"));
        assertEquals(before, contents(out));

        run.keep();
        assertEquals(Map.of("report.json", report("demo", "train")), contents(out),
                "the earlier run's files are replaced as a whole, none left beside the new ones");
        assertEquals(List.of("run"), names(dir));
    }

    @Test
    void aFailedRunLeavesTheEarlierRunExactlyAsItWas() throws IOException {
        Path out = earlierRun("demo", "train");
        Map<String, String> before = contents(out);

        RunDirectory run = RunDirectory.open(out, "demo", "train");
        Files.writeString(run.staging().resolve("model.zip"), "half a model");
        run.discard();

        assertEquals(before, contents(out));
        assertEquals(List.of("run"), names(dir));
    }

    @Test
    void anotherCommandsRunIsRefusedNotReplaced() throws IOException {
        Path out = earlierRun("demo", "train");
        Map<String, String> before = contents(out);

        String message = assertThrows(LabsException.class, () -> RunDirectory.open(out, "demo", "eval")).getMessage();
        assertTrue(message.contains("holds a demo train run, which this demo eval would replace"), message);
        assertEquals(before, contents(out));
        assertEquals(List.of("run"), names(dir));
    }

    @Test
    void aDirectoryOfOtherFilesIsRefused() throws IOException {
        Path out = Files.createDirectory(dir.resolve("home"));
        Files.writeString(out.resolve("thesis.tex"), "years of work");

        String message = assertThrows(LabsException.class, () -> RunDirectory.open(out, "demo", "train")).getMessage();
        assertTrue(message.contains("is not empty and holds no dl4j-labs run"), message);
        assertEquals(Map.of("thesis.tex", "years of work"), contents(out));
    }

    @Test
    void aFileIsRefusedAndAnEmptyDirectoryIsUsed() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "notes");
        String message = assertThrows(LabsException.class, () -> RunDirectory.open(file, "demo", "train")).getMessage();
        assertTrue(message.contains("is a file"), message);
        assertEquals("notes", Files.readString(file));

        Path empty = Files.createDirectory(dir.resolve("empty"));
        RunDirectory run = RunDirectory.open(empty, "demo", "train");
        Files.writeString(run.staging().resolve("train.log"), "log");
        run.keep();
        assertEquals(Map.of("train.log", "log"), contents(empty));
    }

    @Test
    void anEarlierRunMovedAsideByAKilledRunIsPutBack() throws Exception {
        Path out = earlierRun("demo", "train");
        Map<String, String> before = contents(out);
        long deadPid = deadProcess();
        Files.move(out, dir.resolve(".run.replaced-" + deadPid));
        Path staleStaging = Files.createDirectories(dir.resolve(".run.incoming-" + deadPid));
        Files.writeString(staleStaging.resolve("model.zip"), "half");

        RunDirectory run = RunDirectory.open(out, "demo", "train");
        assertEquals(before, contents(out), "the earlier run is back in --out");
        run.discard();
        assertEquals(before, contents(out));
        assertEquals(List.of("run"), names(dir), "the killed run's staging directory is removed");
    }

    @Test
    void anotherLiveRunsStagingDirectoryIsLeftAlone() throws IOException {
        long livePid = ProcessHandle.current().parent().orElseThrow().pid();
        Path running = Files.createDirectories(dir.resolve(".run.incoming-" + livePid));
        RunDirectory.open(dir.resolve("run"), "demo", "train").discard();
        assertTrue(Files.exists(running));
    }

    private Path earlierRun(String app, String command) throws IOException {
        Path out = Files.createDirectories(dir.resolve("run"));
        Files.writeString(out.resolve("report.json"), report(app, command));
        Files.writeString(out.resolve("model.zip"), "old model");
        Files.writeString(out.resolve("train.log"), "old log");
        return out;
    }

    private static String report(String app, String command) {
        return "{\"app\": \"" + app + "\", \"command\": \"" + command + "\"}";
    }

    private static long deadProcess() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }

    private static Map<String, String> contents(Path directory) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.list(directory)) {
            for (Path path : paths.toList()) {
                files.put(path.getFileName().toString(), Files.readString(path));
            }
        }
        return files;
    }

    private static List<String> names(Path directory) throws IOException {
        try (Stream<Path> paths = Files.list(directory)) {
            return paths.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
