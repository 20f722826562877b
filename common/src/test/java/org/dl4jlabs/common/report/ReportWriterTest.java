package org.dl4jlabs.common.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.dl4jlabs.common.LabsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    @TempDir
    Path dir;

    @Test
    void writesBothFilesAndLeavesNothingElseBehind() throws IOException {
        RunReport report = RunReportTest.sampleReport(OptionalDouble.empty());
        Path runDirectory = dir.resolve("runs/mnist-mlp/1");

        Path html = ReportWriter.write(runDirectory, report, new HtmlReport(report).addParagraph("Note", "first"));
        ReportWriter.write(runDirectory, report, new HtmlReport(report).addParagraph("Note", "second"));

        assertEquals(runDirectory.resolve("report.html"), html);
        assertEquals(Set.of("report.json", "report.html"), fileNames(runDirectory));
        assertTrue(Files.readString(html).contains("second"), "the second write replaced the first");
        assertEquals(report.app(), RunReport.read(runDirectory.resolve("report.json")).app());
    }

    @Test
    void aFailedWriteLeavesNoTemporaryFile() throws IOException {
        RunReport report = RunReportTest.sampleReport(OptionalDouble.empty());
        // A non-empty directory where report.html should go cannot be replaced.
        Files.createDirectories(dir.resolve("report.html"));
        Files.writeString(dir.resolve("report.html/keep"), "x");

        assertThrows(LabsException.class, () -> ReportWriter.write(dir, report, new HtmlReport(report)));

        assertEquals(Set.of("report.json", "report.html"), fileNames(dir));
    }

    private static Set<String> fileNames(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
