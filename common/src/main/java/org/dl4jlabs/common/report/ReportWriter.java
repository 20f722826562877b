package org.dl4jlabs.common.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.io.AtomicFiles;

/**
 * Writes a run's {@code report.json} and {@code report.html}. Each file is written through
 * {@link AtomicFiles}, so a reader (or a run killed halfway) never sees a half-written report.
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
            AtomicFiles.writeString(runDirectory.resolve(JSON_FILE), report.toJson());
            Path html = runDirectory.resolve(HTML_FILE);
            AtomicFiles.writeString(html, page.toHtml());
            return html;
        } catch (IOException e) {
            throw new LabsException("Cannot write the report into " + runDirectory + ": " + e
                    + ". Check that the directory is writable and the disk is not full.", e);
        }
    }
}
