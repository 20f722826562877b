package org.dl4jlabs.common.cli;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.CacheDirectory;
import org.dl4jlabs.common.data.DataOption;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The options every app's commands share. Mix into a command with {@code @Mixin CommonOptions common;}.
 * Epochs and batch size have per-app defaults, so they are read through {@link #epochs(int)} and
 * {@link #batch(int)}.
 */
public class CommonOptions {

    @Option(names = "--data", defaultValue = "auto", paramLabel = "auto|generated|download|DIR",
            description = "Where the data comes from: auto (cache, else download, else generated), "
                    + "generated (made offline by the suite), download, or a directory with the files "
                    + "(default: ${DEFAULT-VALUE}).")
    public String data;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Where downloaded and generated data are kept "
                    + "(default: $DL4J_LABS_DATA, else ~/.dl4j-labs/data).")
    public Path cacheDir;

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training set.")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "N", description = "Examples per mini-batch.")
    Integer batch;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
            description = "Random seed: the same seed, data and thread count give the same results "
                    + "(default: ${DEFAULT-VALUE}).")
    public long seed;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where the run's files go (default: runs/<app>-<command>-<time>).")
    public Path out;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "Threads for native math; 0 = one per core (default: ${DEFAULT-VALUE}).")
    public int threads;

    @Option(names = "--summary", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Print the network's layers and parameters before training (default: on).")
    public boolean summary = true;

    @Option(names = {"-v", "--verbose"}, description = "Show debug messages and the libraries' logs.")
    public boolean verbose;

    /** {@code --data}, parsed; a bad value is a {@link LabsException}. */
    public DataOption dataOption() {
        return DataOption.parse(data);
    }

    /** {@code --cache-dir}, else {@code $DL4J_LABS_DATA}, else {@code ~/.dl4j-labs/data}. */
    public Path cacheDirectory() {
        return CacheDirectory.resolve(cacheDir);
    }

    public int epochs(int appDefault) {
        return positive("--epochs", epochs, appDefault);
    }

    public int batch(int appDefault) {
        return positive("--batch", batch, appDefault);
    }

    /** The run directory: {@code --out}, or a new one under {@code runs/}. */
    public Path out(String app, String command) {
        if (out != null) {
            return out;
        }
        String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Path.of("runs", app + "-" + command + "-" + time);
    }

    private static int positive(String option, Integer value, int appDefault) {
        int chosen = value == null ? appDefault : value;
        if (chosen < 1) {
            throw new LabsException(option + " must be at least 1, not " + chosen);
        }
        return chosen;
    }
}
