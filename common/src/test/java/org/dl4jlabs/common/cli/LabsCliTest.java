package org.dl4jlabs.common.cli;

import org.dl4jlabs.common.LabsException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
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

        @Option(names = "--lr")
        double learningRate;

        @Option(names = "--model")
        Path model;

        @Override
        public Integer call() {
            if ("user".equals(fail)) {
                throw new LabsException("the data directory /nowhere is empty");
            }
            if ("bug".equals(fail)) {
                throw new IllegalStateException("boom");
            }
            if ("memory".equals(fail)) {
                throw new OutOfMemoryError("Java heap space");
            }
            return 0;
        }
    }

    @Test
    void userErrorsGiveOneLineAndExitCodeTwo() {
        ConsoleRun run = ConsoleRun.of(new Demo(), "--fail", "user");
        assertEquals(LabsCli.USER_ERROR, run.exitCode());
        assertEquals("error: the data directory /nowhere is empty", run.err().strip());
    }

    @Test
    void nonNumericOptionIsAUsageError() {
        ConsoleRun run = ConsoleRun.of(new Demo(), "--epochs", "ten");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("'ten' is not an int"), run.err());
    }

    @Test
    void infinityAndNotANumberAreRefusedForEveryNumberOption() {
        for (String value : new String[]{"Infinity", "-Infinity", "NaN"}) {
            ConsoleRun run = ConsoleRun.of(new Demo(), "--lr", value);
            assertEquals(LabsCli.USER_ERROR, run.exitCode(), value);
            assertTrue(run.err().contains("'" + value + "' is not a finite number"), run.err());
        }
        assertEquals(0, ConsoleRun.of(new Demo(), "--lr", "1e-3").exitCode());
    }

    @Test
    void aFileNameJavaCannotUseIsExplainedNotShownAsAnException() {
        ConsoleRun run = ConsoleRun.of(new Demo(), "--model", "runs/a\u0000b");
        assertEquals(LabsCli.USER_ERROR, run.exitCode());
        assertTrue(run.err().contains("is not a file name Java can use here (Nul character not allowed)"), run.err());
        assertFalse(run.err().contains("InvalidPathException"), run.err());
    }

    @Test
    void runningOutOfMemoryIsOneErrorLineSayingWhatToChange() {
        ConsoleRun run = ConsoleRun.of(new Demo(), "--fail", "memory");
        assertEquals(LabsCli.INTERNAL_ERROR, run.exitCode());
        assertTrue(run.err().startsWith("error: out of memory (Java heap space; Java heap up to "), run.err());
        assertTrue(run.err().contains(", native arrays up to "), "the limits it ran into: " + run.err());
        assertTrue(run.err().contains("LABS_JAVA_OPTS=-Xmx8g"), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
    }

    @Test
    void unexpectedErrorsHideTheStackTraceUnlessVerbose() {
        ConsoleRun run = ConsoleRun.of(new Demo(), "--fail", "bug");
        assertEquals(LabsCli.INTERNAL_ERROR, run.exitCode());
        assertTrue(run.err().contains("unexpected error: java.lang.IllegalStateException: boom"), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
    }
}
