package org.dl4jlabs.mnist;

import org.dl4jlabs.common.bench.BenchModel;
import org.dl4jlabs.common.cli.ConsoleRun;
import org.dl4jlabs.common.cli.LabsApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The root README's checklist for starting an app from this module, carried out on a copy: the
 * renamed copy must compile, register itself as an app and a benchmark under its new names, and
 * answer {@code --help} through the same command-line code as {@code ./labs}.
 */
class TemplateChecklistTest {

    /** The names a copy changes, as the checklist lists them. */
    private static final List<String[]> RENAMES = List.of(
            new String[]{"org.dl4jlabs.mnist", "org.dl4jlabs.shapes"},   // Java package
            new String[]{"MnistMlpApp", "ShapesApp"},                     // main class
            new String[]{"MlpBench", "ShapesBench"},                      // benchmark class
            new String[]{"mnist-mlp", "shapes"});                         // artifactId, name, app NAME

    @Test
    void aCopyRenamedByTheChecklistCompilesAndRegistersItself(@TempDir Path dir) throws Exception {
        Path module = Path.of("").toAbsolutePath();
        assertTrue(Files.readString(module.resolveSibling("pom.xml")).contains("<module>mnist-mlp</module>"),
                "the parent POM lists the module (step: add the copy to <modules>)");

        Path copy = dir.resolve("shapes");
        copyRenamed(module, copy);
        assertTrue(Files.isDirectory(copy.resolve("src/main/java/org/dl4jlabs/shapes")));
        try (Stream<Path> files = Files.walk(copy)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.endsWith("README.md")).toList()) {
                String text = Files.readString(file);
                for (String old : List.of("org.dl4jlabs.mnist", "MnistMlpApp", "MlpBench", "mnist-mlp")) {
                    assertTrue(!text.contains(old), file + " still names " + old + ": a step the checklist misses");
                }
            }
        }

        Path classes = compile(copy.resolve("src/main/java"), dir.resolve("classes"));
        try (URLClassLoader loader = new URLClassLoader(new URL[]{classes.toUri().toURL(),
                copy.resolve("src/main/resources").toUri().toURL()}, getClass().getClassLoader())) {
            LabsApp app = ServiceLoader.load(LabsApp.class, loader).stream()
                    .filter(p -> p.type().getName().equals("org.dl4jlabs.shapes.ShapesApp"))
                    .map(ServiceLoader.Provider::get).findFirst().orElse(null);
            assertNotNull(app, "the copy registers its app class as a LabsApp service");
            assertTrue(ServiceLoader.load(BenchModel.class, loader).stream()
                    .anyMatch(p -> p.type().getName().equals("org.dl4jlabs.shapes.ShapesBench")),
                    "the copy registers its benchmark");
            ConsoleRun help = ConsoleRun.of(app, "train", "--help");
            assertEquals(0, help.exitCode(), help.err());
            assertTrue(help.out().contains("Usage: shapes train"), help.out());
        }
    }

    @Test
    void theAppRegistersItselfWithTheLauncher() {
        assertTrue(ServiceLoader.load(LabsApp.class).stream().anyMatch(p -> p.type() == MnistMlpApp.class));
        assertTrue(ServiceLoader.load(BenchModel.class).stream().anyMatch(p -> p.type() == MlpBench.class));
    }

    /** Steps 1 to 5 of the checklist: the module's sources and POM, copied with the new names. */
    private static void copyRenamed(Path module, Path copy) throws IOException {
        try (Stream<Path> files = Files.walk(module)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path relative = module.relativize(file);
                if (relative.startsWith("target")) {
                    continue;
                }
                String path = rename(relative.toString().replace(File.separatorChar, '/')
                        .replace("org/dl4jlabs/mnist", "org/dl4jlabs/shapes"));
                Path target = copy.resolve(path);
                Files.createDirectories(target.getParent());
                Files.writeString(target, rename(Files.readString(file)));
            }
        }
    }

    private static String rename(String text) {
        for (String[] rename : RENAMES) {
            text = text.replace(rename[0], rename[1]);
        }
        return text;
    }

    private static Path compile(Path sources, Path classes) throws IOException {
        Files.createDirectories(classes);
        List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(), "-classpath",
                System.getProperty("java.class.path"), "-proc:none", "-nowarn"));
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> arguments.add(f.toString()));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = javac.run(null, null, errors, arguments.toArray(String[]::new));
        assertEquals(0, status, "the renamed copy compiles: " + errors.toString(StandardCharsets.UTF_8));
        return classes;
    }
}
