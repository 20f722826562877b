package org.dl4jlabs.common.data;

import org.datavec.api.conf.Configuration;
import org.datavec.api.records.Record;
import org.datavec.api.records.metadata.RecordMetaData;
import org.datavec.api.records.metadata.RecordMetaDataIndex;
import org.datavec.api.records.reader.BaseRecordReader;
import org.datavec.api.split.InputSplit;
import org.datavec.api.writable.IntWritable;
import org.datavec.api.writable.NDArrayWritable;
import org.datavec.api.writable.Writable;
import org.datavec.api.writable.batch.NDArrayRecordBatch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.net.URI;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The part of a DataVec record reader that is the same for every image file format we read whole
 * into memory (IDX, CIFAR binary): records of an {@link NDArrayWritable} holding one image as a
 * float row vector scaled to 0..1, then an {@link IntWritable} class index, which is what
 * {@code RecordReaderDataSetIterator(reader, batchSize, 1, numClasses)} expects. Batches
 * ({@link #next(int)}) are built as whole arrays, not record by record.
 *
 * <p>A subclass parses its files in {@code initialize(InputSplit)}, then calls {@link #rewind()}.
 */
public abstract class InMemoryImageRecordReader extends BaseRecordReader {

    /** Pixels converted per copy into an array's memory (1 MB of floats). */
    private static final int CHUNK_VALUES = 1 << 18;

    private final List<String> classNames;
    private Configuration conf;
    private int cursor;

    protected InMemoryImageRecordReader(List<String> classNames) {
        this.classNames = List.copyOf(classNames);
    }

    /** Images held; 0 before the reader is initialized. */
    protected abstract int imageCount();

    /** Values per image (height x width x channels). */
    protected abstract int pixelsPerImage();

    /** Images {@code first} to {@code first + n - 1}, one after the other, as 0..1 floats. */
    protected abstract float[] scaledPixels(int first, int n);

    /** The class index of image {@code index}. */
    protected abstract int label(int index);

    /** Where the records came from, for their metadata. */
    protected abstract URI location();

    /** Stores {@code split} as DataVec expects and returns the files it names. */
    protected final URI[] locationsOf(InputSplit split) {
        try {
            super.initialize(split);
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException("BaseRecordReader.initialize only stores the split", e);
        }
        return split.locations();
    }

    /** Starts reading from the first record again; call at the end of initialization. */
    protected final void rewind() {
        cursor = 0;
    }

    @Override
    public void initialize(Configuration conf, InputSplit split) {
        setConf(conf);
        try {
            initialize(split);
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException("reading " + split + " failed", e);
        }
    }

    @Override
    public boolean hasNext() {
        return cursor < imageCount();
    }

    @Override
    public List<Writable> next() {
        requireNext();
        List<Writable> record = recordAt(cursor++);
        invokeListeners(record);
        return record;
    }

    protected final List<Writable> recordAt(int index) {
        INDArray pixels = Nd4j.create(scaledPixels(index, 1), new long[]{1, pixelsPerImage()}, DataType.FLOAT);
        return List.of(new NDArrayWritable(pixels), new IntWritable(label(index)));
    }

    @Override
    public boolean batchesSupported() {
        return true;
    }

    /** The next {@code num} records (fewer at the end) as one batch: features {@code [n, pixels]}, classes {@code [n, 1]}. */
    @Override
    public List<List<Writable>> next(int num) {
        requireNext();
        int n = Math.min(num, imageCount() - cursor);
        INDArray features = pixelsOf(cursor, n);
        float[] classes = new float[n];
        for (int i = 0; i < n; i++) {
            classes[i] = label(cursor + i);
        }
        cursor += n;
        return new NDArrayRecordBatch(features, Nd4j.create(classes, new long[]{n, 1}, DataType.FLOAT));
    }

    /**
     * Images {@code first} to {@code first + n - 1} as {@code [n, pixels]}, converted a few hundred
     * at a time straight into the array's memory: building it from one Java array of all of them
     * ({@code Nd4j.create}) held the data twice and took twice as long for MNIST.
     */
    private INDArray pixelsOf(int first, int n) {
        long values = (long) n * pixelsPerImage();
        if (values * Float.BYTES > Integer.MAX_VALUE) {
            return Nd4j.create(scaledPixels(first, n), new long[]{n, pixelsPerImage()}, DataType.FLOAT);
        }
        INDArray features = Nd4j.createUninitialized(DataType.FLOAT, new long[]{n, pixelsPerImage()}, 'c');
        FloatBuffer memory = features.data().asNioFloat();
        int imagesPerChunk = Math.max(1, CHUNK_VALUES / pixelsPerImage());
        for (int done = 0; done < n; done += imagesPerChunk) {
            memory.put(scaledPixels(first + done, Math.min(imagesPerChunk, n - done)));
        }
        return features;
    }

    private void requireNext() {
        if (!hasNext()) {
            throw new NoSuchElementException(imageCount() == 0 ? "no records: call initialize first" : "no more records");
        }
    }

    @Override
    public List<String> getLabels() {
        return classNames;
    }

    @Override
    public void reset() {
        cursor = 0;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public Record nextRecord() {
        int index = cursor;
        return new org.datavec.api.records.impl.Record(next(), new RecordMetaDataIndex(index, location(), getClass()));
    }

    @Override
    public Record loadFromMetaData(RecordMetaData recordMetaData) {
        if (!(recordMetaData instanceof RecordMetaDataIndex meta)) {
            throw new IllegalArgumentException("Expected the metadata of a " + getClass().getSimpleName()
                    + " record, got " + recordMetaData);
        }
        return new org.datavec.api.records.impl.Record(recordAt(Math.toIntExact(meta.getIndex())), meta);
    }

    @Override
    public List<Record> loadFromMetaData(List<RecordMetaData> recordMetaDatas) {
        List<Record> records = new ArrayList<>(recordMetaDatas.size());
        for (RecordMetaData meta : recordMetaDatas) {
            records.add(loadFromMetaData(meta));
        }
        return records;
    }

    @Override
    public void close() {
        // Everything lives in memory; there is nothing to release.
    }

    @Override
    public void setConf(Configuration conf) {
        this.conf = conf;
    }

    @Override
    public Configuration getConf() {
        return conf;
    }
}
