package org.dl4jlabs.common.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

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
}
