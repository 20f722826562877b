package org.dl4jlabs.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dl4jlabs.common.cli.ConsoleRun;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabsTest {

    @Test
    void helpListsTheAppsAndBench() {
        ConsoleRun result = ConsoleRun.of(new Labs(), "--help");
        assertEquals(0, result.exitCode());
        assertTrue(result.out().contains("mnist-mlp") && result.out().contains("bench"), result.out());
    }

    @Test
    void benchPrintsOneJsonLinePerModel() throws Exception {
        ConsoleRun result = ConsoleRun.of(new Labs(), "bench", "--model", "mlp,lenet", "--warmup", "0", "--warmup-seconds", "0", "--iterations", "1", "--json");
        assertEquals(0, result.exitCode(), result.err());
        String[] lines = result.out().strip().split("\n");
        assertEquals(2, lines.length);
        JsonNode mlp = new ObjectMapper().readTree(lines[0]);
        assertEquals("mlp", mlp.get("model").asText());
        assertEquals(128, mlp.get("batch").asInt());
        assertTrue(mlp.get("examples_per_second").asDouble() > 0);
        assertEquals("CPU", mlp.get("backend").get("type").asText());
        assertTrue(mlp.get("backend").get("fast_layers").asBoolean());
        assertEquals("lenet", new ObjectMapper().readTree(lines[1]).get("model").asText());
    }

    @Test
    void unknownBenchmarkIsAUserError() {
        ConsoleRun result = ConsoleRun.of(new Labs(), "bench", "--model", "resnet");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("unknown benchmark 'resnet'"), result.err());
    }
}
