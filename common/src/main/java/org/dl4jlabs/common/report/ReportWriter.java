package org.dl4jlabs.common.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.dl4jlabs.common.LabsException;

/**
 * Writes a run's {@code report.json} and {@code report.html}. Each file is written beside its
 * final name and then renamed into place, so a reader (or a run killed halfway) never sees a
 * half-written report: only the old one or the new one.
 */
public final class ReportWriter {

    public static final String JSON_FILE = "report.json";
    public static final String HTML_FILE = "report.html";

    private ReportWriter() {
    }

    /**
     * Writes both files into {@code runDirectory}, creating it if needed.
     *
     * @return the path of {@code report.html}, to show the user
     */
    public static Path write(Path runDirectory, RunReport report, HtmlReport page) {
        try {
            Files.createDirectories(runDirectory);
            writeAtomically(runDirectory.resolve(JSON_FILE), report.toJson());
            Path html = runDirectory.resolve(HTML_FILE);
            writeAtomically(html, page.toHtml());
            return html;
        } catch (IOException e) {
            throw new LabsException("Cannot write the report into " + runDirectory + ": " + e
                    + ". Check that the directory is writable and the disk is not full.", e);
        }
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        // A fixed name rather than createTempFile, whose owner-only permissions the report would keep.
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
