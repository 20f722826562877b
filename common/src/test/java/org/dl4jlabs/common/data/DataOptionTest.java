package org.dl4jlabs.common.data;

import org.dl4jlabs.common.LabsException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataOptionTest {

    @Test
    void keywordsAreRecognisedInAnyCase() {
        assertEquals(DataOption.AUTO, DataOption.parse("auto"));
        assertEquals(DataOption.DOWNLOAD, DataOption.parse("Download"));
        assertEquals(DataOption.GENERATED, DataOption.parse(" GENERATED "));
    }

    @Test
    void anythingElseIsADirectory() {
        DataOption option = DataOption.parse("./auto");
        assertEquals(DataOption.Kind.DIRECTORY, option.kind());
        assertEquals(Path.of("./auto"), option.directory());
        assertEquals("./auto", option.toString());
        assertEquals("generated", DataOption.GENERATED.toString());
    }

    @Test
    void emptyOptionIsExplained() {
        LabsException e = assertThrows(LabsException.class, () -> DataOption.parse("  "));
        assertTrue(e.getMessage().contains("auto, download, generated or a directory"), e.getMessage());
    }

    @Test
    void impossiblePathIsExplained() {
        LabsException e = assertThrows(LabsException.class, () -> DataOption.parse("bad\0name"));
        assertTrue(e.getMessage().contains("not a valid directory path"), e.getMessage());
    }

    @Test
    void cacheDirectoryPrefersTheOptionThenTheEnvironmentThenHome() {
        Path option = Path.of("option-dir");
        Map<String, String> environment = Map.of("DL4J_LABS_DATA", "env-dir");
        String home = Path.of("home").toAbsolutePath().toString();
        Path underHome = Path.of(home, ".dl4j-labs", "data");
        assertEquals(option.toAbsolutePath(), CacheDirectory.resolve(option, environment, home));
        assertEquals(Path.of("env-dir").toAbsolutePath(), CacheDirectory.resolve(null, environment, home));
        assertEquals(underHome, CacheDirectory.resolve(null, Map.of(), home));
        assertEquals(underHome, CacheDirectory.resolve(null, Map.of("DL4J_LABS_DATA", " "), home));
    }
}
