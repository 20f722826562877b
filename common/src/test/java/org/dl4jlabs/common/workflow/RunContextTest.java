package org.dl4jlabs.common.workflow;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.cli.CommonOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunContextTest {

    @TempDir
    Path dir;

    @Test
    void impossibleThreadCountsAreRefusedBeforeAnythingIsWritten() {
        for (int threads : new int[]{-1, 100_000}) {
            CommonOptions options = new CommonOptions();
            options.threads = threads;
            options.out = dir.resolve("run" + threads);
            String message = assertThrows(LabsException.class, () -> RunContext.start("demo", "train", options))
                    .getMessage();
            assertTrue(message.contains("--threads is 0 (one per core) to 1024, not " + threads), message);
            assertFalse(Files.exists(options.out));
        }
    }
}
