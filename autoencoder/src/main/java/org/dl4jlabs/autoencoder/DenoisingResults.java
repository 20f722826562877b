package org.dl4jlabs.autoencoder;

import org.dl4jlabs.common.train.Network;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * What a denoiser achieves on a test set: the error of the noisy inputs (the baseline) and of the
 * network's outputs against the clean images, at the trained noise level and around it, and each
 * test image's reconstruction error as an anomaly score.
 *
 * @param kind          the kind of noise the model was trained on
 * @param trainedLevel  the level the model was trained at, which decides the verdict
 * @param rows          one per noise level, lowest first
 * @param anomalyScores the mean squared error of each clean test image's reconstruction
 * @param clean         the clean test images
 * @param noisy         the test images corrupted at the trained level
 * @param denoised      the network's output for {@code noisy}
 * @param reconstructed the network's output for {@code clean}, whose error is the anomaly score
 */
public record DenoisingResults(Noise.Kind kind, double trainedLevel, List<QualityRow> rows, double[] anomalyScores,
                               INDArray clean, INDArray noisy, INDArray denoised, INDArray reconstructed) {

    /** A denoiser must gain at least this much PSNR over its noisy input, at its trained level, to pass. */
    public static final double PASS_MARGIN_DB = 1.0;

    /** Examples per forward pass, to bound memory. */
    private static final int BATCH = 512;

    /**
     * Errors at one noise level; names become the report.json table's columns.
     *
     * @param noise         the kind of noise, e.g. "gaussian"
     * @param level         the noise level
     * @param trained       whether the model was trained at this level
     * @param mseNoisy      mean squared error of the noisy images (the baseline)
     * @param psnrNoisy     PSNR of the noisy images, dB
     * @param mseDenoised   mean squared error of the network's outputs
     * @param psnrDenoised  PSNR of the network's outputs, dB
     * @param gainDb        {@code psnrDenoised - psnrNoisy}
     */
    public record QualityRow(String noise, double level, boolean trained, double mseNoisy, double psnrNoisy,
                             double mseDenoised, double psnrDenoised, double gainDb) {
    }

    /**
     * Measures {@code net} on {@code clean} test images. The noise of each level comes from
     * {@code seed}, so the same model and seed always see the same noisy images.
     */
    public static DenoisingResults measure(Network net, INDArray clean, Noise.Kind kind, double trainedLevel,
                                           long seed) {
        List<QualityRow> rows = new ArrayList<>();
        INDArray trainedNoisy = null;
        INDArray trainedDenoised = null;
        for (double level : levelsAround(kind, trainedLevel)) {
            INDArray noisy = new Noise(kind, level, seed).corrupt(clean);
            INDArray denoised = output(net, noisy);
            double mseNoisy = ImageQuality.mse(noisy, clean);
            double mseDenoised = ImageQuality.mse(denoised, clean);
            boolean trained = level == trainedLevel;
            rows.add(new QualityRow(kind.lowerName(), level, trained, mseNoisy, ImageQuality.psnr(mseNoisy),
                    mseDenoised, ImageQuality.psnr(mseDenoised),
                    ImageQuality.psnr(mseDenoised) - ImageQuality.psnr(mseNoisy)));
            if (trained) {
                trainedNoisy = noisy;
                trainedDenoised = denoised;
            }
        }
        INDArray reconstructed = output(net, clean);
        return new DenoisingResults(kind, trainedLevel, rows, ImageQuality.perExampleMse(reconstructed, clean), clean,
                trainedNoisy, trainedDenoised, reconstructed);
    }

    /** The trained level, half of it, and twice it; a quarter of it instead when twice is beyond the maximum. */
    static List<Double> levelsAround(Noise.Kind kind, double level) {
        TreeSet<Double> levels = new TreeSet<>(List.of(level / 2, level, Math.min(2 * level, kind.maxLevel())));
        if (levels.size() < 3) {
            levels.add(level / 4);
        }
        return List.copyOf(levels);
    }

    public QualityRow trainedRow() {
        return rows.stream().filter(QualityRow::trained).findFirst().orElseThrow();
    }

    /** True when the denoised images beat the noisy ones by {@link #PASS_MARGIN_DB} at the trained level. */
    public boolean passed() {
        return trainedRow().gainDb() >= PASS_MARGIN_DB;
    }

    /** Indices of test images ordered from the worst reconstructed (most anomalous) to the best. */
    public int[] worstFirst() {
        return IntStream.range(0, anomalyScores.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> anomalyScores[i]).reversed())
                .mapToInt(Integer::intValue).toArray();
    }

    private static INDArray output(Network net, INDArray images) {
        long n = images.size(0);
        List<INDArray> parts = new ArrayList<>();
        for (long start = 0; start < n; start += BATCH) {
            parts.add(net.output(images.get(NDArrayIndex.interval(start, Math.min(n, start + BATCH)),
                    NDArrayIndex.all())));
        }
        return parts.size() == 1 ? parts.get(0) : Nd4j.vstack(parts);
    }
}
