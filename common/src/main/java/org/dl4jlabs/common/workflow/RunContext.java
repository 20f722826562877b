package org.dl4jlabs.common.workflow;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.backend.Backend;
import org.dl4jlabs.common.backend.BackendInfo;
import org.dl4jlabs.common.cli.CommonOptions;
import org.dl4jlabs.common.cli.Logging;
import org.dl4jlabs.common.report.RunReport;
import org.dl4jlabs.common.train.Network;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One command's run: its output directory and log file, the backend it runs on, and its seed.
 * Open it first in a command and close it last, with try-with-resources.
 */
public final class RunContext implements AutoCloseable {

    /** More threads than this is a typo, not a machine. */
    static final int MAX_THREADS = 1024;

    private static final Logger log = LoggerFactory.getLogger(RunContext.class);

    private final String app;
    private final String command;
    private final Path out;
    private final BackendInfo backend;
    private final long seed;
    private final boolean summary;

    private RunContext(String app, String command, Path out, BackendInfo backend, long seed, boolean summary) {
        this.app = app;
        this.command = command;
        this.out = out;
        this.backend = backend;
        this.seed = seed;
        this.summary = summary;
    }

    /** Creates the output directory, starts its log file ({@code <command>.log}) and seeds ND4J. */
    public static RunContext start(String app, String command, CommonOptions options) {
        if (options.threads < 0 || options.threads > MAX_THREADS) {
            throw new LabsException("--threads is 0 (one per core) to " + MAX_THREADS + ", not " + options.threads);
        }
        Path out = options.out(app, command).toAbsolutePath().normalize();
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new LabsException("cannot create the output directory " + out + ": " + e.getMessage(), e);
        }
        Logging.logToFile(out.resolve(command + ".log"));
        BackendInfo backend = Backend.init(options.threads);
        Nd4j.getRandom().setSeed(options.seed);
        log.info("{} {}: output in {}", app, command, out);
        log.info("backend: {}, seed {}", backend, options.seed);
        return new RunContext(app, command, out, backend, options.seed, options.summary);
    }

    public String app() {
        return app;
    }

    public String command() {
        return command;
    }

    public Path out() {
        return out;
    }

    public BackendInfo backend() {
        return backend;
    }

    public long seed() {
        return seed;
    }

    /** A report of this run, with its app, command, backend and seed filled in. */
    public RunReport.Builder report() {
        return RunReport.builder(app, command).backend(backend).seed(seed);
    }

    /**
     * Logs the network's layers, their shapes and parameter counts, as Keras' {@code model.summary()}
     * does (unless {@code --no-summary}), and its parameter count in any case.
     */
    public void printSummary(Network net) {
        if (summary) {
            log.info("network:\n{}", net.summary());
        }
        log.info("network: {} parameters", net.numParams());
    }

    @Override
    public void close() {
        Logging.closeFile();
    }
}
