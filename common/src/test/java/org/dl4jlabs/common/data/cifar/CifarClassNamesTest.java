package org.dl4jlabs.common.data.cifar;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.cifar.CifarFormat.Labels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CifarClassNamesTest {

    @TempDir
    Path dir;

    @Test
    void aMetaFileThatIsNotUtf8IsAUserErrorThatSaysSo() throws IOException {
        Files.write(dir.resolve("batches.meta.txt"), new byte[]{'c', 'a', 't', '\n', (byte) 0xFF, (byte) 0xFE, '\n'});
        LabsException e = assertThrows(LabsException.class,
                () -> Cifar.classNames(dir, Cifar.layout(CifarFormat.CIFAR10), Labels.FINE));
        assertTrue(e.getMessage().contains("is not UTF-8 text"), e.getMessage());
    }
}
