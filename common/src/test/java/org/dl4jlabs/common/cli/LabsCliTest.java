package org.dl4jlabs.common.cli;

import org.dl4jlabs.common.LabsException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
    void unexpectedErrorsHideTheStackTraceUnlessVerbose() {
        ConsoleRun run = ConsoleRun.of(new Demo(), "--fail", "bug");
        assertEquals(LabsCli.INTERNAL_ERROR, run.exitCode());
        assertTrue(run.err().contains("unexpected error: java.lang.IllegalStateException: boom"), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
    }
}
