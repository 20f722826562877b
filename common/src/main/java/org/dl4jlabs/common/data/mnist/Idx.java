package org.dl4jlabs.common.data.mnist;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.io.AtomicFiles;
import org.dl4jlabs.common.io.IoErrors;

import java.io.ByteArrayInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Reads and writes IDX files, the format MNIST is distributed in. A file is a big-endian header
 * (a magic number naming the element type and number of dimensions, then each dimension's size)
 * followed by the elements. This suite handles the two kinds MNIST uses, both of unsigned bytes:
 * images (3 dimensions: count, height, width) and labels (1 dimension: count).
 *
 * <p>Files may be gzip-compressed, as MNIST is published; that is recognised by the content, so a
 * file keeps working when someone unpacks it without renaming it, or renames it without unpacking.
 */
public final class Idx {

    /** Unsigned bytes, 3 dimensions. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Unsigned bytes, 1 dimension. */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final int IMAGES_HEADER_BYTES = 16;
    private static final int LABELS_HEADER_BYTES = 8;

    private Idx() {
    }

    /** Reads an IDX image or label file, raw or gzip-compressed. */
    public static IdxData read(Path file) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new LabsException("Data file " + file.toAbsolutePath() + " does not exist.");
        } catch (IOException e) {
            throw new LabsException("Could not read data file " + file.toAbsolutePath() + ": " + IoErrors.reason(e), e);
        }
        return parse(content, file.toAbsolutePath().toString());
    }

    public static IdxImages readImages(Path file) {
        if (read(file) instanceof IdxImages images) {
            return images;
        }
        throw new LabsException(file.toAbsolutePath() + " holds labels, but an image file was expected here."
                + " Check that the image and label files have not been swapped.");
    }

    public static IdxLabels readLabels(Path file) {
        if (read(file) instanceof IdxLabels labels) {
            return labels;
        }
        throw new LabsException(file.toAbsolutePath() + " holds images, but a label file was expected here."
                + " Check that the image and label files have not been swapped.");
    }

    /**
     * Parses the bytes of an IDX file.
     *
     * @param content the file's bytes, raw or gzip-compressed
     * @param source  where the bytes came from, for error messages
     */
    public static IdxData parse(byte[] content, String source) {
        if (content.length == 0) {
            throw new LabsException("Data file " + source + " is empty (0 bytes). Delete it and download or"
                    + " generate it again.");
        }
        byte[] bytes = isGzip(content) ? gunzip(content, source) : content;
        ByteBuffer buffer = ByteBuffer.wrap(bytes); // big-endian, as IDX is
        if (bytes.length < 4) {
            throw truncated(source, "it is only " + bytes.length + " bytes long, too short for an IDX header");
        }
        int magic = buffer.getInt();
        return switch (magic) {
            case IMAGES_MAGIC -> parseImages(buffer, source);
            case LABELS_MAGIC -> parseLabels(buffer, source);
            default -> throw new LabsException(String.format("%s is not an IDX image or label file: it starts with"
                    + " 0x%08X, but an image file starts with 0x%08X and a label file with 0x%08X. Check that this"
                    + " is the right file.", source, magic, IMAGES_MAGIC, LABELS_MAGIC));
        };
    }

    private static IdxImages parseImages(ByteBuffer buffer, String source) {
        if (buffer.limit() < IMAGES_HEADER_BYTES) {
            throw truncated(source, "its image header needs " + IMAGES_HEADER_BYTES + " bytes but the file has only "
                    + buffer.limit());
        }
        int count = buffer.getInt();
        int height = buffer.getInt();
        int width = buffer.getInt();
        if (count < 0 || height <= 0 || width <= 0) {
            throw new LabsException(source + " has a damaged header: it claims " + count + " images of "
                    + height + "x" + width + " pixels.");
        }
        long expected = IMAGES_HEADER_BYTES + (long) count * height * width;
        String promise = count + " images of " + height + "x" + width + " pixels";
        checkLength(buffer.limit(), expected, promise, source);
        byte[] pixels = new byte[count * height * width];
        buffer.get(pixels);
        return new IdxImages(count, height, width, pixels);
    }

    private static IdxLabels parseLabels(ByteBuffer buffer, String source) {
        if (buffer.limit() < LABELS_HEADER_BYTES) {
            throw truncated(source, "its label header needs " + LABELS_HEADER_BYTES + " bytes but the file has only "
                    + buffer.limit());
        }
        int count = buffer.getInt();
        if (count < 0) {
            throw new LabsException(source + " has a damaged header: it claims " + count + " labels.");
        }
        checkLength(buffer.limit(), LABELS_HEADER_BYTES + (long) count, count + " labels", source);
        byte[] labels = new byte[count];
        buffer.get(labels);
        return new IdxLabels(labels);
    }

    private static void checkLength(long actual, long expected, String promise, String source) {
        if (actual < expected) {
            throw truncated(source, "its header promises " + promise + " (" + expected + " bytes) but it holds only "
                    + actual + " bytes");
        }
        if (actual > expected) {
            throw new LabsException(source + " is not a valid IDX file: its header describes " + promise + " ("
                    + expected + " bytes) but it holds " + actual + " bytes. Check that this is the right file.");
        }
    }

    private static LabsException truncated(String source, String detail) {
        return new LabsException(source + " is truncated: " + detail + ". The file is incomplete, probably from an"
                + " interrupted download or copy; delete it and get it again.");
    }

    private static boolean isGzip(byte[] content) {
        return content.length >= 2 && (content[0] & 0xFF) == 0x1F && (content[1] & 0xFF) == 0x8B;
    }

    private static byte[] gunzip(byte[] content, String source) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(content))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new LabsException(source + " is gzip-compressed but cannot be decompressed (" + IoErrors.reason(e)
                    + "). The file is damaged or incomplete; delete it and get it again.", e);
        }
    }

    /**
     * Writes an IDX file, gzip-compressed when its name ends in {@code .gz}. The file appears complete
     * or not at all: it is written beside its final name and then renamed.
     */
    public static void write(Path file, IdxData data) {
        boolean gzip = file.getFileName().toString().endsWith(".gz");
        try {
            AtomicFiles.write(file, out -> {
                // Big-endian, as IDX is. Closing it finishes the gzip stream too.
                try (DataOutputStream idx = new DataOutputStream(gzip ? new GZIPOutputStream(out, 1 << 16) : out)) {
                    writeContent(idx, data);
                }
            });
        } catch (IOException e) {
            throw new LabsException("Could not write " + file.toAbsolutePath() + ": " + IoErrors.reason(e)
                    + ". Check that the directory is writable and the disk is not full.", e);
        }
    }

    private static void writeContent(DataOutputStream out, IdxData data) throws IOException {
        if (data instanceof IdxImages images) {
            out.writeInt(IMAGES_MAGIC);
            out.writeInt(images.count());
            out.writeInt(images.height());
            out.writeInt(images.width());
            out.write(images.pixels());
        } else if (data instanceof IdxLabels labels) {
            out.writeInt(LABELS_MAGIC);
            out.writeInt(labels.count());
            out.write(labels.labels());
        }
    }
}
