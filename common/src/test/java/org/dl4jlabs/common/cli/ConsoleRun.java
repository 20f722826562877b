package org.dl4jlabs.common.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import picocli.CommandLine;

/** Runs a command as the launcher would, capturing its exit code and what it prints. */
public record ConsoleRun(int exitCode, String out, String err) {

    public static ConsoleRun of(Object command, String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            int code = LabsCli.execute(command, args);
            return new ConsoleRun(code, out.toString(), err.toString());
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    /** The run was refused as bad input: exit code 2, {@code expected} in its message, no stack trace. */
    public static void assertUserError(ConsoleRun run, String expected) {
        assertEquals(LabsCli.USER_ERROR, run.exitCode(), run.err());
        assertTrue(run.err().contains(expected), run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
    }

    /**
     * Every subcommand of {@code app} prints its help cleanly: picocli formats descriptions with
     * {@code String.format}, so a lone {@code %} in one prints warnings instead of the text.
     */
    public static void assertEveryHelpIsClean(Object app) {
        for (String command : new CommandLine(app).getSubcommands().keySet()) {
            ConsoleRun help = of(app, command, "--help");
            assertEquals(0, help.exitCode(), command + ": " + help.err());
            assertFalse(help.err().contains("WARN"), command + " --help: " + help.err());
            assertTrue(help.out().contains("Usage:"), command + " --help: " + help.out());
        }
    }

    /** {@code dir} holds the files every {@code train} run writes. */
    public static void assertRunFiles(Path dir) {
        for (String file : List.of("model.zip", "report.json", "report.html", "train.log")) {
            assertTrue(Files.isRegularFile(dir.resolve(file)), file);
        }
    }
}
