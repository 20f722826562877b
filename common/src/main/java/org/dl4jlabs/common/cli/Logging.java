package org.dl4jlabs.common.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/** Log levels and the per-run log file, on top of the quiet defaults in {@code logback.xml}. */
public final class Logging {

    private static final String RUN_LOG_APPENDER = "RUN_LOG";

    private Logging() {
    }

    /** {@code --verbose}: our debug messages and the libraries' information messages. */
    public static void setVerbose(boolean verbose) {
        if (verbose) {
            context().getLogger("org.dl4jlabs").setLevel(Level.DEBUG);
            context().getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
        }
    }

    /** Copies everything logged from now on, with timestamps, into {@code file} (e.g. a run's train.log). */
    public static void logToFile(Path file) {
        LoggerContext context = context();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAppender(RUN_LOG_APPENDER);

        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n");
        encoder.start();

        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setName(RUN_LOG_APPENDER);
        appender.setContext(context);
        appender.setFile(file.toString());
        appender.setAppend(false);
        appender.setEncoder(encoder);
        appender.start();
        root.addAppender(appender);
    }

    /** Closes the run's log file so that it is complete on disk. */
    public static void closeFile() {
        Logger root = context().getLogger(Logger.ROOT_LOGGER_NAME);
        var appender = root.getAppender(RUN_LOG_APPENDER);
        if (appender != null) {
            appender.stop();
            root.detachAppender(appender);
        }
    }

    private static LoggerContext context() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }
}
