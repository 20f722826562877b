package org.dl4jlabs.common.bench;

/** {@code --model fmp-96}: the third FMP layer of the same network, 96 channels of 16x16. */
public final class Fmp96Bench extends FractionalMaxPoolingBench {
    public Fmp96Bench() {
        super("fmp-96", 64, 96, 16, 16);
    }
}
