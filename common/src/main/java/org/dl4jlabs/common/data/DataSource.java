package org.dl4jlabs.common.data;

import org.dl4jlabs.common.data.download.DownloadException;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * A data set an app can train on, in the three forms every app offers: the real one (from the cache,
 * or downloaded into it), one the suite generates (so a lab runs offline), and a copy in a directory
 * of the user's. {@link #resolve} is the one policy that turns a {@link DataOption} into one of them.
 *
 * @param <T> what the app's data is loaded as
 */
public interface DataSource<T> {

    /** The real data set from the cache, downloading what is missing. */
    T real() throws DownloadException;

    T generated();

    T fromDirectory(Path directory);

    /** The real data set's name as users know it, e.g. "MNIST", for the message when it cannot be had. */
    String realName();

    /** Where the real data set is cached. */
    Path cachedAt();

    /**
     * {@code auto}: the real data if it is cached or can be downloaded, else generated data, with a
     * warning that says why; {@code download}: the real data or an error that says where to put it by
     * hand; {@code generated}; or the user's directory.
     */
    default T resolve(DataOption option) {
        return switch (option.kind()) {
            case AUTO -> realOrGenerated();
            case DOWNLOAD -> real();
            case GENERATED -> generated();
            case DIRECTORY -> fromDirectory(option.directory());
        };
    }

    private T realOrGenerated() {
        try {
            return real();
        } catch (DownloadException e) {
            LoggerFactory.getLogger(DataSource.class).warn("Using generated data instead of {}: it is not in {} and {}."
                    + " To use it, choose the 'download' data option to see where to put its files by hand.",
                    realName(), cachedAt(), e.reason());
            return generated();
        }
    }

    /** Data from a directory is called by the directory's name, e.g. "fashion-mnist". */
    static String nameOf(Path directory) {
        Path name = directory.toAbsolutePath().normalize().getFileName();
        return name == null ? directory.toString() : name.toString();
    }
}
