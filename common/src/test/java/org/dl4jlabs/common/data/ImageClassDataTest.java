package org.dl4jlabs.common.data;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.mnist.Idx;
import org.dl4jlabs.common.data.mnist.IdxLabels;
import org.dl4jlabs.common.data.mnist.IdxPair;
import org.dl4jlabs.common.data.mnist.IdxRecordReader;
import org.dl4jlabs.common.data.mnist.IdxTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageClassDataTest {

    @TempDir
    Path dir;

    private IdxPair write(String split, int count, int height, int width) {
        IdxPair pair = new IdxPair(dir.resolve(split + "-images.gz"), dir.resolve(split + "-labels"));
        Idx.write(pair.images(), IdxTest.rampImages(count, height, width));
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) (i % 10);
        }
        Idx.write(pair.labels(), new IdxLabels(labels));
        return pair;
    }

    @Test
    void loadsBothSplitsIntoMemory() {
        ImageClassData data = ImageClassData.loadIdx("tiny", dir.toString(), write("train", 23, 4, 5),
                write("test", 11, 4, 5), IdxRecordReader.DIGITS);
        assertEquals("tiny", data.name());
        assertEquals(dir.toString(), data.source());
        assertEquals(4, data.height());
        assertEquals(5, data.width());
        assertEquals(1, data.channels());
        assertEquals(10, data.numClasses());
        assertArrayEquals(new long[] {23, 20}, data.train().getFeatures().shape());
        assertArrayEquals(new long[] {23, 10}, data.train().getLabels().shape());
        assertArrayEquals(new long[] {11, 20}, data.test().getFeatures().shape());
        assertEquals(DataType.FLOAT, data.train().getFeatures().dataType());
        assertEquals(1.0, data.test().getLabels().getDouble(7, 7));
        assertEquals(7 * 20 * 7 % 256 / 255.0, data.test().getFeatures().getDouble(7, 0), 1e-6);
    }

    @Test
    void splitsOfDifferentImageSizesAreRejected() {
        IdxPair train = write("train", 5, 4, 5);
        IdxPair test = write("test", 5, 5, 4);
        LabsException e = assertThrows(LabsException.class,
                () -> ImageClassData.loadIdx("x", "x", train, test, IdxRecordReader.DIGITS));
        assertTrue(e.getMessage().contains("4x5") && e.getMessage().contains("5x4"), e.getMessage());
    }
}
