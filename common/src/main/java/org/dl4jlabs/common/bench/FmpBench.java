package org.dl4jlabs.common.bench;

/** {@code --model fmp}: the first FMP layer of Graham's MNIST network, 32 channels of 35x35. */
public final class FmpBench extends FractionalMaxPoolingBench {
    public FmpBench() {
        super("fmp", 64, 32, 35, 35);
    }
}
