package org.dl4jlabs.common.transfer;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.download.Checksum;
import org.dl4jlabs.common.data.download.DownloadException;
import org.dl4jlabs.common.data.download.Downloader;
import org.dl4jlabs.common.data.download.RemoteFile;
import org.dl4jlabs.common.io.UserFiles;
import org.dl4jlabs.common.transfer.Vgg16Model.Width;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Where the base's weights come from ({@code --weights}): Keras' ImageNet weights (cached, else
 * downloaded), the suite's own self-pretrained base (made offline once), a file of the user's, or
 * none (random, to train from scratch). {@code auto} is ImageNet's when they can be had, else the
 * self-pretrained ones, with a warning that says so.
 */
public final class Vgg16Weights {

    /** What {@code --weights} asked for. */
    public enum Kind { AUTO, IMAGENET, SELF, NONE, FILE }

    /**
     * Weights to start from.
     *
     * @param width   the base they fit
     * @param file    the Keras weight file; null for random weights
     * @param origin  in a few words, for the console and the report
     */
    public record Resolved(Width width, Path file, String origin) {
        public boolean pretrained() {
            return file != null;
        }
    }

    private static final List<URI> MIRRORS = List.of(
            URI.create("https://storage.googleapis.com/tensorflow/keras-applications/vgg16/"),
            URI.create("https://github.com/fchollet/deep-learning-models/releases/download/v0.1/"));
    static final String NOTOP = "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5";
    /** Keras' published VGG16 weights without the top (the base only), with their published MD5. */
    public static final RemoteFile IMAGENET_NOTOP = new RemoteFile(NOTOP,
            MIRRORS.stream().map(base -> base.resolve(NOTOP)).toList(),
            Checksum.md5("6d6bbae143d832006294945121d1f1fc", 58_889_256L));

    static final String TOP = "vgg16_weights_tf_dim_ordering_tf_kernels.h5";
    /** The whole network with ImageNet's 1000-class top, for predict --imagenet only. */
    public static final RemoteFile IMAGENET_TOP = new RemoteFile(TOP,
            MIRRORS.stream().map(base -> base.resolve(TOP)).toList(),
            Checksum.md5("64373286793e3c8b2b4e3219cbf3544b", 553_467_096L));

    private static final Logger log = LoggerFactory.getLogger(Vgg16Weights.class);

    private final Path cacheDirectory;
    private final RemoteFile imagenet;
    private final Downloader downloader;
    private final SelfPretraining selfPretraining;

    /** Writes the self-pretrained base to {@code file}, when it is not in the cache yet. */
    @FunctionalInterface
    public interface SelfPretraining {
        void pretrainInto(Path file);
    }

    public Vgg16Weights(Path cacheDirectory, RemoteFile imagenet, Downloader downloader, SelfPretraining selfPretraining) {
        this.cacheDirectory = cacheDirectory;
        this.imagenet = imagenet;
        this.downloader = downloader;
        this.selfPretraining = selfPretraining;
    }

    /** {@code --weights auto|imagenet|self|none|FILE}. */
    public static Kind kindOf(String option) {
        return switch (option.toLowerCase(Locale.ROOT)) {
            case "auto" -> Kind.AUTO;
            case "imagenet" -> Kind.IMAGENET;
            case "self" -> Kind.SELF;
            case "none" -> Kind.NONE;
            default -> Kind.FILE;
        };
    }

    public Resolved resolve(String option) {
        return switch (kindOf(option)) {
            case AUTO -> imagenetOrSelf();
            case IMAGENET -> imagenet();
            case SELF -> self();
            case NONE -> new Resolved(Width.FULL, null, "none: random weights, trained from scratch");
            case FILE -> fromFile(Path.of(option));
        };
    }

    private Resolved imagenetOrSelf() {
        try {
            return imagenet();
        } catch (DownloadException e) {
            log.warn("Using the suite's self-pretrained base, not ImageNet's weights: {}. It is a quarter of VGG16's"
                    + " width, pretrained on generated shapes; --weights imagenet says where to put Keras' file.",
                    e.reason());
            return self();
        }
    }

    private Resolved imagenet() {
        Path directory = cacheDirectory.resolve("vgg16");
        try {
            Path file = downloader.fetchAll(List.of(imagenet), directory).get(0);
            return new Resolved(Width.FULL, file, "ImageNet (Keras' " + imagenet.name() + ")");
        } catch (DownloadException e) {
            throw new DownloadException(e.reason(), e.getMessage() + " Or give a copy anywhere with --weights FILE.");
        }
    }

    private Resolved self() {
        Path file = cacheDirectory.resolve("vgg16-self").resolve("vgg16-quarter-generated-shapes-v1.h5");
        if (!Files.isRegularFile(file)) {
            log.info("Pretraining the self-pretrained base once, into {} (./labs transfer-vgg16 pretrain does the"
                    + " same with its own options)", file);
            selfPretraining.pretrainInto(file);
        }
        return new Resolved(Width.QUARTER, file, "self-pretrained (a quarter-width VGG16 base trained on generated"
                + " shapes; not ImageNet)");
    }

    private static Resolved fromFile(Path file) {
        UserFiles.notAFile(file).ifPresent(problem -> {
            throw new LabsException("the weights file " + file + " " + problem + "; give a Keras VGG16 weight file"
                    + " (.h5), or auto, imagenet, self or none");
        });
        return new Resolved(widthOf(file), file, "the file " + file);
    }

    /** VGG16's full width or the quarter one, from the number of filters of the file's block1_conv1. */
    static Width widthOf(Path file) {
        try (HdfFile h5 = new HdfFile(file)) {
            Node group = h5.getChildren().get("block1_conv1");
            long filters = group instanceof Group layer ? biasLength(layer) : -1;
            for (Width width : Width.values()) {
                if (width.filters(1) == filters) {
                    return width;
                }
            }
            throw new LabsException(file + " is not a VGG16 weight file in Keras' layout: its block1_conv1 "
                    + (filters < 0 ? "is missing" : "has " + filters + " filters, not 64 (or 16 for the quarter width)"));
        } catch (HdfException e) {
            throw new LabsException(file + " cannot be read as an HDF5 weight file (" + e.getMessage() + ")", e);
        }
    }

    private static long biasLength(Group group) {
        for (Node child : group.getChildren().values()) {
            if (child instanceof Dataset dataset && dataset.getDimensions().length == 1) {
                return dataset.getDimensions()[0];
            }
            if (child instanceof Group inner) {
                long length = biasLength(inner);
                if (length >= 0) {
                    return length;
                }
            }
        }
        return -1;
    }
}
