package org.dl4jlabs.common.data.download;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.io.IoErrors;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The expected digest of a file, which proves a download (or a file someone copied in) is the
 * intended one, complete and undamaged.
 *
 * @param algorithm a {@link MessageDigest} algorithm name: "MD5" or "SHA-256"
 * @param hex       the digest in hexadecimal
 * @param bytes     the file's size where it is published too, else -1: it stops a download that runs
 *                  past it, and a message asking for the file by hand names it
 */
public record Checksum(String algorithm, String hex, long bytes) implements FileCheck {

    public Checksum(String algorithm, String hex) {
        this(algorithm, hex, -1);
    }

    public Checksum {
        hex = hex.toLowerCase(Locale.ROOT);
        int expectedLength = 2 * newDigest(algorithm).getDigestLength();
        if (hex.length() != expectedLength || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("not a " + algorithm + " digest: " + hex);
        }
    }

    public static Checksum md5(String hex) {
        return new Checksum("MD5", hex);
    }

    public static Checksum md5(String hex, long bytes) {
        return new Checksum("MD5", hex, bytes);
    }

    public static Checksum sha256(String hex) {
        return new Checksum("SHA-256", hex);
    }

    @Override
    public Optional<String> mismatch(Path file) {
        try {
            long size = Files.size(file);
            if (bytes >= 0 && size != bytes) {
                return Optional.of(String.format("it has %,d bytes, not %,d", size, bytes));
            }
        } catch (IOException e) {
            throw new LabsException("Could not read " + file.toAbsolutePath() + " to check it: " + IoErrors.reason(e), e);
        }
        Checksum actual = of(algorithm, file);
        return actual.hex().equals(hex) ? Optional.empty()
                : Optional.of("its checksum is " + actual + ", not " + hex);
    }

    @Override
    public OptionalLong expectedBytes() {
        return bytes >= 0 ? OptionalLong.of(bytes) : OptionalLong.empty();
    }

    /** The checksum {@code file} has under {@code algorithm}. */
    public static Checksum of(String algorithm, Path file) {
        MessageDigest digest = newDigest(algorithm);
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new LabsException("Could not read " + file.toAbsolutePath() + " to check it: " + IoErrors.reason(e), e);
        }
        return new Checksum(algorithm, HexFormat.of().formatHex(digest.digest()));
    }

    private static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unknown digest algorithm " + algorithm, e);
        }
    }

    @Override
    public String toString() {
        return algorithm + " " + hex + (bytes >= 0 ? String.format(", %,d bytes", bytes) : "");
    }
}
