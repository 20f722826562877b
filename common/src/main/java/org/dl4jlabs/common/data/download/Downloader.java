package org.dl4jlabs.common.data.download;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.io.AtomicFiles;
import org.dl4jlabs.common.io.IoErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Downloads files into a cache directory, making sure each one ends up there complete and with its
 * checksum (or, where none is published, its size and its own CRCs), or not at all.
 *
 * <p>For each file: a copy already in the cache that passes its check is used without touching the
 * network. Otherwise the mirrors are tried in order. Bytes go to {@code NAME.part}; an interrupted
 * download leaves it there and the next attempt (next mirror or next run) asks only for the missing
 * bytes with an HTTP Range request. A finished download is checked and renamed
 * into place; a wrong one is deleted. A mirror that answers with an error, does not connect within
 * the connect timeout or goes silent for the read timeout is skipped for the next one.
 */
public final class Downloader {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    /** The cap on a file of unknown size sent with no Content-Length: an endless body stops here. */
    static final long MAX_BYTES = 8L << 30;
    /**
     * The slowest transfer kept going, averaged over each read timeout: below it (a server that
     * trickles a byte now and then) the mirror is given up and the part kept to resume from. It
     * also bounds a file's time: a 1 GB file takes at most about twelve days, where a trickle would
     * take forever.
     */
    static final long MIN_BYTES_PER_SECOND = 1024;

    private static final Logger log = LoggerFactory.getLogger(Downloader.class);

    /** Built on the first download: its TLS set-up is wasted on every run that only reads the cache. */
    private HttpClient client;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    public Downloader() {
        this(DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
    }

    /**
     * @param connectTimeout how long to wait for a mirror to accept the connection
     * @param readTimeout    how long a mirror may stay silent, before answering or in the middle of a file
     */
    public Downloader(Duration connectTimeout, Duration readTimeout) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder()
                    .connectTimeout(connectTimeout)
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();
        }
        return client;
    }

    /** Whether every file is already in {@code directory} and passes its check; uses no network. */
    public static boolean isCached(List<RemoteFile> files, Path directory) {
        return files.stream().allMatch(file -> file.check().matches(directory.resolve(file.name())));
    }

    /**
     * Makes sure every file is in {@code directory} and passes its check, downloading those that are not.
     *
     * @return the files' paths, in the order given
     * @throws DownloadException when a file cannot be had from any of its mirrors; the message lists
     *                           every file still missing and where to put it by hand
     */
    public List<Path> fetchAll(List<RemoteFile> files, Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new LabsException("Could not create the data directory " + directory.toAbsolutePath() + ": "
                    + IoErrors.reason(e) + ". Choose another directory or fix its permissions.", e);
        }
        List<Path> paths = new ArrayList<>(files.size());
        for (RemoteFile file : files) {
            paths.add(fetch(file, files, directory));
        }
        return paths;
    }

    private Path fetch(RemoteFile file, List<RemoteFile> all, Path directory) {
        Path target = directory.resolve(file.name());
        if (file.check().matches(target)) {
            log.debug("Using cached {}", target);
            return target;
        }
        if (Files.exists(target)) {
            // Not deleted: it may be someone's own file. A good download replaces it; a failed one leaves it.
            log.warn("{} is not the expected file ({}); downloading a fresh copy", target,
                    file.check().mismatch(target).orElse("unreadable"));
        }
        List<String> failures = new ArrayList<>();
        for (URI mirror : file.mirrors()) {
            try {
                download(mirror, file, target);
                return target;
            } catch (MirrorFailure e) {
                log.debug("Could not download {} from {}: {}", file.name(), mirror, e.getMessage());
                failures.add(mirror + ": " + e.getMessage());
            }
        }
        throw failure(file, failures, all, directory);
    }

    private void download(URI uri, RemoteFile file, Path target) throws MirrorFailure {
        Path part = target.resolveSibling(file.name() + ".part");
        log.debug("Trying {}", uri);
        try {
            transfer(uri, part, file.check().expectedBytes());
        } catch (HttpConnectTimeoutException e) {
            throw new MirrorFailure("could not connect within " + seconds(connectTimeout));
        } catch (HttpTimeoutException e) {
            throw new MirrorFailure("no answer within " + seconds(readTimeout));
        } catch (ConnectException e) {
            // The JDK's client gives these no message; the root cause tells the two usual stories apart.
            throw new MirrorFailure(rootCause(e) instanceof UnresolvedAddressException
                    ? "unknown host " + uri.getHost() + " (offline, or no DNS?)"
                    : "could not connect (connection refused or no route to the host)");
        } catch (IOException e) {
            throw new MirrorFailure(IoErrors.reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabsException("The download of " + file.name() + " was interrupted.");
        }
        Optional<String> mismatch = file.check().mismatch(part);
        if (mismatch.isPresent()) {
            deleteQuietly(part);
            throw new MirrorFailure("the downloaded file is not the expected one (" + mismatch.get()
                    + "), so it was discarded");
        }
        try {
            AtomicFiles.moveIntoPlace(part, target);
        } catch (IOException e) {
            throw new LabsException("Could not move the downloaded " + part + " to " + target + ": "
                    + IoErrors.reason(e), e);
        }
        log.info("Downloaded {} ({} bytes)", target, target.toFile().length());
    }

    /** Fetches {@code uri} into {@code part}, continuing from what {@code part} already holds. */
    private void transfer(URI uri, Path part, OptionalLong expected) throws IOException, InterruptedException,
            MirrorFailure {
        long have = Files.isRegularFile(part) ? Files.size(part) : 0;
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(readTimeout).GET();
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> response = client().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            boolean append;
            if (have > 0 && status == 206) {
                String range = response.headers().firstValue("Content-Range").orElse("");
                if (!range.startsWith("bytes " + have + "-")) {
                    // Kept, the same partial file would meet the same answer on every run.
                    deleteQuietly(part);
                    throw new MirrorFailure("it resumed at the wrong place (Content-Range: " + range + "), so the "
                            + "partial download was discarded");
                }
                log.info("Resuming after the {} bytes already downloaded", have);
                append = true;
            } else if (status == 200) {
                if (have > 0) {
                    log.info("This mirror cannot resume a download; starting from the beginning");
                }
                append = false;
            } else if (status == 416) {
                // The server says the partial file does not fit the file it has: start afresh next time.
                deleteQuietly(part);
                throw new MirrorFailure("HTTP 416, it cannot continue the partial download, which was discarded");
            } else if (status / 100 == 3) {
                // The client follows a few redirects by itself; one still answered means a loop or a long chain.
                throw new MirrorFailure("it redirected too many times (a redirect loop?), last with HTTP " + status
                        + " to " + response.headers().firstValue("Location").orElse("nowhere"));
            } else {
                throw new MirrorFailure("HTTP " + status);
            }
            log.info("Downloading {} from {}", uri.getPath().substring(uri.getPath().lastIndexOf('/') + 1), uri.getHost());
            long announced = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            long limit = expected.isPresent() ? expected.getAsLong()
                    : announced >= 0 ? (append ? have : 0) + announced : MAX_BYTES;
            copy(body, part, append, limit);
        }
    }

    /**
     * Copies the body into the file, giving up when fewer bytes than {@link #MIN_BYTES_PER_SECOND}
     * allows arrive within a read timeout: the HTTP client's own timeout covers only the wait for the
     * response headers, and a server trickling a byte every few seconds would never trip it.
     */
    private void copy(InputStream body, Path part, boolean append, long limit) throws IOException, MirrorFailure {
        AtomicLong received = new AtomicLong();
        long floor = Math.max(1, MIN_BYTES_PER_SECOND * readTimeout.toMillis() / 1000);
        long[] window = {System.nanoTime(), 0}; // start and bytes received then; the watchdog's alone
        AtomicBoolean stalled = new AtomicBoolean();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "download-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        long checkEveryMillis = Math.max(10, readTimeout.toMillis() / 4);
        watchdog.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            if (now - window[0] < readTimeout.toNanos()) {
                return;
            }
            if (received.get() - window[1] < floor) {
                stalled.set(true);
                closeQuietly(body); // wakes up the blocked read below
            }
            window[0] = now;
            window[1] = received.get();
        }, checkEveryMillis, checkEveryMillis, TimeUnit.MILLISECONDS);
        StandardOpenOption mode = append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
        boolean tooLong = false;
        try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
            byte[] buffer = new byte[1 << 16];
            long written = append ? Files.size(part) : 0;
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                written += n;
                if (written > limit) {
                    tooLong = true;
                    break;
                }
                out.write(buffer, 0, n);
                received.addAndGet(n);
            }
        } catch (IOException e) {
            if (!stalled.get()) {
                throw e;
            }
        } finally {
            watchdog.shutdownNow();
        }
        if (stalled.get()) {
            throw new MirrorFailure(String.format("fewer than %,d bytes in %s in the middle of the file (a stalled or"
                    + " trickling server); the part already downloaded is kept to resume from", floor,
                    seconds(readTimeout)));
        }
        if (tooLong) {
            closeQuietly(body);
            deleteQuietly(part);
            throw new MirrorFailure(String.format("it sent more than the %,d bytes expected, so the download was"
                    + " discarded", limit));
        }
    }

    /** Two lines: what failed at each mirror, then how to go on by hand. */
    private DownloadException failure(RemoteFile file, List<String> failures, List<RemoteFile> all, Path directory) {
        String reason = "could not download " + file.name() + " from any mirror (" + String.join("; ", failures) + ")";
        List<String> missing = new ArrayList<>();
        for (RemoteFile other : all) {
            if (!other.check().matches(directory.resolve(other.name()))) {
                missing.add(other.name() + " from " + other.mirrors().get(0) + " (" + other.check() + ")");
            }
        }
        String byHand = "To go on without downloading, fetch " + (missing.size() == 1 ? "it" : "these files")
                + " yourself (a browser works) and put " + (missing.size() == 1 ? "it" : "them")
                + ", named exactly so, in " + directory.toAbsolutePath() + ": " + String.join("; ", missing)
                + ". Files there that pass their check are used without any network.";
        return new DownloadException(reason, reason + "\n" + byHand);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root;
    }

    private static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return (millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0)) + " s";
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            log.debug("Closing a stalled download failed", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", file, IoErrors.reason(e));
        }
    }

    /** Why one mirror could not deliver; the next one is tried. */
    private static final class MirrorFailure extends Exception {
        MirrorFailure(String message) {
            super(message);
        }
    }
}
