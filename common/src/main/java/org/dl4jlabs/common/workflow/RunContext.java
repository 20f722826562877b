package org.dl4jlabs.common.workflow;

import org.dl4jlabs.common.cli.CommonOptions;
import org.dl4jlabs.common.cli.Logging;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.backend.Backend;
import org.dl4jlabs.common.backend.BackendInfo;
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

    private static final Logger log = LoggerFactory.getLogger(RunContext.class);

    private final String app;
    private final String command;
    private final Path out;
    private final BackendInfo backend;
    private final long seed;

    private RunContext(String app, String command, Path out, BackendInfo backend, long seed) {
        this.app = app;
        this.command = command;
        this.out = out;
        this.backend = backend;
        this.seed = seed;
    }

    /** Creates the output directory, starts its log file ({@code <command>.log}) and seeds ND4J. */
    public static RunContext start(String app, String command, CommonOptions options) {
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
        return new RunContext(app, command, out, backend, options.seed);
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

    @Override
    public void close() {
        Logging.closeFile();
    }
}
