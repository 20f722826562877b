package org.dl4jlabs.common.layers;

/**
 * The off switch of the suite's fast paths ({@link FastDense}, {@link FastOutput},
 * {@link FastConvolution2D}, {@link FastBatchNormalization}, {@link FastMaxPooling2D} and
 * {@link org.dl4jlabs.common.train.FastAdam}): with the system property {@value #DISABLE} set to
 * {@code true}, they compute through DL4J's own implementations, as {@code ./labs bench --stock}
 * does to measure DL4J as shipped. Read on every pass, so a test can compare both paths in one JVM.
 */
public final class FastLayers {

    public static final String DISABLE = "dl4jlabs.fast-layers.disable";

    private FastLayers() {
    }

    public static boolean enabled() {
        return !Boolean.getBoolean(DISABLE);
    }
}
