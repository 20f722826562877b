package org.dl4jlabs.common.data.mnist;

import org.datavec.api.split.CollectionInputSplit;
import org.datavec.api.split.InputSplit;
import org.datavec.api.writable.Writable;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.InMemoryImageRecordReader;
import org.dl4jlabs.common.io.IoErrors;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A DataVec record reader over a pair of IDX files, one of images and one of labels (MNIST's
 * format), with records as {@link InMemoryImageRecordReader} describes: the image as a float row
 * vector {@code [1, height*width]} scaled to 0..1, then its class index.
 *
 * <p>Both files are parsed once into byte arrays at {@link #initialize(InputSplit)}, so all of
 * MNIST loads in about a second.
 */
public class IdxRecordReader extends InMemoryImageRecordReader {

    /** The ten digit classes, named "0" to "9". */
    public static final List<String> DIGITS =
            IntStream.range(0, 10).mapToObj(Integer::toString).toList();

    private final int classes;
    private IdxImages images;
    private IdxLabels labels;
    private URI imagesUri;

    /** A reader for digit data: labels 0 to 9. */
    public IdxRecordReader() {
        this(DIGITS);
    }

    /** A reader whose label {@code i} stands for {@code classNames.get(i)}. */
    public IdxRecordReader(List<String> classNames) {
        super(classNames);
        this.classes = classNames.size();
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
        URI[] locations = locationsOf(split);
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
        rewind();
    }

    private IdxData parse(URI location) {
        try (InputStream in = streamCreatorFn.apply(location)) {
            return Idx.parse(in.readAllBytes(), location.toString());
        } catch (IOException e) {
            throw new LabsException("Could not read " + location + ": " + IoErrors.reason(e), e);
        }
    }

    private void checkLabelRange(URI labelsUri) {
        for (int i = 0; i < labels.count(); i++) {
            if (labels.label(i) >= classes) {
                throw new LabsException(labelsUri + " has label " + labels.label(i) + " at position " + i
                        + ", but this data set has only " + classes + " classes (0 to " + (classes - 1) + ").");
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
    protected int imageCount() {
        return images == null ? 0 : images.count();
    }

    @Override
    protected int pixelsPerImage() {
        return images.pixelsPerImage();
    }

    @Override
    protected float[] scaledPixels(int first, int count) {
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
    protected int label(int index) {
        return labels.label(index);
    }

    @Override
    protected URI location() {
        return imagesUri;
    }

    /** Not supported: an IDX record is spread over two files, so one stream cannot hold it. */
    @Override
    public List<Writable> record(URI uri, DataInputStream dataInputStream) {
        throw new UnsupportedOperationException("IDX records come from an image file and a label file together;"
                + " use initialize with both files");
    }
}
