package org.dl4jlabs.lstm;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each class shows the statistical signature its generating equation gives it. */
class ControlChartGeneratorTest {

    private static final int DRAWS = 200;
    private final ControlChartGenerator generator = new ControlChartGenerator(11);

    @Test
    void generatesAnyNumberPerClassInClassOrderAndRepeatsWithItsSeed() {
        List<LabelledSeries> series = new ControlChartGenerator(5).generate(4, 60);
        assertEquals(24, series.size());
        for (int i = 0; i < series.size(); i++) {
            assertEquals(i / 4, series.get(i).label());
            assertEquals(60, series.get(i).values().length);
        }
        assertArrayEquals(series.get(9).values(), new ControlChartGenerator(5).generate(4, 60).get(9).values());
    }

    @Test
    void normalSeriesStayWithinMeanPlusOrMinusSixWithNoTrend() {
        for (int i = 0; i < DRAWS; i++) {
            double[] values = generator.draw(ControlChart.NORMAL, 60);
            assertTrue(Arrays.stream(values).allMatch(v -> v >= 24 && v <= 36));
            assertTrue(Math.abs(slope(values)) < 0.12, "slope " + slope(values));
        }
    }

    @Test
    void trendsRiseOrFallWithAGradientBetweenPointTwoAndPointFive() {
        for (int i = 0; i < DRAWS; i++) {
            double up = slope(generator.draw(ControlChart.INCREASING_TREND, 60));
            double down = slope(generator.draw(ControlChart.DECREASING_TREND, 60));
            assertTrue(up > 0.1 && up < 0.6, "increasing slope " + up);
            assertTrue(down < -0.1 && down > -0.6, "decreasing slope " + down);
        }
    }

    @Test
    void shiftsStepUpOrDownInTheMiddleThird() {
        for (int i = 0; i < DRAWS; i++) {
            double[] up = generator.draw(ControlChart.UPWARD_SHIFT, 60);
            double[] down = generator.draw(ControlChart.DOWNWARD_SHIFT, 60);
            // The first and last 20 steps lie wholly before and after any shift, which starts in [20, 40]. The
            // shift is 7.5 to 20; the two means of 20 noisy steps move the measured step by up to about 3.
            double upStep = mean(up, 40, 60) - mean(up, 0, 20);
            double downStep = mean(down, 40, 60) - mean(down, 0, 20);
            assertTrue(upStep > 4.5 && upStep < 23, "upward step " + upStep);
            assertTrue(downStep < -4.5 && downStep > -23, "downward step " + downStep);
        }
    }

    @Test
    void cyclesRepeatWithAPeriodOfTenToFifteenSteps() {
        int inRange = 0;
        for (int i = 0; i < DRAWS; i++) {
            int period = strongestPeriod(generator.draw(ControlChart.CYCLIC, 60));
            if (period >= 10 && period <= 15) {
                inRange++;
            }
        }
        // Noise of up to +/-6 on an amplitude of 10 to 15 can move the peak by a step now and then.
        assertTrue(inRange >= DRAWS * 0.95, inRange + " of " + DRAWS);
    }

    /** Least-squares slope of the values against their step. */
    static double slope(double[] values) {
        double meanT = (values.length - 1) / 2.0;
        double meanY = mean(values, 0, values.length);
        double covariance = 0;
        double variance = 0;
        for (int t = 0; t < values.length; t++) {
            covariance += (t - meanT) * (values[t] - meanY);
            variance += (t - meanT) * (t - meanT);
        }
        return covariance / variance;
    }

    private static double mean(double[] values, int from, int to) {
        return Arrays.stream(values, from, to).average().orElseThrow();
    }

    /** The lag in [5, 17] with the highest autocorrelation: above half and below twice any period drawn. */
    private static int strongestPeriod(double[] values) {
        double mean = mean(values, 0, values.length);
        int best = 0;
        double bestCorrelation = Double.NEGATIVE_INFINITY;
        for (int lag = 5; lag <= 17; lag++) {
            double sum = 0;
            for (int t = 0; t + lag < values.length; t++) {
                sum += (values[t] - mean) * (values[t + lag] - mean);
            }
            double correlation = sum / (values.length - lag);
            if (correlation > bestCorrelation) {
                bestCorrelation = correlation;
                best = lag;
            }
        }
        return best;
    }
}
