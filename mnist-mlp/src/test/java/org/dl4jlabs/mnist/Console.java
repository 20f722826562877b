package org.dl4jlabs.mnist;

import org.dl4jlabs.common.cli.LabsCli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/** Runs the app as {@code ./labs mnist-mlp ...} would, capturing what it prints. */
record Console(int exitCode, String out, String err) {

    static Console run(String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            int code = LabsCli.execute(new App(), args);
            return new Console(code, out.toString(), err.toString());
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }
}
