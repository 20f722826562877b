package org.dl4jlabs.common.data.cifar;

import org.datavec.api.split.CollectionInputSplit;
import org.datavec.api.split.InputSplit;
import org.datavec.api.writable.IntWritable;
import org.datavec.api.writable.NDArrayWritable;
import org.datavec.api.writable.Writable;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.InMemoryImageRecordReader;
import org.dl4jlabs.common.data.cifar.CifarFormat.Labels;
import org.dl4jlabs.common.io.IoErrors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A DataVec record reader over CIFAR binary files ({@link CifarFormat}). Each record is two
 * writables: an {@link NDArrayWritable} holding the image as a float row vector {@code [1, 3072]}
 * scaled to 0..1 (channel planes first, as in the file), then an {@link IntWritable} with the class
 * index, which is what {@code RecordReaderDataSetIterator(reader, batchSize, 1, numClasses)} expects.
 *
 * <p>The files of a split (CIFAR-10's five training batches, say) are read once, in the order
 * given, at {@link #initialize(InputSplit)}, and checked: a size that is not a whole number of
 * records is refused, and so is a CIFAR-100 file read as CIFAR-10 or the reverse when the size
 * gives it away.
 */
public class CifarRecordReader extends InMemoryImageRecordReader {

    private final CifarFormat format;
    private final Labels labels;
    private final int classes;
    private byte[] records;
    private int count;
    private URI[] locations;
    /** The index, among all records, of each file's first record. */
    private int[] firstRecords;

    /**
     * @param classNames name of class {@code i} at index {@code i}; its size must be the number of
     *                   classes of {@code format} with {@code labels}
     */
    public CifarRecordReader(CifarFormat format, Labels labels, List<String> classNames) {
        super(checked(format, labels, classNames));
        this.format = format;
        this.labels = labels;
        this.classes = classNames.size();
    }

    private static List<String> checked(CifarFormat format, Labels labels, List<String> classNames) {
        if (format == CifarFormat.CIFAR10 && labels == Labels.COARSE) {
            throw new LabsException("CIFAR-10 has no coarse labels; --labels coarse is for CIFAR-100 only.");
        }
        if (classNames.size() != format.classes(labels)) {
            throw new IllegalArgumentException(format.displayName() + " with " + labels + " labels has "
                    + format.classes(labels) + " classes, not " + classNames.size());
        }
        return classNames;
    }

    /** Opens the given files, one after the other; same as {@link #initialize(InputSplit)}. */
    public void initialize(List<Path> files) {
        initialize(new CollectionInputSplit(files.stream().map(Path::toUri).toList()));
    }

    @Override
    public void initialize(InputSplit split) {
        URI[] locations = locationsOf(split);
        if (locations.length == 0) {
            throw new LabsException("No " + format.displayName() + " files were given to read.");
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        int[] starts = new int[locations.length];
        for (int i = 0; i < locations.length; i++) {
            starts[i] = all.size() / format.recordLength();
            byte[] bytes = read(locations[i]);
            check(locations[i], bytes.length);
            all.writeBytes(bytes);
        }
        records = all.toByteArray();
        count = records.length / format.recordLength();
        this.locations = locations;
        this.firstRecords = starts;
        rewind();
    }

    private byte[] read(URI location) {
        try (InputStream in = streamCreatorFn.apply(location)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new LabsException("Could not read " + location + ": " + IoErrors.reason(e), e);
        }
    }

    private void check(URI location, long size) {
        int length = format.recordLength();
        CifarFormat other = format == CifarFormat.CIFAR10 ? CifarFormat.CIFAR100 : CifarFormat.CIFAR10;
        if (size == 0) {
            throw new LabsException(location + " is empty; a " + format.displayName() + " file holds records of "
                    + length + " bytes.");
        }
        if (size % length == 0) {
            return;
        }
        if (size % other.recordLength() == 0) {
            throw new LabsException(location + " looks like a " + other.displayName() + " file: its " + size
                    + " bytes are a whole number of " + other.displayName() + " records (" + other.recordLength()
                    + " bytes) but not of " + format.displayName() + " records (" + length + " bytes). Choose --dataset "
                    + other.lowerCaseName() + ".");
        }
        throw new LabsException(location + " is truncated or not a " + format.displayName() + " file: its " + size
                + " bytes are not a whole number of " + length + "-byte records (" + size / length
                + " records and " + size % length + " bytes left over). Download it again.");
    }

    /** How many images the files hold. */
    public int count() {
        return count;
    }

    @Override
    protected int imageCount() {
        return records == null ? 0 : count;
    }

    @Override
    protected int pixelsPerImage() {
        return CifarFormat.PIXELS;
    }

    @Override
    protected URI location() {
        return locations[0];
    }

    /** Which of the files record {@code index} of all of them came from. */
    private int fileOf(int index) {
        int found = Arrays.binarySearch(firstRecords, index);
        return found >= 0 ? found : -found - 2;
    }

    @Override
    protected int label(int index) {
        return label(records, index);
    }

    private int label(byte[] data, int index) {
        int label = data[index * format.recordLength() + format.labelOffset(labels)] & 0xFF;
        if (label >= classes) {
            int file = fileOf(index);
            throw new LabsException(locations[file] + " has label " + label + " at record "
                    + (index - firstRecords[file]) + " (counting from 0), but " + format.displayName() + " with " + labels.name().toLowerCase()
                    + " labels has only " + classes + " classes; is it really a " + format.displayName()
                    + " file?");
        }
        return label;
    }

    @Override
    protected float[] scaledPixels(int first, int n) {
        return scaledPixels(records, first, n);
    }

    private float[] scaledPixels(byte[] data, int first, int n) {
        float[] scaled = new float[n * CifarFormat.PIXELS];
        for (int i = 0; i < n; i++) {
            int offset = (first + i) * format.recordLength() + format.labelBytes();
            for (int p = 0; p < CifarFormat.PIXELS; p++) {
                scaled[i * CifarFormat.PIXELS + p] = (data[offset + p] & 0xFF) / 255f;
            }
        }
        return scaled;
    }

    /** One record from a stream holding exactly one CIFAR record. */
    @Override
    public List<Writable> record(URI uri, DataInputStream dataInputStream) throws IOException {
        byte[] record = dataInputStream.readNBytes(format.recordLength());
        if (record.length != format.recordLength()) {
            throw new LabsException(uri + " ends inside a record: " + record.length + " of "
                    + format.recordLength() + " bytes");
        }
        return List.of(new NDArrayWritable(Nd4j.create(scaledPixels(record, 0, 1), new long[]{1, CifarFormat.PIXELS},
                DataType.FLOAT)), new IntWritable(label(record, 0)));
    }
}
