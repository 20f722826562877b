package org.dl4jlabs.common.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.io.IoErrors;
import org.dl4jlabs.common.io.UserFiles;
import org.dl4jlabs.common.io.AtomicFiles;
import org.nd4j.linalg.dataset.api.preprocessor.Normalizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.UUID;
import java.util.zip.ZipException;

/**
 * Saves and loads model.zip files: DL4J's own format (so {@code ModelSerializer} reads them too)
 * plus a {@value #INFO_ENTRY} entry describing the model. Saving goes through {@link AtomicFiles},
 * so an existing model is never left half-written.
 */
public final class ModelStore {

    /** What train names the model in its run directory. */
    public static final String FILE_NAME = "model.zip";
    static final String INFO_ENTRY = "dl4j-labs.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(ModelStore.class);

    /** A model read back from disk. {@code normalizer} is null when none was saved. */
    public record Loaded(Network network, ModelInfo info, Normalizer<?> normalizer) {
    }

    private ModelStore() {
    }

    /**
     * Writes DL4J's model zip with {@link ModelInfo} added as {@value #INFO_ENTRY}, atomically. The zip is
     * copied entry by entry rather than edited in place: the JDK's zip file system leaves its own
     * temporary files beside the target when the disk fills up.
     */
    public static void save(Network network, ModelInfo info, Normalizer<?> normalizer, Path file) {
        Path target = file.toAbsolutePath();
        Path serialized = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".dl4j.tmp");
        try {
            ModelSerializer.writeModel(network.model(), serialized.toFile(), true);
            if (normalizer != null) {
                ModelSerializer.addNormalizerToModel(serialized.toFile(), normalizer);
            }
            byte[] infoJson = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(info);
            AtomicFiles.write(target, out -> {
                ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out);
                // The entries' compressed bytes as DL4J wrote them: inflating and deflating the
                // parameters again cost time in proportion to the model's size.
                try (ZipFile model = ZipFile.builder().setFile(serialized.toFile()).get()) {
                    for (ZipArchiveEntry entry : Collections.list(model.getEntriesInPhysicalOrder())) {
                        try (InputStream raw = model.getRawInputStream(entry)) {
                            zip.addRawArchiveEntry(entry, raw);
                        }
                    }
                }
                zip.putArchiveEntry(new ZipArchiveEntry(INFO_ENTRY));
                zip.write(infoJson);
                zip.closeArchiveEntry();
                zip.finish();
            });
        } catch (IOException | RuntimeException e) {
            throw new LabsException("could not save the model to " + target + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(serialized);
            } catch (IOException e) {
                log.warn("Could not remove the temporary file {}: {}", serialized, IoErrors.reason(e));
            }
        }
    }

    /**
     * Loads a model saved by {@code expectedApp}. A missing file, a file that is not a model, or a
     * model of another app gives a {@link LabsException} that says which.
     */
    public static Loaded load(Path file, String expectedApp) {
        ModelInfo info = readInfo(file);
        String problem = problemWith(info);
        if (problem != null) {
            throw new LabsException(file + " is damaged: its " + INFO_ENTRY + " " + problem);
        }
        if (!info.app().equals(expectedApp)) {
            throw new LabsException(file + " is a model of the " + info.app() + " app, not of " + expectedApp
                    + ". Use it with: ./labs " + info.app() + " ...");
        }
        try {
            Model model = isGraph(file)
                    ? ModelSerializer.restoreComputationGraph(file.toFile(), false)
                    : ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
            Normalizer<?> normalizer = hasEntry(file, ModelSerializer.NORMALIZER_BIN)
                    ? ModelSerializer.restoreNormalizerFromFile(file.toFile()) : null;
            Loaded loaded = new Loaded(Network.of(model), info, normalizer);
            long outputs = outputs(model);
            if (!info.classNames().isEmpty() && outputs > 0 && outputs != info.classNames().size()) {
                throw new LabsException(file + " is damaged: its network gives " + outputs + " outputs but its "
                        + INFO_ENTRY + " names " + info.classNames().size() + " classes");
            }
            return loaded;
        } catch (LabsException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new LabsException(file + " is damaged: its network could not be read (" + e.getMessage() + ")", e);
        }
    }

    /** What makes a model's description unusable, or null: read from a file, any field may be missing. */
    private static String problemWith(ModelInfo info) {
        if (info.app() == null || info.app().isBlank()) {
            return "names no app";
        }
        if (info.classNames() == null) {
            return "has no class names";
        }
        if (info.inputShape() == null || info.inputShape().length == 0
                || Arrays.stream(info.inputShape()).anyMatch(size -> size <= 0 || size > 1_000_000)) {
            return "has an impossible input shape " + Arrays.toString(info.inputShape());
        }
        if (info.config() == null) {
            return "has no settings";
        }
        return null;
    }

    /** The number of outputs of a network's last layer, or 0 when it has none to compare. */
    private static long outputs(Model model) {
        org.deeplearning4j.nn.conf.layers.Layer last = model instanceof MultiLayerNetwork net
                ? net.getLayer(net.getnLayers() - 1).conf().getLayer()
                : ((ComputationGraph) model).getOutputLayer(0).conf().getLayer();
        return last instanceof FeedForwardLayer feedForward ? feedForward.getNOut() : 0;
    }

    private static ModelInfo readInfo(Path file) {
        if (Files.isRegularFile(file.resolve(FILE_NAME))) {
            throw new LabsException("the model " + file + " is a run directory; give the model file in it, "
                    + file.resolve(FILE_NAME));
        }
        UserFiles.requireFile(file, "the model");
        try (FileSystem zip = FileSystems.newFileSystem(file)) {
            return JSON.readValue(Files.readAllBytes(zip.getPath(INFO_ENTRY)), ModelInfo.class);
        } catch (ZipException | java.nio.file.ProviderNotFoundException e) {
            throw new LabsException(file + " is not a model file (not a zip archive)");
        } catch (NoSuchFileException e) {
            throw new LabsException(file + " is not a dl4j-labs model (it has no " + INFO_ENTRY
                    + "); train one with ./labs <app> train");
        } catch (IOException e) {
            throw new LabsException("could not read " + file + ": " + IoErrors.reason(e), e);
        }
    }

    private static boolean isGraph(Path file) throws IOException {
        try (FileSystem zip = FileSystems.newFileSystem(file)) {
            String config = Files.readString(zip.getPath(ModelSerializer.CONFIGURATION_JSON));
            return config.contains("\"vertices\"");
        }
    }

    private static boolean hasEntry(Path file, String entry) throws IOException {
        try (FileSystem zip = FileSystems.newFileSystem(file)) {
            return Files.exists(zip.getPath(entry));
        }
    }
}
