package org.dl4jlabs.autoencoder;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.backend.NativeFloats;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Corrupts image inputs whose pixels lie in 0..1, e.g. to train a denoising autoencoder or to
 * test how robust a classifier is. As a {@link DataSetPreProcessor} it replaces a batch's features
 * with a corrupted copy and leaves the labels alone; each call draws new noise, so a model fed
 * through {@code ShuffledBatches} sees fresh corruption every epoch. The draws come from its own
 * seeded generator, so a run repeats exactly: each call splits it into {@value #PARTS} generators,
 * one per part of the pixels, and the parts are corrupted in parallel (on one thread, drawing a
 * Gaussian per pixel was a large share of the dense autoencoder's training step; see
 * docs/PERFORMANCE.md); the same parts and generators on any number of cores.
 */
public final class Noise implements DataSetPreProcessor {

    /** How pixels are corrupted, and what the level means for each. */
    public enum Kind {
        /** Adds normal noise of standard deviation {@code level}, then clips to 0..1. */
        GAUSSIAN("standard deviation", 1.0),
        /** Sets a fraction {@code level} of the pixels to black or white, half and half. */
        SALTPEPPER("fraction of pixels", 1.0),
        /** Sets a fraction {@code level} of the pixels to black (zero), as if erased. */
        MASK("fraction of pixels", 1.0);

        private final String levelMeaning;
        private final double maxLevel;

        Kind(String levelMeaning, double maxLevel) {
            this.levelMeaning = levelMeaning;
            this.maxLevel = maxLevel;
        }

        public double maxLevel() {
            return maxLevel;
        }

        public String lowerName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final int PARTS = 8;
    private static final int ONE_BITS = Float.floatToRawIntBits(1f);

    private final Kind kind;
    private final double level;
    private final SplittableRandom random;

    /** @throws LabsException when {@code level} is outside {@code [0, kind.maxLevel()]} */
    public Noise(Kind kind, double level, long seed) {
        validate(kind, level);
        this.kind = kind;
        this.level = level;
        this.random = new SplittableRandom(seed);
    }

    /** Rejects a level the kind cannot use, naming the option a student typed. */
    public static void validate(Kind kind, double level) {
        if (!(level >= 0 && level <= kind.maxLevel())) {
            throw new LabsException("--noise-level for " + kind.lowerName() + " noise is a " + kind.levelMeaning
                    + " between 0 and " + kind.maxLevel() + ", not " + level);
        }
    }

    public Kind kind() {
        return kind;
    }

    public double level() {
        return level;
    }

    /** A corrupted copy of {@code clean} (examples along the first dimension); {@code clean} is not changed. */
    public INDArray corrupt(INDArray clean) {
        // Bulk copies straight from and to the arrays' memory: ND4J's dup and asFloat and a new array
        // from a Java one cost more than the noise itself.
        float[] values = NativeFloats.toArray(clean);
        SplittableRandom[] generators = new SplittableRandom[PARTS];
        for (int part = 0; part < PARTS; part++) {
            generators[part] = random.split();
        }
        IntStream.range(0, PARTS).parallel().forEach(part -> corruptPart(values,
                (int) ((long) values.length * part / PARTS), (int) ((long) values.length * (part + 1) / PARTS),
                generators[part]));
        return NativeFloats.fromArray(values, clean.shape(), clean.dataType());
    }

    private void corruptPart(float[] values, int from, int to, SplittableRandom generator) {
        switch (kind) {
            case GAUSSIAN -> {
                for (int i = from; i < to; i++) {
                    values[i] = clippedToUnit((float) (values[i] + level * generator.nextGaussian()));
                }
            }
            case SALTPEPPER -> {
                for (int i = from; i < to; i++) {
                    if (generator.nextDouble() < level) {
                        values[i] = generator.nextBoolean() ? 1f : 0f;
                    }
                }
            }
            case MASK -> {
                for (int i = from; i < to; i++) {
                    if (generator.nextDouble() < level) {
                        values[i] = 0f;
                    }
                }
            }
        }
    }

    /**
     * {@code value} clipped to 0..1 without a branch: most MNIST pixels are 0, so whether the noise
     * took one below 0 is a coin toss, and the mispredicted branches of {@code Math.max} and
     * {@code Math.min} cost more than the Gaussian draw. Non-negative floats order as their bits
     * do; a negative one (its sign bit set, -0 included) becomes +0.
     */
    static float clippedToUnit(float value) {
        int bits = Float.floatToRawIntBits(value);
        return Float.intBitsToFloat(Math.min(bits & ~(bits >> 31), ONE_BITS));
    }

    @Override
    public void preProcess(org.nd4j.linalg.dataset.api.DataSet batch) {
        batch.setFeatures(corrupt(batch.getFeatures()));
    }

    @Override
    public String toString() {
        return kind.lowerName() + " " + level;
    }
}
