package org.dl4jlabs.lstm;

import org.dl4jlabs.common.LabsException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StratifiedSplitTest {

    @Test
    void oneSeriesPerClassIsAUserError() {
        List<LabelledSeries> series = List.of(new LabelledSeries(new double[]{1, 2}, 0),
                new LabelledSeries(new double[]{3, 4}, 1));
        LabsException e = assertThrows(LabsException.class, () -> SequenceDataSets.stratifiedSplit(series, 0.2, 1));
        assertTrue(e.getMessage().contains("too few to split"), e.getMessage());
    }
}
