package org.dl4jlabs.lstm;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.DataOption;
import org.dl4jlabs.common.data.DownloadException;
import org.dl4jlabs.common.data.Downloader;
import org.dl4jlabs.common.data.RemoteFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the control chart series a {@link DataOption} asks for: the UCI file (from the cache, a
 * download, or a file or directory of the user's) or series drawn by {@link ControlChartGenerator}.
 *
 * @param cacheDirectory where the UCI file is kept, under {@value #CACHE_FOLDER}/
 * @param uciFile        the UCI file's mirrors and checksum; null when no checksum is pinned, so that
 *                       nothing unverified is ever downloaded
 * @param downloader     fetches the UCI file
 * @param perClass       generated series per class
 * @param seed           seed of the generated series
 */
public record ControlChartData(Path cacheDirectory, RemoteFile uciFile, Downloader downloader, int perClass,
                               long seed) {

    /** What was loaded, named after what it really is. */
    public record Loaded(String name, List<LabelledSeries> series) {
    }

    static final String CACHE_FOLDER = "synthetic-control";
    static final URI UCI_URL = URI.create(
            "https://archive.ics.uci.edu/ml/machine-learning-databases/synthetic_control-mld/" + ControlChartFile.NAME);

    private static final Logger log = LoggerFactory.getLogger(ControlChartData.class);

    public Path cachedFile() {
        return cacheDirectory.resolve(CACHE_FOLDER).resolve(ControlChartFile.NAME);
    }

    public Loaded resolve(DataOption option) {
        return switch (option.kind()) {
            case AUTO -> cachedOrDownloadedOrGenerated();
            case DOWNLOAD -> downloaded();
            case GENERATED -> generated();
            case DIRECTORY -> userFile(option.directory());
        };
    }

    private Loaded cachedOrDownloadedOrGenerated() {
        if (Files.isRegularFile(cachedFile())) {
            return new Loaded("uci-synthetic-control", ControlChartFile.read(cachedFile()));
        }
        if (uciFile != null) {
            try {
                return downloaded();
            } catch (DownloadException e) {
                log.warn("Using generated control charts instead of the UCI file: it is not in {} and {}.",
                        cachedFile().getParent(), e.reason());
                return generated();
            }
        }
        log.warn("Using generated control charts: the UCI file is not in {}. Put {} there (from {}) to use it.",
                cachedFile().getParent(), ControlChartFile.NAME, UCI_URL);
        return generated();
    }

    private Loaded downloaded() {
        if (uciFile == null) {
            throw new LabsException("this build has no pinned checksum for the UCI file, so it does not download it."
                    + " Download " + UCI_URL + " yourself and give it with --data FILE, or put it in "
                    + cachedFile().getParent());
        }
        Path file = downloader.fetchAll(List.of(uciFile), cachedFile().getParent()).get(0);
        return new Loaded("uci-synthetic-control", ControlChartFile.read(file));
    }

    private Loaded generated() {
        if (perClass < 2) {
            throw new LabsException("--per-class must be at least 2 (one series to train on, one to test), not "
                    + perClass);
        }
        return new Loaded("generated-control-charts",
                new ControlChartGenerator(seed).generate(perClass, ControlChartGenerator.LENGTH));
    }

    private static Loaded userFile(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve(ControlChartFile.NAME) : path;
        return new Loaded(file.getFileName().toString(), ControlChartFile.read(file));
    }
}
