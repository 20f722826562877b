package org.dl4jlabs.lstm;

import org.dl4jlabs.common.LabsException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CharacterTextTest {

    /** 66,000 characters drawn from 30,000 CJK ideographs, as the adversarial run's file. */
    private static String cjk() {
        Random random = new Random(7);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 66_000; i++) {
            text.appendCodePoint(0x4E00 + random.nextInt(30_000));
        }
        return text.toString();
    }

    @Test
    void aHugeAlphabetIsBoundedWithTheRareCharactersReadAsOneSymbol() {
        CharacterText text = CharacterText.of(cjk());

        assertEquals(CharacterText.MAX_VOCABULARY, text.vocabulary().size());
        assertTrue(text.vocabulary().contains(CharacterText.UNKNOWN));
        int unknown = text.vocabulary().indexOf(CharacterText.UNKNOWN);
        int[] indexes = text.indexes();
        assertEquals(66_000, indexes.length);
        assertTrue(java.util.Arrays.stream(indexes).filter(i -> i == unknown).count() > 60_000,
                "most of the ideographs are rare");
        DataSet sequences = text.sequences(50);
        assertEquals(CharacterText.MAX_VOCABULARY, sequences.getFeatures().size(1));
    }

    @Test
    void aSmallAlphabetIsKeptWholeAndUnseenCharactersAreNamed() {
        CharacterText text = CharacterText.of("to be or not to be");
        assertEquals(7, text.vocabulary().size());
        LabsException e = assertThrows(LabsException.class, () -> CharacterText.encode("be quick", text.vocabulary()));
        assertTrue(e.getMessage().contains("[c, i, k, q, u]"), e.getMessage());
    }

    @Test
    void sequencesThatWouldNotFitInMemoryAreRefusedWithTheFigure() {
        StringBuilder large = new StringBuilder();
        Random random = new Random(3);
        for (int i = 0; i < 2_500_001; i++) {
            large.appendCodePoint(0x100 + random.nextInt(300));
        }
        CharacterText text = CharacterText.of(large.toString());
        LabsException e = assertThrows(LabsException.class, () -> text.sequences(100));
        assertTrue(e.getMessage().contains("would take 5.1 GB (25,000 sequences of 100 steps over 256 characters"),
                e.getMessage());
    }
}
