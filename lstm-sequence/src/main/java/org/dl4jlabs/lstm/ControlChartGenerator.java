package org.dl4jlabs.lstm;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Draws control chart series with the generating equations the data set's authors published
 * (UCI "Synthetic Control Chart Time Series"): every series is {@code m + r * s} plus a pattern term,
 * with mean {@code m = 30}, noise scale {@code s = 2} and {@code r} uniform in [-3, 3] at each step.
 * <ul>
 *   <li>cyclic: {@code + a sin(2 pi t / T)}, amplitude a in [10, 15], period T in [10, 15]</li>
 *   <li>increasing / decreasing trend: {@code +/- g t}, gradient g in [0.2, 0.5]</li>
 *   <li>upward / downward shift: {@code +/- x} from a step t3 in [n/3, 2n/3] on, x in [7.5, 20]</li>
 * </ul>
 */
public final class ControlChartGenerator {

    public static final int LENGTH = 60;
    static final double MEAN = 30;
    static final double NOISE_SCALE = 2;
    static final double NOISE_RANGE = 3;

    private final Random random;

    public ControlChartGenerator(long seed) {
        this.random = new Random(seed);
    }

    /** {@code perClass} series of each class, class by class, each {@code length} steps long. */
    public List<LabelledSeries> generate(int perClass, int length) {
        List<LabelledSeries> series = new ArrayList<>(perClass * ControlChart.values().length);
        for (ControlChart chart : ControlChart.values()) {
            for (int i = 0; i < perClass; i++) {
                series.add(new LabelledSeries(draw(chart, length), chart.ordinal()));
            }
        }
        return series;
    }

    /** One series of the given class. */
    public double[] draw(ControlChart chart, int length) {
        double amplitude = uniform(10, 15);
        double period = uniform(10, 15);
        double gradient = uniform(0.2, 0.5);
        double shift = uniform(7.5, 20);
        int shiftStart = length / 3 + random.nextInt(length / 3 + 1);
        double[] values = new double[length];
        for (int t = 0; t < length; t++) {
            double pattern = switch (chart) {
                case NORMAL -> 0;
                case CYCLIC -> amplitude * Math.sin(2 * Math.PI * t / period);
                case INCREASING_TREND -> gradient * t;
                case DECREASING_TREND -> -gradient * t;
                case UPWARD_SHIFT -> t >= shiftStart ? shift : 0;
                case DOWNWARD_SHIFT -> t >= shiftStart ? -shift : 0;
            };
            values[t] = MEAN + NOISE_SCALE * uniform(-NOISE_RANGE, NOISE_RANGE) + pattern;
        }
        return values;
    }

    private double uniform(double low, double high) {
        return low + (high - low) * random.nextDouble();
    }
}
