package org.dl4jlabs.common.cli;

import org.junit.jupiter.api.DynamicTest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs an app on its corpus of bad inputs ({@code bad-inputs.tsv} among its test resources), one
 * dynamic test per line. A line is the words its error must contain, a tab, and the command line,
 * in which (and in the words) {@code {name}} stands for one of {@link BadFiles}, a file the test class adds, or
 * {@code {out}}, a new run directory. Every case must end as bad input should: exit code 2, an
 * {@code error:} first line with those words, at most one line of advice after it, no stack trace,
 * and nothing written to {@code --out} or beside it.
 */
public final class BadInputCorpus {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z0-9-]+)}");

    private BadInputCorpus() {
    }

    /**
     * @param app   makes a fresh app command object for each case
     * @param work  a directory for the bad files and the run directories
     * @param extra placeholders of the app's own (a trained model, generated data)
     */
    public static Stream<DynamicTest> cases(Class<?> testClass, Supplier<Object> app, Path work, Map<String, Path> extra) {
        Map<String, Path> files = new HashMap<>(BadFiles.writeAll(work.resolve("bad-files")));
        files.putAll(extra);
        List<DynamicTest> tests = new ArrayList<>();
        int number = 0;
        for (String line : lines(testClass)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\t+", 2);
            assertEquals(2, parts.length, "expected words, a tab, then the command line: " + line);
            Path out = work.resolve("out-" + ++number);
            String[] args = Arrays.stream(parts[1].trim().split(" +")).map(arg -> fill(arg, files, out))
                    .toArray(String[]::new);
            String expected = fill(parts[0].trim(), files, out);
            tests.add(DynamicTest.dynamicTest(parts[1].trim(), () -> check(app.get(), args, expected, out)));
        }
        assertFalse(tests.isEmpty(), "the corpus has no cases");
        return tests.stream();
    }

    private static void check(Object app, String[] args, String expected, Path out) throws IOException {
        ConsoleRun run = ConsoleRun.of(app, args);
        List<String> lines = run.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(LabsCli.USER_ERROR, run.exitCode(), run.err());
        String errorLine = lines.stream().filter(l -> l.startsWith("error: ")).findFirst().orElse("");
        assertTrue(errorLine.contains(expected), "expected '" + expected + "' in: " + run.err());
        int after = lines.size() - lines.indexOf(errorLine) - 1;
        assertTrue(after <= 1, "one error line and at most one line of advice: " + run.err());
        assertFalse(run.err().contains("\tat ") || run.err().contains("Exception"), "no stack trace: " + run.err());
        assertFalse(Files.exists(out), "nothing written to --out");
        try (Stream<Path> siblings = Files.list(out.getParent())) {
            assertTrue(siblings.noneMatch(p -> p.getFileName().toString().startsWith("." + out.getFileName() + ".")),
                    "no staging directory left beside --out");
        }
    }

    private static String fill(String arg, Map<String, Path> files, Path out) {
        Matcher matcher = PLACEHOLDER.matcher(arg);
        StringBuilder filled = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            Path path = name.equals("out") ? out : files.get(name);
            assertNotNull(path, "no file for {" + name + "}");
            matcher.appendReplacement(filled, Matcher.quoteReplacement(path.toString()));
        }
        return matcher.appendTail(filled).toString();
    }

    private static List<String> lines(Class<?> testClass) {
        try (InputStream in = testClass.getResourceAsStream("/bad-inputs.tsv")) {
            assertNotNull(in, "no bad-inputs.tsv among " + testClass.getSimpleName() + "'s test resources");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
