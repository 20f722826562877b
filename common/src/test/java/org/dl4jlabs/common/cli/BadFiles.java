package org.dl4jlabs.common.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;

/**
 * The files a hostile or unlucky user hands an app, each under a name the bad-input corpora use as
 * a placeholder ({@code {broken-png}}): things that are not what they are named, links that go
 * nowhere, text that is not UTF-8, headers that lie about their size.
 */
public final class BadFiles {

    private BadFiles() {
    }

    /** Writes every bad file under {@code dir}; returns them by placeholder name. */
    public static Map<String, Path> writeAll(Path dir) {
        try {
            Files.createDirectories(dir);
            Map<String, Path> files = new LinkedHashMap<>();
            files.put("directory", Files.createDirectories(dir.resolve("a-directory")));
            Path run = Files.createDirectories(dir.resolve("a-run"));
            Files.writeString(run.resolve("model.zip"), "not really a model");
            files.put("run-directory", run);
            Path loop = dir.resolve("loop-a");
            Files.createSymbolicLink(loop, dir.resolve("loop-b"));
            Files.createSymbolicLink(dir.resolve("loop-b"), loop);
            files.put("link-loop", loop);
            files.put("dangling-link", Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("gone")));
            files.put("missing", dir.resolve("no-such-file"));
            files.put("empty", Files.write(dir.resolve("empty.bin"), new byte[0]));
            files.put("text", Files.writeString(dir.resolve("notes.txt"), "some notes\n"));
            files.put("not-a-zip", Files.writeString(dir.resolve("notes.zip"), "not a zip\n"));
            files.put("latin1", Files.write(dir.resolve("latin1.txt"),
                    "first line\ncaf\u00e9 au lait\n".getBytes(StandardCharsets.ISO_8859_1)));
            files.put("archive", Files.write(dir.resolve("data.tar.gz"), gzip(new byte[1024])));
            files.put("broken-png", Files.write(dir.resolve("broken.png"), brokenPng()));
            files.put("png-bomb", Files.write(dir.resolve("bomb.png"), pngDeclaring(20_000)));
            files.put("truncated-jpg", Files.write(dir.resolve("truncated.jpg"),
                    new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F'}));
            Path other = Files.createDirectories(dir.resolve("not-empty"));
            Files.writeString(other.resolve("thesis.tex"), "years of work\n");
            files.put("users-directory", other);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PNG of 69 bytes whose header declares {@code side} x {@code side} RGBA pixels. */
    public static byte[] pngDeclaring(int side) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(side).putInt(side).put((byte) 8).put((byte) 6)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(png, "IDAT", new byte[]{0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    /** A 28x28 greyscale PNG header whose pixel data is not zlib: decoders say "incorrect header check". */
    private static byte[] brokenPng() {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(28).putInt(28).put((byte) 8).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(png, "IDAT", "garbage, not zlib".getBytes(StandardCharsets.US_ASCII));
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(name);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(content);
        }
        return bytes.toByteArray();
    }
}
