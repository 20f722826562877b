package org.dl4jlabs.autoencoder;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.train.ShuffledBatches;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NoiseTest {

    /** 200 images of 784 mid-gray pixels: far enough from 0 and 1 that small noise is rarely clipped. */
    private static INDArray gray() {
        return Nd4j.valueArrayOf(new long[]{200, 784}, 0.5f, DataType.FLOAT);
    }

    @Test
    void gaussianNoiseHasTheRequestedStandardDeviationAndNoBias() {
        INDArray clean = gray();
        INDArray difference = new Noise(Noise.Kind.GAUSSIAN, 0.1, 1).corrupt(clean).sub(clean);
        assertEquals(0, difference.meanNumber().doubleValue(), 0.002);
        assertEquals(0.1, difference.stdNumber().doubleValue(), 0.002);
    }

    @Test
    void gaussianNoiseIsClippedToPixelRange() {
        INDArray noisy = new Noise(Noise.Kind.GAUSSIAN, 1.0, 1).corrupt(gray());
        assertEquals(0, noisy.minNumber().doubleValue());
        assertEquals(1, noisy.maxNumber().doubleValue());
    }

    @Test
    void saltAndPepperTurnsTheRequestedFractionBlackOrWhiteHalfAndHalf() {
        float[] noisy = new Noise(Noise.Kind.SALTPEPPER, 0.2, 2).corrupt(gray()).data().asFloat();
        int black = 0;
        int white = 0;
        for (float pixel : noisy) {
            black += pixel == 0 ? 1 : 0;
            white += pixel == 1 ? 1 : 0;
            assertTrue(pixel == 0 || pixel == 1 || pixel == 0.5f, "only salt, pepper or the clean value: " + pixel);
        }
        assertEquals(0.2, (black + white) / (double) noisy.length, 0.005);
        assertEquals(0.5, black / (double) (black + white), 0.02);
    }

    @Test
    void maskBlanksTheRequestedFraction() {
        float[] noisy = new Noise(Noise.Kind.MASK, 0.35, 3).corrupt(gray()).data().asFloat();
        int blank = 0;
        for (float pixel : noisy) {
            blank += pixel == 0 ? 1 : 0;
        }
        assertEquals(0.35, blank / (double) noisy.length, 0.005);
    }

    @Test
    void asPreProcessorItCorruptsACopyOfTheFeaturesOnlyAndFreshlyEachTime() {
        INDArray clean = gray();
        INDArray target = clean.dup();
        DataSet batch = new DataSet(clean, target);
        Noise noise = new Noise(Noise.Kind.GAUSSIAN, 0.2, 4);

        noise.preProcess(batch);
        INDArray first = batch.getFeatures();
        assertEquals(gray(), clean, "the original features are not changed");
        assertEquals(gray(), batch.getLabels(), "the clean target is untouched");
        assertNotEquals(clean, first);

        noise.preProcess(new DataSet(clean, target));
        DataSet again = new DataSet(clean, target);
        noise.preProcess(again);
        assertNotEquals(first, again.getFeatures(), "new noise on every call");
    }

    @Test
    void shuffledBatchesSeeFreshNoiseEveryEpoch() {
        INDArray clean = gray();
        ShuffledBatches batches = new ShuffledBatches(new DataSet(clean, clean), 500, 1);
        batches.setPreProcessor(new Noise(Noise.Kind.MASK, 0.3, 6));
        INDArray firstEpoch = batches.next().getFeatures().dup(); // a batch lives until the next is asked for
        batches.reset();
        DataSet secondEpoch = batches.next();
        // Every clean row is the same, so any difference between the epochs is the noise.
        assertNotEquals(firstEpoch, secondEpoch.getFeatures());
        assertEquals(clean, secondEpoch.getLabels());
        assertEquals(gray(), clean);
    }

    @Test
    void theSameSeedGivesTheSameNoise() {
        assertEquals(new Noise(Noise.Kind.MASK, 0.5, 9).corrupt(gray()),
                new Noise(Noise.Kind.MASK, 0.5, 9).corrupt(gray()));
    }

    @Test
    void theNoiseIsTheSameOnOneThreadAsOnSeveralAndDiffersBetweenParts() throws Exception {
        INDArray onSeveral = new Noise(Noise.Kind.GAUSSIAN, 0.2, 9).corrupt(gray());
        ForkJoinPool oneThread = new ForkJoinPool(1);
        try {
            assertEquals(onSeveral, oneThread.submit(() -> new Noise(Noise.Kind.GAUSSIAN, 0.2, 9).corrupt(gray())).get());
        } finally {
            oneThread.shutdown();
        }
        int part = (int) (onSeveral.length() / Noise.PARTS);
        INDArray flat = onSeveral.reshape(onSeveral.length());
        assertNotEquals(flat.get(NDArrayIndex.interval(0, part)), flat.get(NDArrayIndex.interval(part, 2 * part)));
    }

    @Test
    void theBranchFreeClipOfTheFloatIsTheFloatOfMathsClipBitForBit() {
        double[] edges = {-Double.MAX_VALUE, -1.5, -1, -Double.MIN_VALUE, -0.0, 0.0, Double.MIN_VALUE, 1e-50, 0.3,
                Math.nextDown(1.0), 1 - 1e-9, 1, Math.nextUp(1.0), 1 + 1e-9, 2, Double.MAX_VALUE,
                Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
        SplittableRandom random = new SplittableRandom(11);
        double[] values = new double[edges.length + 100_000];
        System.arraycopy(edges, 0, values, 0, edges.length);
        for (int i = edges.length; i < values.length; i++) {
            values[i] = random.nextDouble() * 3 - 1;
        }
        for (double value : values) {
            float expected = (float) Math.min(1, Math.max(0, value));
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(Noise.clippedToUnit((float) value)),
                    "clip of " + value);
        }
    }

    @Test
    void levelsOutsideTheirRangeAreRefused() {
        for (double bad : new double[]{-0.1, 1.5, Double.NaN}) {
            LabsException e = assertThrows(LabsException.class, () -> new Noise(Noise.Kind.SALTPEPPER, bad, 1));
            assertTrue(e.getMessage().contains("--noise-level for saltpepper noise is a fraction of pixels between 0"
                    + " and 1.0"), e.getMessage());
        }
        assertThrows(LabsException.class, () -> Noise.validate(Noise.Kind.GAUSSIAN, 2));
    }
}
