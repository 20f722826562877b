package org.dl4jlabs.common.data;

import org.datavec.api.conf.Configuration;
import org.datavec.api.records.Record;
import org.datavec.api.records.metadata.RecordMetaData;
import org.datavec.api.records.metadata.RecordMetaDataIndex;
import org.datavec.api.records.reader.BaseRecordReader;
import org.datavec.api.split.CollectionInputSplit;
import org.datavec.api.split.InputSplit;
import org.datavec.api.writable.IntWritable;
import org.datavec.api.writable.NDArrayWritable;
import org.datavec.api.writable.Writable;
import org.datavec.api.writable.batch.NDArrayRecordBatch;
import org.dl4jlabs.common.LabsException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;

/**
 * A DataVec record reader over a pair of IDX files, one of images and one of labels (MNIST's
 * format). Each record is two writables: an {@link NDArrayWritable} holding the image as a float row
 * vector {@code [1, height*width]} scaled to 0..1, then an {@link IntWritable} with the class index.
 * That is what {@code RecordReaderDataSetIterator(reader, batchSize, 1, numClasses)} expects.
 *
 * <p>Both files are parsed once into byte arrays at {@link #initialize(InputSplit)}; records are made
 * from those on demand. Batches ({@link #next(int)}) are built as whole arrays, not record by
 * record, so all of MNIST loads in about a second.
 */
public class IdxRecordReader extends BaseRecordReader {

    /** The ten digit classes, named "0" to "9". */
    public static final List<String> DIGITS =
            IntStream.range(0, 10).mapToObj(Integer::toString).toList();

    private final List<String> classNames;
    private Configuration conf;
    private IdxImages images;
    private IdxLabels labels;
    private URI imagesUri;
    private int cursor;

    /** A reader for digit data: labels 0 to 9. */
    public IdxRecordReader() {
        this(DIGITS);
    }

    /** A reader whose label {@code i} stands for {@code classNames.get(i)}. */
    public IdxRecordReader(List<String> classNames) {
        this.classNames = List.copyOf(classNames);
    }

    /** Opens an image file and its label file; same as {@link #initialize(InputSplit)} with both. */
    public void initialize(Path imagesFile, Path labelsFile) {
        initialize(new CollectionInputSplit(List.of(imagesFile.toUri(), labelsFile.toUri())));
    }

    /**
     * Opens the two files of {@code split}, in either order: which one holds the images is read from
     * the files themselves.
     */
    @Override
    public void initialize(InputSplit split) {
        try {
            super.initialize(split);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("BaseRecordReader.initialize only stores the split", e);
        }
        URI[] locations = split.locations();
        if (locations.length != 2) {
            throw new LabsException("An IDX data set is one image file plus one label file, but " + locations.length
                    + " files were given: " + Arrays.toString(locations));
        }
        IdxData first = parse(locations[0]);
        IdxData second = parse(locations[1]);
        int imagesAt = first instanceof IdxImages ? 0 : 1;
        if (first.getClass() == second.getClass()) {
            String kind = first instanceof IdxImages ? "images" : "labels";
            throw new LabsException("Both " + locations[0] + " and " + locations[1] + " hold " + kind
                    + "; an IDX data set needs one image file and one label file.");
        }
        images = (IdxImages) (imagesAt == 0 ? first : second);
        labels = (IdxLabels) (imagesAt == 0 ? second : first);
        imagesUri = locations[imagesAt];
        URI labelsUri = locations[1 - imagesAt];
        if (images.count() != labels.count()) {
            throw new LabsException(imagesUri + " holds " + images.count() + " images but " + labelsUri + " holds "
                    + labels.count() + " labels; they must match one to one. Check that the two files belong to"
                    + " the same data set (train with train, test with test).");
        }
        checkLabelRange(labelsUri);
        cursor = 0;
    }

    @Override
    public void initialize(Configuration conf, InputSplit split) {
        setConf(conf);
        initialize(split);
    }

    private IdxData parse(URI location) {
        try (InputStream in = streamCreatorFn.apply(location)) {
            return Idx.parse(in.readAllBytes(), location.toString());
        } catch (IOException e) {
            throw new LabsException("Could not read " + location + ": " + e.getMessage(), e);
        }
    }

    private void checkLabelRange(URI labelsUri) {
        for (int i = 0; i < labels.count(); i++) {
            if (labels.label(i) >= classNames.size()) {
                throw new LabsException(labelsUri + " has label " + labels.label(i) + " at position " + i
                        + ", but this data set has only " + classNames.size() + " classes (0 to "
                        + (classNames.size() - 1) + ").");
            }
        }
    }

    public IdxImages images() {
        return images;
    }

    public IdxLabels labels() {
        return labels;
    }

    @Override
    public boolean hasNext() {
        return images != null && cursor < images.count();
    }

    @Override
    public List<Writable> next() {
        if (!hasNext()) {
            throw new NoSuchElementException(images == null ? "call initialize first" : "no more records");
        }
        List<Writable> record = recordAt(cursor++);
        invokeListeners(record);
        return record;
    }

    private List<Writable> recordAt(int index) {
        INDArray pixels = Nd4j.create(scaledPixels(index, 1), new long[] {1, images.pixelsPerImage()}, DataType.FLOAT);
        return List.of(new NDArrayWritable(pixels), new IntWritable(labels.label(index)));
    }

    /** Images {@code first} to {@code first + count - 1}, one after the other, as 0..1 floats. */
    private float[] scaledPixels(int first, int count) {
        int perImage = images.pixelsPerImage();
        float[] scaled = new float[count * perImage];
        byte[] pixels = images.pixels();
        int offset = first * perImage;
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = (pixels[offset + i] & 0xFF) / 255f;
        }
        return scaled;
    }

    @Override
    public boolean batchesSupported() {
        return true;
    }

    /**
     * The next {@code num} records (fewer at the end) as one batch: features {@code [n, height*width]}
     * and class indices {@code [n, 1]}.
     */
    @Override
    public List<List<Writable>> next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException(images == null ? "call initialize first" : "no more records");
        }
        int n = Math.min(num, images.count() - cursor);
        INDArray features = Nd4j.create(scaledPixels(cursor, n), new long[] {n, images.pixelsPerImage()},
                DataType.FLOAT);
        float[] classes = new float[n];
        for (int i = 0; i < n; i++) {
            classes[i] = labels.label(cursor + i);
        }
        INDArray classColumn = Nd4j.create(classes, new long[] {n, 1}, DataType.FLOAT);
        cursor += n;
        return new NDArrayRecordBatch(features, classColumn);
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
        return new org.datavec.api.records.impl.Record(next(), metaData(index));
    }

    private RecordMetaData metaData(int index) {
        return new RecordMetaDataIndex(index, imagesUri, IdxRecordReader.class);
    }

    @Override
    public Record loadFromMetaData(RecordMetaData recordMetaData) {
        if (!(recordMetaData instanceof RecordMetaDataIndex meta)) {
            throw new IllegalArgumentException("Expected the metadata of an IdxRecordReader record, got "
                    + recordMetaData);
        }
        int index = Math.toIntExact(meta.getIndex());
        return new org.datavec.api.records.impl.Record(recordAt(index), meta);
    }

    @Override
    public List<Record> loadFromMetaData(List<RecordMetaData> recordMetaDatas) {
        List<Record> records = new ArrayList<>(recordMetaDatas.size());
        for (RecordMetaData meta : recordMetaDatas) {
            records.add(loadFromMetaData(meta));
        }
        return records;
    }

    /** Not supported: an IDX record is spread over two files, so one stream cannot hold it. */
    @Override
    public List<Writable> record(URI uri, DataInputStream dataInputStream) {
        throw new UnsupportedOperationException("IDX records come from an image file and a label file together;"
                + " use initialize with both files");
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
