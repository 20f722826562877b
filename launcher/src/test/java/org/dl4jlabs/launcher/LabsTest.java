package org.dl4jlabs.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dl4jlabs.common.cli.LabsCli;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabsTest {

    @Test
    void helpListsTheAppsAndBench() {
        String[] result = run("--help");
        assertEquals("0", result[0]);
        assertTrue(result[1].contains("mnist-mlp") && result[1].contains("bench"), result[1]);
    }

    @Test
    void benchPrintsOneJsonLinePerModel() throws Exception {
        String[] result = run("bench", "--model", "mlp,lenet", "--warmup", "0", "--iterations", "1", "--json");
        assertEquals("0", result[0], result[2]);
        String[] lines = result[1].strip().split("\n");
        assertEquals(2, lines.length);
        JsonNode mlp = new ObjectMapper().readTree(lines[0]);
        assertEquals("mlp", mlp.get("model").asText());
        assertEquals(128, mlp.get("batch").asInt());
        assertTrue(mlp.get("examples_per_second").asDouble() > 0);
        assertEquals("CPU", mlp.get("backend").get("type").asText());
        assertEquals("lenet", new ObjectMapper().readTree(lines[1]).get("model").asText());
    }

    @Test
    void unknownBenchmarkIsAUserError() {
        String[] result = run("bench", "--model", "resnet");
        assertEquals("2", result[0]);
        assertTrue(result[2].contains("unknown benchmark 'resnet'"), result[2]);
    }

    /** Exit code, standard output, standard error. */
    private static String[] run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        System.setOut(new PrintStream(stdout, true));
        System.setErr(new PrintStream(stderr, true));
        try {
            int code = LabsCli.execute(new Labs(), args);
            return new String[]{String.valueOf(code), stdout.toString(), stderr.toString()};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
