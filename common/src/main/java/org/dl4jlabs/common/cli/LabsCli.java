package org.dl4jlabs.common.cli;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.backend.MemoryLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Runs a picocli command the way every app does: one clear line for anything the user can fix,
 * a non-zero exit code, and a stack trace only with {@code --verbose} (it always goes to the
 * run's train.log when there is one).
 */
public final class LabsCli {

    /** Exit code for bad input, missing data or a model file that does not fit. */
    public static final int USER_ERROR = 2;
    /** Exit code for a run that finished and wrote its files, but whose result failed the app's own check. */
    public static final int FAILED_RUN = 3;
    /** Exit code for a bug or an environment problem we did not anticipate. */
    public static final int INTERNAL_ERROR = 1;

    private static final Logger log = LoggerFactory.getLogger(LabsCli.class);

    private LabsCli() {
    }

    /** {@code root} with every app on the classpath ({@link LabsApp}) as a subcommand, in name order. */
    public static CommandLine withApps(Object root) {
        CommandLine cli = new CommandLine(root);
        ServiceLoader.load(LabsApp.class).stream().map(ServiceLoader.Provider::get)
                .map(CommandLine::new)
                .sorted(Comparator.comparing(CommandLine::getCommandName))
                .forEach(cli::addSubcommand);
        return cli;
    }

    /**
     * Parses and runs; returns the exit code instead of exiting, for tests and for the launcher.
     * {@code command} is a picocli command object, or a {@link CommandLine} already assembled.
     */
    public static int execute(Object command, String... args) {
        boolean verbose = Arrays.asList(args).contains("--verbose") || Arrays.asList(args).contains("-v");
        Logging.setVerbose(verbose);
        CommandLine cli = command instanceof CommandLine assembled ? assembled : new CommandLine(command);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((exception, commandLine, parseResult) ->
                report(exception, commandLine.getErr(), verbose));
        cli.setParameterExceptionHandler((exception, arguments) -> {
            CommandLine culprit = exception.getCommandLine();
            culprit.getErr().println("error: " + exception.getMessage());
            culprit.getErr().println("(see: " + culprit.getCommandSpec().qualifiedName(" ") + " --help)");
            return USER_ERROR;
        });
        cli.registerConverter(Double.class, LabsCli::finiteNumber);
        cli.registerConverter(Double.TYPE, LabsCli::finiteNumber);
        cli.registerConverter(Path.class, LabsCli::path);
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // picocli hands only Exceptions to the handler above; an Error would end the run in a stack trace.
            cli.getErr().println("error: out of memory (" + e.getMessage() + "; " + MemoryLimits.current()
                    + "). Use a smaller --batch or --size, or give Java more memory: LABS_JAVA_OPTS=-Xmx8g ./labs ...");
            log.error(Logging.FILE_ONLY, "out of memory", e);
            Logging.closeFile();
            return INTERNAL_ERROR;
        }
    }

    /** Every number option: Infinity and NaN parse as doubles but are never a sensible setting. */
    private static Double finiteNumber(String text) {
        double value = Double.parseDouble(text);
        if (!Double.isFinite(value)) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a finite number");
        }
        return value;
    }

    /** Every file option: a name Java cannot represent is explained, not shown as an InvalidPathException. */
    private static Path path(String text) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            String names = System.getProperty("sun.jnu.encoding", "UTF-8");
            throw new CommandLine.TypeConversionException("'" + text + "' is not a file name Java can use here ("
                    + e.getReason() + ")" + (names.toUpperCase(Locale.ROOT).replace("-", "").equals("UTF8") ? ""
                    : "; Java reads file names in the locale's character set, " + names + ", so run under a UTF-8"
                    + " locale, e.g. LC_ALL=C.UTF-8"));
        }
    }

    /** {@link #execute} and exit with its code: the body of every app's {@code main}. */
    public static void main(Object command, String... args) {
        System.exit(execute(command, args));
    }

    private static int report(Exception exception, PrintWriter err, boolean verbose) {
        LabsException userError = userError(exception);
        if (userError != null) {
            err.println("error: " + userError.getMessage());
            log.info(Logging.FILE_ONLY, "error: {}", userError.getMessage(), userError);
            Logging.closeFile();
            return USER_ERROR;
        }
        err.println("unexpected error: " + exception);
        if (verbose) {
            exception.printStackTrace(err);
        } else {
            err.println("(run again with --verbose for the stack trace)");
        }
        log.error(Logging.FILE_ONLY, "unexpected error", exception);
        Logging.closeFile();
        return INTERNAL_ERROR;
    }

    /** DL4J and DataVec wrap what we throw; find our message inside theirs. */
    private static LabsException userError(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof LabsException labsException) {
                return labsException;
            }
        }
        return null;
    }
}
