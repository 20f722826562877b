package org.dl4jlabs.transfer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The .npz files read back by the rules of NumPy's format, as numpy.load reads them. */
class NpzTest {

    @TempDir
    Path dir;

    /** One array as NumPy would see it: its dtype, shape and raw little-endian values. */
    record NpyArray(String descr, long[] shape, ByteBuffer data) {
        float[] floats() {
            float[] values = new float[data.remaining() / 4];
            data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            return values;
        }

        List<String> strings() {
            int width = Integer.parseInt(descr.substring(2));
            ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            List<String> out = new java.util.ArrayList<>();
            for (int i = 0; i < shape[0]; i++) {
                StringBuilder s = new StringBuilder();
                for (int j = 0; j < width; j++) {
                    int c = b.getInt();
                    if (c != 0) {
                        s.appendCodePoint(c);
                    }
                }
                out.add(s.toString());
            }
            return out;
        }
    }

    static Map<String, NpyArray> read(Path npz) throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(npz.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                assertArrayEquals(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}, Arrays.copyOf(bytes, 8));
                int headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
                assertEquals(0, (10 + headerLength) % 64, "the data starts 64-byte aligned");
                String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
                assertTrue(header.endsWith("\n") && header.contains("'fortran_order': False"), header);
                Matcher descr = Pattern.compile("'descr': '([^']+)'").matcher(header);
                Matcher shape = Pattern.compile("'shape': \\(([^)]*)\\)").matcher(header);
                assertTrue(descr.find() && shape.find(), header);
                long[] dims = Arrays.stream(shape.group(1).split(",")).map(String::strip).filter(s -> !s.isEmpty())
                        .mapToLong(Long::parseLong).toArray();
                arrays.put(entry.getName().replace(".npy", ""), new NpyArray(descr.group(1), dims,
                        ByteBuffer.wrap(bytes, 10 + headerLength, bytes.length - 10 - headerLength)));
            }
        }
        return arrays;
    }

    @Test
    void floatsAndNamesRoundTrip() throws IOException {
        Path file = dir.resolve("a.npz");
        Map<String, Object> arrays = new LinkedHashMap<>();
        arrays.put("features", Nd4j.createFromArray(new float[][]{{1.5f, -2f, 3f}, {0f, 4.25f, 1e-3f}}));
        arrays.put("files", List.of("cat/1.jpg", "dög/22.jpg"));
        Npz.write(file, arrays);

        Map<String, NpyArray> back = read(file);
        assertEquals("<f4", back.get("features").descr());
        assertArrayEquals(new long[]{2, 3}, back.get("features").shape());
        assertArrayEquals(new float[]{1.5f, -2f, 3f, 0f, 4.25f, 1e-3f}, back.get("features").floats());
        assertEquals("<U10", back.get("files").descr());
        assertEquals(List.of("cat/1.jpg", "dög/22.jpg"), back.get("files").strings());
    }
}
