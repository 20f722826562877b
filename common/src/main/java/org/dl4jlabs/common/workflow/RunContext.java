package org.dl4jlabs.common.workflow;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.backend.Backend;
import org.dl4jlabs.common.backend.BackendInfo;
import org.dl4jlabs.common.backend.MemoryLimits;
import org.dl4jlabs.common.backend.PeakMemory;
import org.dl4jlabs.common.cli.CommonOptions;
import org.dl4jlabs.common.cli.Logging;
import org.dl4jlabs.common.report.RunReport;
import org.dl4jlabs.common.train.Network;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * One command's run: its output directory and log file, the backend it runs on, and its seed.
 * Open it first in a command and close it last, with try-with-resources; call {@link #complete()}
 * as the command's last step. The run's files are written into a staging directory and move into
 * {@code --out} together when it completes; a run that fails or is killed leaves {@code --out} as
 * it was (see {@link RunDirectory}).
 */
public final class RunContext implements AutoCloseable {

    /** More threads than this is a typo, not a machine. */
    static final int MAX_THREADS = 1024;

    private static final Logger log = LoggerFactory.getLogger(RunContext.class);

    private final String app;
    private final String command;
    private final RunDirectory directory;
    private final BackendInfo backend;
    private final long seed;
    private final boolean summary;

    private boolean completed;

    private RunContext(String app, String command, RunDirectory directory, BackendInfo backend, long seed,
                       boolean summary) {
        this.app = app;
        this.command = command;
        this.directory = directory;
        this.backend = backend;
        this.seed = seed;
        this.summary = summary;
    }

    /**
     * Checks {@code --out}, creates the run's staging directory, starts its log file
     * ({@code <command>.log}) and seeds ND4J.
     */
    public static RunContext start(String app, String command, CommonOptions options) {
        if (options.threads < 0 || options.threads > MAX_THREADS) {
            throw new LabsException("--threads is 0 (one per core) to " + MAX_THREADS + ", not " + options.threads);
        }
        RunDirectory directory = RunDirectory.open(options.out(app, command), app, command);
        try {
            Logging.logToFile(directory.staging().resolve(command + ".log"));
            BackendInfo backend = Backend.init(options.threads);
            Nd4j.getRandom().setSeed(options.seed);
            log.info("{} {}: output in {}", app, command, directory.destination());
            log.info("backend: {}, seed {}", backend, options.seed);
            log.info("memory: {}", MemoryLimits.current());
            return new RunContext(app, command, directory, backend, options.seed, options.summary);
        } catch (RuntimeException | Error e) {
            Logging.closeFile();
            directory.discard();
            throw e;
        }
    }

    public String app() {
        return app;
    }

    public String command() {
        return command;
    }

    /** Where the run writes its files: a staging directory that becomes {@link #destination()} on completion. */
    public Path out() {
        return directory.staging();
    }

    /** Where the run's files will be once it completes ({@code --out}): the path to show and to record. */
    public Path destination() {
        return directory.destination();
    }

    /** Moves the run's files into {@link #destination()}, as a whole; the command's last step. */
    public void complete() {
        Logging.closeFile();
        directory.keep();
        completed = true;
        log.info("{} {}: files in {}; memory: {}", app, command, directory.destination(), PeakMemory.now());
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

    /** Closes the log file; a run that did not complete leaves nothing behind. */
    @Override
    public void close() {
        Logging.closeFile();
        if (!completed) {
            directory.discard();
        }
    }
}
