package org.dl4jlabs.autoencoder;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DenoisingResultsTest {

    @Test
    void measuresAtTheTrainedLevelAndTwoOthers() {
        assertEquals(List.of(0.15, 0.3, 0.6), DenoisingResults.levelsAround(Noise.Kind.GAUSSIAN, 0.3));
        assertEquals(List.of(0.35, 0.7, 1.0), DenoisingResults.levelsAround(Noise.Kind.MASK, 0.7));
        assertEquals(List.of(0.25, 0.5, 1.0), DenoisingResults.levelsAround(Noise.Kind.SALTPEPPER, 1.0));
    }

    @Test
    void firstOfEachLabelPicksOneImagePerDigitInDigitOrder() {
        assertEquals(List.of(3, 0, 1), toList(DenoisingReport.firstOfEachLabel(new int[]{1, 2, 2, 0, 1})));
    }

    private static List<Integer> toList(int[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
