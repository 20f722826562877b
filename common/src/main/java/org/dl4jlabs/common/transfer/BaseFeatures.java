package org.dl4jlabs.common.transfer;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jlabs.common.data.download.Checksum;
import org.dl4jlabs.common.io.AtomicFiles;
import org.dl4jlabs.common.io.IoErrors;
import org.dl4jlabs.common.train.Network;
import org.dl4jlabs.common.train.ShuffledBatches;
import org.dl4jlabs.common.train.Trainer;
import org.dl4jlabs.common.workflow.ImageClassifierCommands;
import org.dl4jlabs.common.transfer.Vgg16Model.Head;
import org.dl4jlabs.common.transfer.Vgg16Model.Pooling;
import org.dl4jlabs.common.transfer.Vgg16Model.Width;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The frozen base's outputs for a set of photos, computed once: when everything below the head is
 * frozen, an epoch of the head needs them and nothing else, so the photos go through the base once
 * instead of once per epoch. They are kept on disk under a key made of the weights, the photos,
 * the freeze point, the size and the pooling, so a second run on the same data starts from them.
 * <p>
 * DL4J's {@code TransferLearningHelper} does the featurizing half of this, but the head network it
 * builds keeps the whole network's input preprocessors at their old layer numbers (1.0.0-M2.1), which
 * puts the photo preparation in front of the head; the head here is built by {@link Vgg16Model#head}.
 */
public final class BaseFeatures {

    /** Photos per forward pass through the base: 150x150 photos make large activations. */
    public static final int BATCH = 32;
    private static final Logger log = LoggerFactory.getLogger(BaseFeatures.class);

    private BaseFeatures() {
    }

    /**
     * The base of {@code net} (width {@code width}, photos of {@code size}) up to {@code lastLayer}, as
     * a network of its own with the same parameters.
     */
    public static MultiLayerNetwork baseOf(MultiLayerNetwork net, Width width, int size, String lastLayer) {
        MultiLayerNetwork base = Vgg16Model.network(Vgg16Model.baseUpTo(width, size, lastLayer));
        base.setParams(net.params().get(NDArrayIndex.all(), NDArrayIndex.interval(0, base.numParams())).dup());
        return base;
    }

    /**
     * The base's outputs for every photo of {@code photos}, flattened in the order the head's first
     * layer reads them (or averaged over each map), with the photos' labels. {@code output()} reuses
     * its memory from batch to batch; collecting every layer's activations instead (feedForward) ran
     * the full base on 150x150 photos out of memory.
     */
    public static DataSet compute(MultiLayerNetwork base, Pooling pooling, DataSet photos) {
        INDArray maps = Network.of(base).output(photos.getFeatures(), BATCH); // [n, h, w, c]
        INDArray features = pooling == Pooling.AVERAGE ? maps.mean(1, 2)
                : maps.reshape('c', maps.size(0), maps.length() / maps.size(0));
        return new DataSet(features, photos.getLabels());
    }

    /**
     * {@link #compute}, or the copy kept under {@code cacheDirectory} for the same key; a new result
     * is saved there (atomically; a cache that cannot be written only costs the next run the time).
     */
    public static DataSet cached(MultiLayerNetwork base, Pooling pooling, DataSet photos, String key,
                                 Path cacheDirectory) {
        Path file = cacheDirectory.resolve(key + ".bin");
        if (Files.isRegularFile(file)) {
            DataSet features = new DataSet();
            features.load(file.toFile());
            if (features.numExamples() == photos.numExamples()) {
                log.info("Base outputs of {} photos from the cache ({})", photos.numExamples(), file.getFileName());
                return features;
            }
        }
        long started = System.nanoTime();
        DataSet features = compute(base, pooling, photos);
        log.info("Base outputs of {} photos computed in {} s, cached as {}", photos.numExamples(),
                String.format("%.1f", (System.nanoTime() - started) / 1e9), file);
        try {
            AtomicFiles.writeFile(file, temporary -> features.save(temporary.toFile()));
        } catch (IOException e) {
            log.warn("Could not cache the base outputs in {}: {}", file, IoErrors.reason(e));
        }
        return features;
    }

    /** A key for the base outputs of {@code photos}: what decides them, and nothing else. */
    public static String key(Vgg16Weights.Resolved weights, String freeze, int size, Pooling pooling, DataSet photos) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            String setup = (weights.file() == null ? "random" : Checksum.of("MD5", weights.file()).hex()) + "|"
                    + weights.width() + "|" + freeze + "|" + size + "|" + pooling;
            digest.update(setup.getBytes(StandardCharsets.UTF_8));
            ByteBuffer pixels = photos.getFeatures().dup('c').data().asNio();
            digest.update(pixels);
            return HexFormat.of().formatHex(digest.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Feature extraction: the photos go through the frozen base once (or come from the cache), and the
     * head alone trains on the base's outputs; its weights are then copied into the whole network.
     */
    public static Trainer.Result trainHead(MultiLayerNetwork net, Head head, Vgg16Weights.Resolved weights,
                                           int size, DataSet trainPhotos, DataSet validationPhotos,
                                           List<String> classNames, int batch, int epochs, double learningRate,
                                           long seed, Path cacheDirectory) {
        MultiLayerNetwork base = baseOf(net, weights.width(), size, "block5_pool");
        Path cache = cacheDirectory.resolve("vgg16-features");
        DataSet train = features(base, head.pooling(), trainPhotos, weights, size, cache);
        DataSet validation = features(base, head.pooling(), validationPhotos, weights, size, cache);
        MultiLayerNetwork headNet = Vgg16Model.network(Vgg16Model.head(train.getFeatures().size(1), head,
                learningRate, seed));
        Trainer.Result trained = new Trainer(Network.of(headNet),
                ImageClassifierCommands.testScore(validation, classNames))
                .fit(new ShuffledBatches(train, batch, seed), epochs);
        int first = net.getnLayers() - headNet.getnLayers();
        for (int i = 0; i < headNet.getnLayers(); i++) {
            net.getLayer(first + i).setParams(headNet.getLayer(i).params());
        }
        return trained;
    }

    /** The base's outputs: from the cache for pretrained weights, computed afresh for random ones. */
    private static DataSet features(MultiLayerNetwork base, Pooling pooling, DataSet photos,
                                    Vgg16Weights.Resolved weights, int size, Path cache) {
        if (!weights.pretrained()) {
            return compute(base, pooling, photos);
        }
        String key = key(weights, "block5_pool", size, pooling, photos);
        return cached(base, pooling, photos, key, cache);
    }
}
