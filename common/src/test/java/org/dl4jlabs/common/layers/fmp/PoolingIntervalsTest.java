package org.dl4jlabs.common.layers.fmp;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties of the region sequences, over many sizes and draws. */
class PoolingIntervalsTest {

    private static final int DRAWS = 50;

    @Test
    void outputSizeRoundsAsInGrahamsMnistNetwork() {
        FractionalMaxPooling2D fmp = new FractionalMaxPooling2D.Builder().build();
        int[][] inputToOutput = {{35, 25}, {24, 17}, {16, 11}, {10, 7}, {6, 4}, {3, 2}, {2, 1}, {1, 1}};
        for (int[] pair : inputToOutput) {
            assertEquals(pair[1], fmp.outputHeight(pair[0]), "height " + pair[0]);
            assertEquals(pair[1], fmp.outputWidth(pair[0]), "width " + pair[0]);
        }
    }

    @Test
    void explicitOutputSizeAndSeparateRatiosPerDimension() {
        FractionalMaxPooling2D sized = new FractionalMaxPooling2D.Builder().outputSize(24, 20).build();
        assertEquals(24, sized.outputHeight(35));
        assertEquals(20, sized.outputWidth(35));
        assertThrows(IllegalArgumentException.class, () -> sized.outputHeight(23));

        FractionalMaxPooling2D ratios = new FractionalMaxPooling2D.Builder().ratio(1.25, 2).build();
        assertEquals(Math.round(35 / 1.25), ratios.outputHeight(35));
        assertEquals(18, ratios.outputWidth(35));

        assertThrows(IllegalArgumentException.class, () -> new FractionalMaxPooling2D.Builder().ratio(0.9));
        assertThrows(IllegalArgumentException.class, () -> new FractionalMaxPooling2D.Builder().ratio(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new FractionalMaxPooling2D.Builder().outputSize(0));
    }

    @Test
    void pseudoRandomSequencesHaveTheDocumentedProperties() {
        Random random = new Random(1);
        forAllSizes((in, out) -> {
            for (int d = 0; d < DRAWS; d++) {
                for (boolean overlapping : new boolean[] {false, true}) {
                    assertProperties(PoolingIntervals.pseudoRandom(in, out, random.nextDouble(), overlapping));
                }
            }
            return null;
        });
    }

    @Test
    void randomSequencesHaveTheDocumentedProperties() {
        Random random = new Random(2);
        forAllSizes((in, out) -> {
            for (int d = 0; d < DRAWS; d++) {
                double[] uniforms = random.doubles(PoolingIntervals.uniformsForRandom(out) + 3).toArray();
                for (boolean overlapping : new boolean[] {false, true}) {
                    assertProperties(PoolingIntervals.random(in, out, uniforms, 3, overlapping));
                }
            }
            return null;
        });
    }

    @Test
    void pseudoRandomIsGrahamsFormulaShiftedToStartAtZero() {
        Random random = new Random(3);
        forAllSizes((in, out) -> {
            double alpha = (double) in / out;
            double u = random.nextDouble();
            int[] a = PoolingIntervals.pseudoRandom(in, out, u, false).boundaries();
            for (int i = 0; i <= out; i++) {
                double exact = Math.ceil(alpha * (i + u)) - Math.ceil(alpha * u);
                // Floating point may land on the other side of an integer only when alpha (i + u) is one.
                if (Math.abs(alpha * (i + u) - Math.rint(alpha * (i + u))) > 1e-9
                        && Math.abs(alpha * u - Math.rint(alpha * u)) > 1e-9) {
                    assertEquals(exact, a[i], 0, "i=" + i + " in=" + in + " out=" + out + " u=" + u);
                }
            }
            return null;
        });
    }

    @Test
    void randomSequencesReachEveryArrangement() {
        // 5 -> 3 takes two long steps (2) and one short one (1), which a random sequence puts anywhere.
        Set<List<Integer>> seen = new HashSet<>();
        Random random = new Random(4);
        for (int d = 0; d < 200; d++) {
            int[] a = PoolingIntervals.random(5, 3, random.doubles(2).toArray(), 0, false).boundaries();
            seen.add(List.of(a[0], a[1], a[2], a[3]));
        }
        assertEquals(Set.of(List.of(0, 2, 4, 5), List.of(0, 2, 3, 5), List.of(0, 1, 3, 5)), seen);
    }

    @Test
    void pseudoRandomSequencesSpreadTheLongStepsEvenly() {
        // Any k consecutive steps span floor(k alpha) or ceil(k alpha): no clusters of long or short steps.
        Random random = new Random(5);
        forAllSizes((in, out) -> {
            int[] a = PoolingIntervals.pseudoRandom(in, out, random.nextDouble(), false).boundaries();
            for (int k = 1; k <= out; k++) {
                long low = (long) k * in / out;
                long high = ((long) k * in + out - 1) / out;
                for (int i = 0; i + k <= out; i++) {
                    int span = a[i + k] - a[i];
                    assertTrue(span == low || span == high, "steps " + i + ".." + (i + k) + " of "
                            + Arrays.toString(a));
                }
            }
            return null;
        });
    }

    @Test
    void evenlySpreadIsTheSameEveryTime() {
        assertArrayEquals(PoolingIntervals.evenlySpread(35, 25, true).boundaries(),
                PoolingIntervals.evenlySpread(35, 25, true).boundaries());
        assertArrayEquals(new int[] {0, 2, 3, 4, 6, 7, 9, 10}, PoolingIntervals.evenlySpread(10, 7, false).boundaries());
    }

    @Test
    void intervalsAreBoundaryIntervalsOneLongerWhenOverlapping() {
        PoolingIntervals disjoint = PoolingIntervals.pseudoRandom(10, 7, 0.5, false);
        PoolingIntervals overlapping = PoolingIntervals.pseudoRandom(10, 7, 0.5, true);
        int[] a = disjoint.boundaries();
        for (int i = 0; i < 7; i++) {
            assertEquals(a[i], disjoint.start(i));
            assertEquals(a[i + 1], disjoint.end(i));
            assertEquals(a[i], overlapping.start(i));
            assertEquals(Math.min(a[i + 1] + 1, 10), overlapping.end(i));
        }
    }

    /** Every input size up to 40 and every output size from ratio 1 up to ratio 4. */
    private static void forAllSizes(BiFunction<Integer, Integer, Void> check) {
        for (int in = 1; in <= 40; in++) {
            for (int out = Math.max(1, in / 4); out <= in; out++) {
                check.apply(in, out);
            }
        }
    }

    private static void assertProperties(PoolingIntervals intervals) {
        int in = intervals.inputSize();
        int out = intervals.count();
        int[] a = intervals.boundaries();
        String context = intervals + " for " + in + " -> " + out;
        assertEquals(out + 1, a.length, context);
        assertEquals(0, a[0], context);
        assertEquals(in, a[out], context);
        int shortStep = in / out;
        int longStep = (in + out - 1) / out;
        int longSteps = 0;
        for (int i = 0; i < out; i++) {
            int step = a[i + 1] - a[i];
            assertTrue(step == shortStep || step == longStep, "step " + step + " in " + context);
            longSteps += step == longStep && longStep != shortStep ? 1 : 0;
        }
        assertEquals(longStep == shortStep ? 0 : in % out, longSteps, context);

        int[] coverage = new int[in];
        for (int i = 0; i < out; i++) {
            assertTrue(intervals.start(i) < intervals.end(i), "empty interval " + i + " in " + context);
            for (int x = intervals.start(i); x < intervals.end(i); x++) {
                coverage[x]++;
            }
        }
        for (int x = 0; x < in; x++) {
            assertTrue(coverage[x] >= 1, "cell " + x + " uncovered in " + context);
            if (!intervals.overlapping()) {
                assertEquals(1, coverage[x], "disjoint intervals overlap at " + x + " in " + context);
            }
        }
    }
}
