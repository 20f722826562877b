package org.dl4jlabs.lstm;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.DataSource;
import org.dl4jlabs.common.data.download.Checksum;
import org.dl4jlabs.common.data.download.Downloader;
import org.dl4jlabs.common.data.download.RemoteFile;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Control chart series in the three forms of a {@link DataSource}: the UCI file (from the cache, a
 * download, or a file or directory of the user's) or series drawn by {@link ControlChartGenerator}.
 *
 * @param cacheDirectory where the UCI file is kept, under {@value #CACHE_FOLDER}/
 * @param uciFile        the UCI file's mirrors and checksum ({@link #UCI_FILE}; tests serve their own)
 * @param downloader     fetches the UCI file
 * @param perClass       generated series per class
 * @param seed           seed of the generated series
 */
public record ControlChartData(Path cacheDirectory, RemoteFile uciFile, Downloader downloader, int perClass,
                               long seed) implements DataSource<ControlChartData.Loaded> {

    /** What was loaded, named after what it really is. */
    public record Loaded(String name, List<LabelledSeries> series) {
    }

    static final String CACHE_FOLDER = "synthetic-control";
    static final URI UCI_URL = URI.create(
            "https://archive.ics.uci.edu/ml/machine-learning-databases/synthetic_control-mld/" + ControlChartFile.NAME);

    /**
     * A copy of the UCI file in the test data of the Smile machine-learning library, at a fixed commit:
     * 600 lines of 60 values, 284,056 bytes. Its SHA-256 is the one pinned below. UCI's server could not
     * be reached from the machines this suite is built on, so if UCI's own copy differs in some byte
     * (line endings, say), the checksum refuses it and the download falls through to this copy.
     */
    static final URI SMILE_COPY = URI.create("https://raw.githubusercontent.com/haifengl/smile/"
            + "25e1a1d6a3e1646af67685275b96f0d5118bc42c/base/src/test/resources/data/clustering/"
            + ControlChartFile.NAME);

    public static final RemoteFile UCI_FILE = new RemoteFile(ControlChartFile.NAME, List.of(UCI_URL, SMILE_COPY),
            Checksum.sha256("3295e9e0836a77cbbcb870f4df025ea174aab27358939031df2ff6805380360b"));

    public Path cachedFile() {
        return cacheDirectory.resolve(CACHE_FOLDER).resolve(ControlChartFile.NAME);
    }

    @Override
    public Path cachedAt() {
        return cachedFile().getParent();
    }

    @Override
    public String realName() {
        return "the UCI control charts";
    }

    @Override
    public Loaded real() {
        Path file = downloader.fetchAll(List.of(uciFile), cachedAt()).get(0);
        return new Loaded("uci-synthetic-control", ControlChartFile.read(file));
    }

    @Override
    public Loaded generated() {
        if (perClass < 2) {
            throw new LabsException("--per-class must be at least 2 (one series to train on, one to test), not "
                    + perClass);
        }
        return new Loaded("generated-control-charts",
                new ControlChartGenerator(seed).generate(perClass, ControlChartGenerator.LENGTH));
    }

    /** The UCI file itself, or a directory holding it. */
    @Override
    public Loaded fromDirectory(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve(ControlChartFile.NAME) : path;
        return new Loaded(file.getFileName().toString(), ControlChartFile.read(file));
    }
}
