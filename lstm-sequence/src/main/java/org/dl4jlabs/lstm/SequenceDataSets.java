package org.dl4jlabs.lstm;

import org.datavec.api.records.reader.SequenceRecordReader;
import org.datavec.api.records.reader.impl.collection.CollectionSequenceRecordReader;
import org.datavec.api.writable.DoubleWritable;
import org.datavec.api.writable.IntWritable;
import org.datavec.api.writable.Writable;
import org.deeplearning4j.datasets.datavec.SequenceRecordReaderDataSetIterator;
import org.deeplearning4j.datasets.datavec.SequenceRecordReaderDataSetIterator.AlignmentMode;
import org.dl4jlabs.common.LabsException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Turns labelled series into the arrays an LSTM classifier trains on, through DataVec's sequence
 * tooling: features {@code [series, 1, steps]}, one-hot labels {@code [series, classes]}.
 *
 * <p>Series of different lengths are padded at the end to the longest one, and a feature mask marks
 * the padding, so that the LSTM skips it and the classifier reads its answer at each series' own
 * last step.
 */
public final class SequenceDataSets {

    /** A stratified split: each class is divided between train and test in the same proportion. */
    public record Split(List<LabelledSeries> train, List<LabelledSeries> test) {
    }

    private SequenceDataSets() {
    }

    public static DataSet toDataSet(List<LabelledSeries> series, int classes) {
        List<List<List<Writable>>> features = new ArrayList<>(series.size());
        List<List<List<Writable>>> labels = new ArrayList<>(series.size());
        for (LabelledSeries s : series) {
            List<List<Writable>> steps = new ArrayList<>(s.values().length);
            for (double value : s.values()) {
                steps.add(List.of(new DoubleWritable(value)));
            }
            features.add(steps);
            labels.add(List.of(List.of(new IntWritable(s.label()))));
        }
        SequenceRecordReader featureReader = new CollectionSequenceRecordReader(features);
        SequenceRecordReader labelReader = new CollectionSequenceRecordReader(labels);
        var iterator = new SequenceRecordReaderDataSetIterator(featureReader, labelReader, series.size(), classes,
                false, AlignmentMode.ALIGN_END);
        DataSet aligned = iterator.next();
        return new DataSet(aligned.getFeatures(), oneLabelPerSeries(aligned.getLabels()),
                aligned.getFeaturesMaskArray(), null);
    }

    /** Splits each class's series at random (seeded) so that {@code testFraction} of it, at least one, is test. */
    public static Split stratifiedSplit(List<LabelledSeries> series, double testFraction, long seed) {
        Random random = new Random(seed);
        int classes = series.stream().mapToInt(LabelledSeries::label).max().orElse(-1) + 1;
        List<LabelledSeries> train = new ArrayList<>();
        List<LabelledSeries> test = new ArrayList<>();
        for (int label = 0; label < classes; label++) {
            final int wanted = label;
            List<LabelledSeries> ofClass = new ArrayList<>(series.stream().filter(s -> s.label() == wanted).toList());
            Collections.shuffle(ofClass, random);
            int testCount = Math.max(1, (int) Math.round(ofClass.size() * testFraction));
            if (testCount >= ofClass.size()) {
                throw new LabsException("class " + label + " has " + ofClass.size()
                        + " series: too few to split into train and test (at least 2 per class)");
            }
            test.addAll(ofClass.subList(0, testCount));
            train.addAll(ofClass.subList(testCount, ofClass.size()));
        }
        return new Split(train, test);
    }

    /**
     * ALIGN_END puts each series' single label at that series' last step and zeros elsewhere, so the
     * sum over time is the one-hot label.
     */
    private static INDArray oneLabelPerSeries(INDArray labels) {
        return labels.sum(2);
    }
}
