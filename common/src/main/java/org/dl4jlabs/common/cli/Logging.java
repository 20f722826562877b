package org.dl4jlabs.common.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

import java.nio.file.Path;

/** Log levels and the per-run log file, on top of the quiet defaults in {@code logback.xml}. */
public final class Logging {

    private static final String RUN_LOG_APPENDER = "RUN_LOG";

    /** Marks messages that belong in the run's log file but not on the console, e.g. stack traces. */
    public static final Marker FILE_ONLY = MarkerFactory.getMarker("FILE_ONLY");

    /** Keeps {@link #FILE_ONLY} messages off the console; named in {@code logback.xml}. */
    public static final class ConsoleFilter extends Filter<ILoggingEvent> {
        @Override
        public FilterReply decide(ILoggingEvent event) {
            return event.getMarkerList() != null && event.getMarkerList().contains(FILE_ONLY)
                    ? FilterReply.DENY : FilterReply.NEUTRAL;
        }
    }

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
