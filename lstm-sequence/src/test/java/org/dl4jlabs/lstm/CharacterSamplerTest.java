package org.dl4jlabs.lstm;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CharacterSamplerTest {

    private static final INDArray PROBABILITIES = Nd4j.createFromArray(0.05, 0.15, 0.6, 0.2);

    @Test
    void aTemperatureNearZeroAlwaysPicksTheLikeliest() {
        Random random = new Random(1);
        for (double temperature : new double[]{0.002, 1e-300, Double.MIN_VALUE}) {
            for (int i = 0; i < 50; i++) {
                assertEquals(2, CharacterSampler.draw(PROBABILITIES, temperature, random), "T = " + temperature);
            }
        }
    }

    @Test
    void temperatureOneDrawsInProportionAndAHighOneFlattens() {
        Random random = new Random(2);
        int[] counts = new int[4];
        for (int i = 0; i < 20_000; i++) {
            counts[CharacterSampler.draw(PROBABILITIES, 1.0, random)]++;
        }
        assertEquals(0.6, counts[2] / 20_000.0, 0.02);
        assertEquals(0.05, counts[0] / 20_000.0, 0.01);
        int[] flat = new int[4];
        for (int i = 0; i < 20_000; i++) {
            flat[CharacterSampler.draw(PROBABILITIES, 1e6, random)]++;
        }
        assertTrue(Math.abs(flat[0] / 20_000.0 - 0.25) < 0.02, "T = 1e6 is close to uniform: " + flat[0]);
    }
}
