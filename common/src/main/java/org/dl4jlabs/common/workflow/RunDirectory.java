package org.dl4jlabs.common.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.io.AtomicFiles;
import org.dl4jlabs.common.io.IoErrors;
import org.dl4jlabs.common.report.ReportWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A run's output directory, changed as a whole or not at all. The run writes into a staging
 * directory beside {@code --out} ({@code .<name>.incoming-<pid>}); only when it completes does the
 * staging directory take the place of {@code --out}. An earlier run of the same app and command in
 * {@code --out} is kept until then, so a failed or killed run leaves it exactly as it was; anything
 * else in {@code --out} (another command's run, a user's files) is refused up front, never replaced.
 *
 * <p>Replacing takes two renames (the old run aside as {@code .<name>.replaced-<pid>}, the new one
 * in). A run killed between them leaves the old run aside, and the next run on that directory puts
 * it back before it starts.
 */
final class RunDirectory {

    private static final Logger log = LoggerFactory.getLogger(RunDirectory.class);
    private static final String INCOMING = ".incoming-";
    private static final String REPLACED = ".replaced-";
    /** Far more than any report the suite writes; a larger file is not one of ours. */
    private static final long MAX_REPORT_BYTES = 64L << 20;

    private final Path destination;
    private final Path staging;
    private final boolean replacesEarlierRun;

    private RunDirectory(Path destination, Path staging, boolean replacesEarlierRun) {
        this.destination = destination;
        this.staging = staging;
        this.replacesEarlierRun = replacesEarlierRun;
    }

    /**
     * Checks that {@code destination} is new, empty or an earlier run of {@code app command}, and
     * creates the staging directory the run writes into.
     */
    static RunDirectory open(Path destination, String app, String command) {
        Path target = realTarget(destination.toAbsolutePath().normalize());
        Path parent = target.getParent();
        if (parent == null) {
            throw new LabsException("--out cannot be the root directory; give a directory for the run's files");
        }
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new LabsException("cannot create the output directory " + target + ": " + IoErrors.reason(e), e);
        }
        recoverFromKilledRuns(target);
        boolean replaces = checkReplaceable(target, app, command);
        Path staging = parent.resolve("." + target.getFileName() + INCOMING + ProcessHandle.current().pid());
        try {
            AtomicFiles.deleteTree(staging);
            Files.createDirectory(staging);
        } catch (IOException e) {
            throw new LabsException("cannot create the output directory " + target + ": " + IoErrors.reason(e), e);
        }
        return new RunDirectory(target, staging, replaces);
    }

    /** Where the run writes its files until it completes. */
    Path staging() {
        return staging;
    }

    /** Where the run's files are once it completes: {@code --out}. */
    Path destination() {
        return destination;
    }

    /** Moves the finished run into {@code --out}, replacing an earlier run of the same command there. */
    void keep() {
        Path aside = destination.resolveSibling("." + destination.getFileName() + REPLACED
                + ProcessHandle.current().pid());
        try {
            if (replacesEarlierRun) {
                AtomicFiles.moveIntoPlace(destination, aside);
            } else if (Files.isDirectory(destination)) {
                Files.delete(destination); // empty, as checked at the start
            }
            AtomicFiles.moveIntoPlace(staging, destination);
        } catch (IOException e) {
            if (replacesEarlierRun && Files.isDirectory(aside) && !Files.exists(destination)) {
                try {
                    AtomicFiles.moveIntoPlace(aside, destination);
                } catch (IOException restoreFailed) {
                    e.addSuppressed(restoreFailed);
                }
            }
            throw new LabsException("cannot move the run's files into " + destination + ": " + IoErrors.reason(e)
                    + "; they are in " + staging, e);
        }
        try {
            AtomicFiles.deleteTree(aside);
        } catch (IOException e) {
            log.warn("the earlier run's files could not all be removed from {}: {}", aside, IoErrors.reason(e));
        }
    }

    /** Removes what a failed run wrote; {@code --out} is untouched. */
    void discard() {
        try {
            AtomicFiles.deleteTree(staging);
        } catch (IOException e) {
            log.warn("could not remove the failed run's files in {}: {}", staging, IoErrors.reason(e));
        }
    }

    /** A symbolic link given as --out is followed: the run goes where it points. */
    private static Path realTarget(Path target) {
        if (!Files.isSymbolicLink(target)) {
            return target;
        }
        try {
            return target.toRealPath();
        } catch (IOException e) {
            throw new LabsException("--out " + target + " is a symbolic link that leads nowhere: "
                    + IoErrors.reason(e), e);
        }
    }

    /**
     * Puts back an earlier run a killed run had moved aside, and removes staging directories that
     * killed runs left. Directories of runs still in progress (their process alive) are left alone.
     */
    private static void recoverFromKilledRuns(Path target) {
        String name = target.getFileName().toString();
        DirectoryStream.Filter<Path> leftByRuns = path -> path.getFileName().toString().startsWith("." + name + ".");
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(target.getParent(), leftByRuns)) {
            for (Path sibling : siblings) {
                String rest = sibling.getFileName().toString().substring(name.length() + 1);
                Optional<Long> pid = pidAfter(rest, REPLACED).or(() -> pidAfter(rest, INCOMING));
                if (pid.isEmpty() || ProcessHandle.of(pid.get()).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                if (rest.startsWith(REPLACED) && !Files.exists(target)) {
                    AtomicFiles.moveIntoPlace(sibling, target);
                    log.warn("{}: put back the earlier run that a killed run had moved aside", target);
                } else {
                    AtomicFiles.deleteTree(sibling);
                }
            }
        } catch (IOException e) {
            throw new LabsException("cannot tidy up after an earlier run of " + target + ": " + IoErrors.reason(e), e);
        }
    }

    private static Optional<Long> pidAfter(String name, String prefix) {
        if (!name.startsWith(prefix)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(name.substring(prefix.length())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** @return whether {@code target} holds an earlier run to replace (false: it is absent or empty) */
    private static boolean checkReplaceable(Path target, String app, String command) {
        if (!Files.exists(target)) {
            return false;
        }
        if (!Files.isDirectory(target)) {
            throw new LabsException("--out " + target + " is a file; give a directory for the run's files");
        }
        try (Stream<Path> entries = Files.list(target)) {
            if (entries.findAny().isEmpty()) {
                return false;
            }
        } catch (IOException e) {
            throw new LabsException("cannot read the output directory " + target + ": " + IoErrors.reason(e), e);
        }
        String held = runIn(target);
        if (held == null) {
            throw new LabsException("--out " + target + " is not empty and holds no dl4j-labs run; a run "
                    + "replaces its whole directory, so give a new or empty one");
        }
        if (!held.equals(app + " " + command)) {
            throw new LabsException("--out " + target + " holds a " + held + " run, which this " + app + " "
                    + command + " would replace; give a new or empty directory");
        }
        log.info("{} holds an earlier {} {} run: it is kept until this one completes, then replaced",
                target, app, command);
        return true;
    }

    /** "app command" of the run whose report.json is in {@code directory}, or null. */
    private static String runIn(Path directory) {
        Path report = directory.resolve(ReportWriter.JSON_FILE);
        try {
            if (!Files.isRegularFile(report) || Files.size(report) > MAX_REPORT_BYTES) {
                return null;
            }
            JsonNode json = new ObjectMapper().readTree(report.toFile());
            JsonNode app = json.get("app");
            JsonNode command = json.get("command");
            return app != null && app.isTextual() && command != null && command.isTextual()
                    ? app.asText() + " " + command.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
