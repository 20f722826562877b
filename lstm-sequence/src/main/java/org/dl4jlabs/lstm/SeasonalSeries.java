package org.dl4jlabs.lstm;

import java.util.Random;

/**
 * A series to forecast: a slow trend, a short and a long seasonality, and Gaussian noise,
 * {@code y(t) = 0.02 t + 5 sin(2 pi t / 12) + 2 sin(2 pi t / 50) + e(t)}, e ~ N(0, 0.5^2).
 */
public final class SeasonalSeries {

    public static final int SHORT_PERIOD = 12;
    static final int LONG_PERIOD = 50;
    public static final int LENGTH = 800;

    private SeasonalSeries() {
    }

    public static double[] generate(int length, long seed) {
        Random random = new Random(seed);
        double[] values = new double[length];
        for (int t = 0; t < length; t++) {
            values[t] = 0.02 * t + 5 * Math.sin(2 * Math.PI * t / SHORT_PERIOD)
                    + 2 * Math.sin(2 * Math.PI * t / LONG_PERIOD) + 0.5 * random.nextGaussian();
        }
        return values;
    }
}
