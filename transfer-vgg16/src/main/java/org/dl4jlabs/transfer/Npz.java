package org.dl4jlabs.transfer;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.io.AtomicFiles;
import org.dl4jlabs.common.io.IoErrors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * NumPy's {@code .npz} files, for other tools to read with {@code numpy.load}: a zip of {@code .npy}
 * arrays (format version 1.0), floats as little-endian float32 and names as fixed-width Unicode
 * strings, in C order, so no pickling is involved.
 */
public final class Npz {

    private Npz() {
    }

    /** Writes {@code arrays} (name to an {@link INDArray} or a {@code List<String>}) to {@code file}, atomically. */
    public static void write(Path file, Map<String, Object> arrays) {
        try {
            AtomicFiles.write(file, out -> {
                ZipOutputStream zip = new ZipOutputStream(out);
                for (Map.Entry<String, Object> array : arrays.entrySet()) {
                    zip.putNextEntry(new ZipEntry(array.getKey() + ".npy"));
                    zip.write(npy(array.getValue()));
                    zip.closeEntry();
                }
                zip.finish();
            });
        } catch (IOException e) {
            throw new LabsException("could not write " + file + ": " + IoErrors.reason(e), e);
        }
    }

    static byte[] npy(Object array) {
        if (array instanceof INDArray values) {
            float[] data = values.dup('c').castTo(DataType.FLOAT).data().asFloat();
            ByteBuffer body = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
            body.asFloatBuffer().put(data);
            return withHeader("<f4", values.shape(), body.array());
        }
        if (array instanceof List<?> list) {
            List<String> strings = list.stream().map(String::valueOf).toList();
            int width = Math.max(1, strings.stream().mapToInt(s -> s.codePointCount(0, s.length())).max().orElse(1));
            ByteBuffer body = ByteBuffer.allocate(4 * width * strings.size()).order(ByteOrder.LITTLE_ENDIAN);
            for (String s : strings) {
                int[] codePoints = s.codePoints().toArray();
                for (int i = 0; i < width; i++) {
                    body.putInt(i < codePoints.length ? codePoints[i] : 0);
                }
            }
            return withHeader("<U" + width, new long[]{strings.size()}, body.array());
        }
        throw new IllegalArgumentException("not an array: " + array.getClass());
    }

    /** The .npy header: magic, version 1.0, and a Python dict literal padded to a multiple of 64 bytes. */
    private static byte[] withHeader(String descr, long[] shape, byte[] body) {
        String dims = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims
                + (shape.length == 1 ? "," : "") + "), }";
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.write(header.length() & 0xFF);
        out.write(header.length() >> 8);
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }
}
