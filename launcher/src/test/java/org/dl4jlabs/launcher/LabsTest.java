package org.dl4jlabs.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dl4jlabs.common.cli.ConsoleRun;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabsTest {

    @Test
    void helpListsBench() {
        // The apps are not on this module's classpath: ./labs adds every built app module's (see each
        // app's registration test).
        ConsoleRun result = ConsoleRun.of(new Labs(), "--help");
        assertEquals(0, result.exitCode());
        assertTrue(result.out().contains("bench"), result.out());
    }

    @Test
    void benchPrintsOneJsonLinePerModel() throws Exception {
        ConsoleRun result = ConsoleRun.of(new Labs(), "bench", "--model", "lenet,fmp", "--warmup", "0", "--warmup-seconds", "0", "--iterations", "1", "--json");
        assertEquals(0, result.exitCode(), result.err());
        String[] lines = result.out().strip().split("\n");
        assertEquals(2, lines.length);
        JsonNode lenet = new ObjectMapper().readTree(lines[0]);
        assertEquals("lenet", lenet.get("model").asText());
        assertEquals(64, lenet.get("batch").asInt());
        assertTrue(lenet.get("examples_per_second").asDouble() > 0);
        assertEquals("CPU", lenet.get("backend").get("type").asText());
        assertTrue(lenet.get("backend").get("fast_layers").asBoolean());
        assertEquals("fmp", new ObjectMapper().readTree(lines[1]).get("model").asText());
    }

    @Test
    void unknownBenchmarkIsAUserError() {
        ConsoleRun result = ConsoleRun.of(new Labs(), "bench", "--model", "resnet");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("unknown benchmark 'resnet'"), result.err());
    }
}
