package org.dl4jlabs.common.cli;

import org.dl4jlabs.common.LabsException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabsCliTest {

    @Command(name = "demo")
    static class Demo implements Callable<Integer> {
        @Option(names = "--epochs")
        int epochs;

        @Option(names = "--fail")
        String fail;

        @Override
        public Integer call() {
            if ("user".equals(fail)) {
                throw new LabsException("the data directory /nowhere is empty");
            }
            if ("bug".equals(fail)) {
                throw new IllegalStateException("boom");
            }
            return 0;
        }
    }

    @Test
    void userErrorsGiveOneLineAndExitCodeTwo() {
        String err = captureErr(() -> assertEquals(LabsCli.USER_ERROR, LabsCli.execute(new Demo(), "--fail", "user")));
        assertEquals("error: the data directory /nowhere is empty", err.strip());
    }

    @Test
    void nonNumericOptionIsAUsageError() {
        String err = captureErr(() -> assertEquals(2, LabsCli.execute(new Demo(), "--epochs", "ten")));
        assertTrue(err.contains("'ten' is not an int"), err);
    }

    @Test
    void unexpectedErrorsHideTheStackTraceUnlessVerbose() {
        String err = captureErr(() -> assertEquals(LabsCli.INTERNAL_ERROR, LabsCli.execute(new Demo(), "--fail", "bug")));
        assertTrue(err.contains("unexpected error: java.lang.IllegalStateException: boom"), err);
        assertFalse(err.contains("\tat "), err);
    }

    private static String captureErr(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return buffer.toString();
    }
}
