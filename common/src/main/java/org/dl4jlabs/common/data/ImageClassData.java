package org.dl4jlabs.common.data;

import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.mnist.IdxImages;
import org.dl4jlabs.common.data.mnist.IdxPair;
import org.dl4jlabs.common.data.mnist.IdxRecordReader;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;

/**
 * An image classification data set loaded into memory, ready to train on.
 *
 * @param name       the data actually used, e.g. "mnist" or "generated-digits"; reports show it
 * @param source     where it came from, for people: usually the directory it was read from
 * @param train      features {@code [N, height*width*channels]} as floats 0..1, labels one-hot {@code [N, classes]}
 * @param test       held-out examples, same layout as {@code train}
 * @param classNames name of class {@code i} at index {@code i}
 * @param height     image rows
 * @param width      image columns
 * @param channels   1 for grayscale
 */
public record ImageClassData(String name, String source, DataSet train, DataSet test, List<String> classNames,
                             int height, int width, int channels) {

    public ImageClassData {
        classNames = List.copyOf(classNames);
    }

    public int numClasses() {
        return classNames.size();
    }

    /**
     * Loads train and test splits of grayscale IDX files through {@link IdxRecordReader} and DataVec's
     * {@link RecordReaderDataSetIterator}, as any DataVec pipeline would.
     */
    public static ImageClassData loadIdx(String name, String source, IdxPair train, IdxPair test,
                                         List<String> classNames) {
        IdxRecordReader trainReader = open(train, classNames);
        IdxRecordReader testReader = open(test, classNames);
        IdxImages trainImages = trainReader.images();
        IdxImages testImages = testReader.images();
        if (trainImages.height() != testImages.height() || trainImages.width() != testImages.width()) {
            throw new LabsException("The training images (" + train.images() + ") are " + trainImages.height() + "x"
                    + trainImages.width() + " pixels but the test images (" + test.images() + ") are "
                    + testImages.height() + "x" + testImages.width() + "; both splits must have the same size.");
        }
        return new ImageClassData(name, source, readAll(trainReader, train), readAll(testReader, test), classNames,
                trainImages.height(), trainImages.width(), 1);
    }

    private static IdxRecordReader open(IdxPair split, List<String> classNames) {
        IdxRecordReader reader = new IdxRecordReader(classNames);
        reader.initialize(split.images(), split.labels());
        return reader;
    }

    private static DataSet readAll(IdxRecordReader reader, IdxPair split) {
        int count = reader.images().count();
        if (count == 0) {
            throw new LabsException(split.images() + " holds no images; a data set needs at least one example.");
        }
        // One batch holding everything: the data set is meant to live in memory as a whole.
        var iterator = new RecordReaderDataSetIterator(reader, count, 1, reader.getLabels().size());
        return iterator.next();
    }
}
