package org.dl4jlabs.common.io;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IoErrorsTest {

    @Test
    void theJdksBarePathMessagesBecomeReasons() {
        assertEquals("a file is in the way (/runs/a)", IoErrors.reason(new FileAlreadyExistsException("/runs/a")));
        assertEquals("permission denied (/runs)", IoErrors.reason(new AccessDeniedException("/runs")));
        assertEquals("No space left on device (/runs/a)",
                IoErrors.reason(new FileSystemException("/runs/a", null, "No space left on device")));
        assertEquals("disk on fire", IoErrors.reason(new IOException("disk on fire")));
    }
}
