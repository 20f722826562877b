package org.dl4jlabs.lstm;

import org.dl4jlabs.common.cli.ConsoleRun;
import org.dl4jlabs.common.report.RunReport;
import org.dl4jlabs.common.train.EpochStats;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generate task on a small text the test writes itself. */
class GenerateTest {

    private static final int EPOCHS = 8;
    private static final int SEQUENCE = 40;

    @TempDir
    static Path shared;
    static Path text;
    static Path run;
    static ConsoleRun trained;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainOnce() throws Exception {
        String[] words = {"the", "cat", "sat", "on", "a", "mat", "and", "dog", "ran", "to", "red", "ball"};
        Random random = new Random(1);
        StringBuilder builder = new StringBuilder();
        for (int i = 0; i < 700; i++) {
            builder.append(words[random.nextInt(words.length)]).append(i % 12 == 11 ? ".\n" : " ");
        }
        text = Files.writeString(shared.resolve("words.txt"), builder);
        run = shared.resolve("run");
        trained = ConsoleRun.of(new LstmSequenceApp(), "train", "--task", "generate", "--text", text.toString(),
                "--epochs", String.valueOf(EPOCHS), "--batch", "32", "--layers", "1", "--units", "48", "--lr", "0.01",
                "--seq-length", String.valueOf(SEQUENCE), "--tbptt", "20", "--sample-length", "50",
                "--out", run.toString());
    }

    @Test
    void trainsWithTruncatedBackpropAndSamplesAfterEachEpoch() {
        assertEquals(0, trained.exitCode(), trained.err());
        RunReport report = RunReport.read(run.resolve("report.json"));
        assertEquals(20, report.config().get("tbptt_length"));
        @SuppressWarnings("unchecked")
        List<String> samples = (List<String>) report.extra().get("samples");
        assertEquals(EPOCHS, samples.size());
        assertTrue(samples.stream().allMatch(s -> s.startsWith("t") && s.codePointCount(0, s.length()) == 51));
        List<EpochStats> history = report.history();
        double first = history.get(0).testLoss();
        double last = history.get(EPOCHS - 1).testLoss();
        assertTrue(last < first, "held-out loss " + first + " -> " + last);
        // Per character, in nats: 14 letters, space, full stop and newline are 17 characters.
        double knowsNothing = Math.log(17);
        assertTrue(last < 0.75 * knowsNothing, "held-out loss " + last + " vs uniform " + knowsNothing);
        double training = history.get(EPOCHS - 1).trainLoss();
        assertTrue(training > 0 && training < knowsNothing, "training loss per character, not per segment: " + training);
        assertEquals(last / Math.log(2), ((Number) report.extra().get("held_out_bits_per_char")).doubleValue(), 1e-9);
    }

    @Test
    void sampleCommandWritesFromAPrimeAtATemperature() {
        ConsoleRun sampled = ConsoleRun.of(new LstmSequenceApp(), "sample", "--model", run.resolve("model.zip").toString(),
                "--prime", "the cat ", "--length", "30", "--temperature", "0.5");
        assertEquals(0, sampled.exitCode(), sampled.err());
        String out = sampled.out().strip();
        assertTrue(out.startsWith("the cat "), out);
        ConsoleRun again = ConsoleRun.of(new LstmSequenceApp(), "sample", "--model", run.resolve("model.zip").toString(),
                "--prime", "the cat ", "--length", "30", "--temperature", "0.5");
        assertEquals(sampled.out(), again.out(), "the same seed writes the same text");
    }

    @Test
    void badTextsAndPrimesAreOneLineErrors() throws Exception {
        assertUserError("never saw in training: [Q, i, u, z]", "sample", "--model", run.resolve("model.zip").toString(),
                "--prime", "Quiz");
        Path empty = Files.writeString(dir.resolve("empty.txt"), "  \n");
        assertUserError("is empty", "train", "--task", "generate", "--text", empty.toString());
        Path tiny = Files.writeString(dir.resolve("tiny.txt"), "abcabc");
        assertUserError("too short for sequences of 100", "train", "--task", "generate", "--text", tiny.toString(),
                "--out", dir.resolve("x").toString());
        assertUserError("needs --text", "train", "--task", "generate");
        Path series = Files.writeString(dir.resolve("series.txt"), "1 2 3\n");
        assertUserError("using the sample command", "predict", "--model", run.resolve("model.zip").toString(),
                series.toString());
    }

    private static void assertUserError(String expected, String... args) {
        ConsoleRun result = ConsoleRun.of(new LstmSequenceApp(), args);
        assertEquals(2, result.exitCode(), result.out() + result.err());
        assertTrue(result.err().contains(expected), result.err());
        assertFalse(result.err().contains("\tat "), result.err());
    }
}
