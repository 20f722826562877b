package org.dl4jlabs.common.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.io.AtomicFiles;
import org.nd4j.linalg.dataset.api.preprocessor.Normalizer;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * Saves and loads model.zip files: DL4J's own format (so {@code ModelSerializer} reads them too)
 * plus a {@value #INFO_ENTRY} entry describing the model. Saving goes through {@link AtomicFiles},
 * so an existing model is never left half-written.
 */
public final class ModelStore {

    static final String INFO_ENTRY = "dl4j-labs.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A model read back from disk. {@code normalizer} is null when none was saved. */
    public record Loaded(Network network, ModelInfo info, Normalizer<?> normalizer) {
    }

    private ModelStore() {
    }

    public static void save(Network network, ModelInfo info, Normalizer<?> normalizer, Path file) {
        Path target = file.toAbsolutePath();
        try {
            AtomicFiles.writeFile(target, temp -> {
                ModelSerializer.writeModel(network.model(), temp.toFile(), true);
                try (FileSystem zip = FileSystems.newFileSystem(temp)) {
                    Files.write(zip.getPath(INFO_ENTRY), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(info));
                }
                if (normalizer != null) {
                    ModelSerializer.addNormalizerToModel(temp.toFile(), normalizer);
                }
            });
        } catch (IOException e) {
            throw new LabsException("could not save the model to " + target + ": " + e.getMessage(), e);
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
        if (!Files.isRegularFile(file)) {
            throw new LabsException("model file not found: " + file);
        }
        try (FileSystem zip = FileSystems.newFileSystem(file)) {
            return JSON.readValue(Files.readAllBytes(zip.getPath(INFO_ENTRY)), ModelInfo.class);
        } catch (ZipException | java.nio.file.ProviderNotFoundException e) {
            throw new LabsException(file + " is not a model file (not a zip archive)");
        } catch (NoSuchFileException e) {
            throw new LabsException(file + " is not a dl4j-labs model (it has no " + INFO_ENTRY
                    + "); train one with ./labs <app> train");
        } catch (IOException e) {
            throw new LabsException("could not read " + file + ": " + e.getMessage(), e);
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
