package org.dl4jlabs.common.train;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Console;
import java.time.Duration;

/**
 * Shows how an epoch is going: a live progress bar on a terminal (epoch, batch, examples/s, ETA,
 * loss), and a plain line every {@link #LINE_INTERVAL} when the output is a log file or CI.
 */
public abstract class Progress implements AutoCloseable {

    static final Duration LINE_INTERVAL = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(Progress.class);

    /** Starts showing one epoch of {@code examples} examples. */
    public static Progress start(String title, long examples) {
        return isTerminal() ? new Bar(title, examples) : new Lines(title, examples);
    }

    /** {@code examples} more examples are done; {@code loss} is the latest mini-batch loss. */
    public abstract void step(long examples, double loss);

    @Override
    public abstract void close();

    private static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        // From Java 22 on, System.console() is non-null even when redirected; isTerminal() tells.
        try {
            return (boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException beforeJava22) {
            return true;
        }
    }

    private static final class Bar extends Progress {
        private final ProgressBar bar;

        Bar(String title, long examples) {
            bar = new ProgressBarBuilder()
                    .setTaskName(title)
                    .setInitialMax(examples)
                    .setUnit(" ex", 1)
                    .showSpeed()
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .build();
        }

        @Override
        public void step(long examples, double loss) {
            bar.stepBy(examples);
            bar.setExtraMessage(String.format(" loss %.4f", loss));
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    private static final class Lines extends Progress {
        private final String title;
        private final long total;
        private final long start = System.nanoTime();
        private long lastLine = start;
        private long done;

        Lines(String title, long total) {
            this.title = title;
            this.total = total;
        }

        @Override
        public void step(long examples, double loss) {
            done += examples;
            long now = System.nanoTime();
            if (now - lastLine >= LINE_INTERVAL.toNanos() && done < total) {
                lastLine = now;
                double seconds = (now - start) / 1e9;
                double perSecond = done / seconds;
                log.info(String.format("%s  %d/%d examples  %.0f ex/s  ETA %.0f s  loss %.4f",
                        title, done, total, perSecond, (total - done) / perSecond, loss));
            }
        }

        @Override
        public void close() {
        }
    }
}
