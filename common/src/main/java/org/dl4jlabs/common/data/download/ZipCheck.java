package org.dl4jlabs.common.data.download;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.io.IoErrors;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * The check for a zip whose publisher gives no checksum: its size, pinned, and the CRC-32 that the
 * zip stores for every entry, recomputed by reading the whole archive. A truncated, padded or damaged
 * download fails it; a different archive of exactly the same size with valid CRCs would not, which is
 * why a published checksum is preferred wherever one exists.
 *
 * @param bytes the zip's size
 */
public record ZipCheck(long bytes) implements FileCheck {

    public ZipCheck {
        if (bytes <= 0) {
            throw new IllegalArgumentException("a zip's size, not " + bytes);
        }
    }

    @Override
    public Optional<String> mismatch(Path file) {
        try {
            long size = Files.size(file);
            if (size != bytes) {
                return Optional.of(String.format("it has %,d bytes, not %,d", size, bytes));
            }
            // ZipInputStream compares each entry's CRC-32 with the one stored when the entry ends.
            try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
                int entries = 0;
                for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                    entries++;
                    try {
                        zip.transferTo(OutputStream.nullOutputStream());
                    } catch (ZipException e) {
                        return Optional.of("its entry " + entry.getName() + " is damaged (" + e.getMessage() + ")");
                    }
                }
                return entries == 0 ? Optional.of("it is not a zip archive") : Optional.empty();
            }
        } catch (ZipException e) {
            return Optional.of("it is not a readable zip archive (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new LabsException("Could not read " + file.toAbsolutePath() + " to check it: " + IoErrors.reason(e), e);
        }
    }

    @Override
    public OptionalLong expectedBytes() {
        return OptionalLong.of(bytes);
    }

    @Override
    public String toString() {
        return String.format("%,d bytes, no published checksum: the zip's own CRCs are checked", bytes);
    }
}
