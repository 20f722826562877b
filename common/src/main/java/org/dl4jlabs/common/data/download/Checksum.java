package org.dl4jlabs.common.data.download;

import org.dl4jlabs.common.LabsException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * The expected digest of a file, which proves a download (or a file someone copied in) is the
 * intended one, complete and undamaged.
 *
 * @param algorithm a {@link MessageDigest} algorithm name: "MD5" or "SHA-256"
 * @param hex       the digest in hexadecimal
 */
public record Checksum(String algorithm, String hex) implements FileCheck {

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

    public static Checksum sha256(String hex) {
        return new Checksum("SHA-256", hex);
    }

    @Override
    public Optional<String> mismatch(Path file) {
        Checksum actual = of(algorithm, file);
        return actual.equals(this) ? Optional.empty()
                : Optional.of("its checksum is " + actual + ", not " + hex);
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
            throw new LabsException("Could not read " + file.toAbsolutePath() + " to check it: " + e.getMessage(), e);
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
        return algorithm + " " + hex;
    }
}
