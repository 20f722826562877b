package org.dl4jlabs.common.data.mnist;

import org.datavec.api.records.Record;
import org.datavec.api.split.CollectionInputSplit;
import org.datavec.api.writable.IntWritable;
import org.datavec.api.writable.NDArrayWritable;
import org.datavec.api.writable.Writable;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.dl4jlabs.common.LabsException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxRecordReaderTest {

    private static final int COUNT = 7;
    private static final int HEIGHT = 3;
    private static final int WIDTH = 2;
    private static final byte[] LABELS = {3, 0, 9, 1, 1, 5, 7};

    @TempDir
    Path dir;
    private Path images;
    private Path labels;

    @BeforeEach
    void writeFiles() {
        images = dir.resolve("images.gz");
        labels = dir.resolve("labels");
        Idx.write(images, IdxTest.rampImages(COUNT, HEIGHT, WIDTH));
        Idx.write(labels, new IdxLabels(LABELS));
    }

    private static float expectedPixel(int image, int i) {
        return (((image * HEIGHT * WIDTH + i) * 7) & 0xFF) / 255f;
    }

    @Test
    void recordsAreAScaledRowVectorAndAClassIndex() {
        IdxRecordReader reader = new IdxRecordReader();
        reader.initialize(images, labels);
        for (int image = 0; image < COUNT; image++) {
            assertTrue(reader.hasNext());
            List<Writable> record = reader.next();
            assertEquals(2, record.size());
            INDArray pixels = ((NDArrayWritable) record.get(0)).get();
            assertArrayEquals(new long[] {1, HEIGHT * WIDTH}, pixels.shape());
            assertEquals(DataType.FLOAT, pixels.dataType());
            for (int i = 0; i < HEIGHT * WIDTH; i++) {
                assertEquals(expectedPixel(image, i), pixels.getFloat(0, i), 1e-7);
            }
            assertEquals(LABELS[image], ((IntWritable) record.get(1)).get());
        }
        assertFalse(reader.hasNext());
        reader.reset();
        assertTrue(reader.hasNext());
        assertEquals(IdxRecordReader.DIGITS, reader.getLabels());
    }

    @Test
    void iteratorGivesFeaturesAndOneHotLabelsInBatches() {
        IdxRecordReader reader = new IdxRecordReader();
        reader.initialize(images, labels);
        var iterator = new RecordReaderDataSetIterator(reader, 4, 1, 10);
        DataSet first = iterator.next();
        DataSet second = iterator.next();
        assertFalse(iterator.hasNext());
        assertArrayEquals(new long[] {4, HEIGHT * WIDTH}, first.getFeatures().shape());
        assertArrayEquals(new long[] {3, 10}, second.getLabels().shape());
        assertEquals(expectedPixel(5, 4), second.getFeatures().getFloat(1, 4), 1e-7);
        for (int i = 0; i < COUNT; i++) {
            INDArray oneHot = (i < 4 ? first : second).getLabels().getRow(i % 4);
            assertEquals(1.0, oneHot.sumNumber().doubleValue(), 1e-7);
            assertEquals(LABELS[i], oneHot.argMax().getInt(0));
        }

        iterator.reset();
        assertEquals(first.getFeatures(), iterator.next().getFeatures(), "reset starts over");
    }

    @Test
    void batchesMatchSingleRecords() {
        IdxRecordReader single = new IdxRecordReader();
        single.initialize(images, labels);
        IdxRecordReader batched = new IdxRecordReader();
        batched.initialize(images, labels);
        DataSet one = new RecordReaderDataSetIterator(batched, COUNT, 1, 10).next();
        for (int i = 0; i < COUNT; i++) {
            assertEquals(((NDArrayWritable) single.next().get(0)).get(), one.getFeatures().getRow(i, true));
        }
    }

    @Test
    void aBatchOfManyImagesMatchesSingleRecordsAcrossTheChunksItIsConvertedIn() {
        // 1,000 digits of 28 x 28: the batch is converted a few hundred images at a time.
        Path digits = TestData.writeSmallDigits(dir.resolve("digits"));
        IdxRecordReader single = new IdxRecordReader();
        single.initialize(digits.resolve("train-images-idx3-ubyte"), digits.resolve("train-labels-idx1-ubyte"));
        IdxRecordReader batched = new IdxRecordReader();
        batched.initialize(digits.resolve("train-images-idx3-ubyte"), digits.resolve("train-labels-idx1-ubyte"));
        int count = batched.images().count();
        DataSet all = new RecordReaderDataSetIterator(batched, count, 1, 10).next();
        assertArrayEquals(new long[] {count, 784}, all.getFeatures().shape());
        for (int i = 0; i < count; i++) {
            assertEquals(((NDArrayWritable) single.next().get(0)).get(), all.getFeatures().getRow(i, true), "image " + i);
        }
    }

    @Test
    void splitMayListTheFilesInEitherOrder() {
        IdxRecordReader reader = new IdxRecordReader();
        reader.initialize(new CollectionInputSplit(List.of(labels.toUri(), images.toUri())));
        assertEquals(COUNT, reader.images().count());
        assertEquals(LABELS[0], reader.next().get(1).toInt());
    }

    @Test
    void metadataLoadsTheSameRecordAgain() throws Exception {
        IdxRecordReader reader = new IdxRecordReader();
        reader.initialize(images, labels);
        reader.next();
        Record second = reader.nextRecord();
        Record again = reader.loadFromMetaData(second.getMetaData());
        assertEquals(second.getRecord(), again.getRecord());
        assertEquals(LABELS[1], again.getRecord().get(1).toInt());
    }

    @Test
    void countMismatchNamesBothFiles() {
        Idx.write(labels, new IdxLabels(new byte[] {1, 2, 3}));
        LabsException e = assertThrows(LabsException.class, () -> new IdxRecordReader().initialize(images, labels));
        assertTrue(e.getMessage().contains("holds 7 images"), e.getMessage());
        assertTrue(e.getMessage().contains("holds 3 labels"), e.getMessage());
        assertTrue(e.getMessage().contains(images.toUri().toString()), e.getMessage());
        assertTrue(e.getMessage().contains(labels.toUri().toString()), e.getMessage());
    }

    @Test
    void twoImageFilesAreRejected() {
        LabsException e = assertThrows(LabsException.class, () -> new IdxRecordReader().initialize(images, images));
        assertTrue(e.getMessage().contains("one image file and one label file"), e.getMessage());
    }

    @Test
    void labelOutsideTheClassesIsRejected() {
        IdxRecordReader threeClasses = new IdxRecordReader(List.of("a", "b", "c"));
        LabsException e = assertThrows(LabsException.class, () -> threeClasses.initialize(images, labels));
        assertTrue(e.getMessage().contains("label 3 at position 0"), e.getMessage());
    }
}
