package org.dl4jlabs.common.data.download;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What proves a downloaded file (or one a user copied in) is the intended one, complete and
 * undamaged: a published checksum where there is one, else the file's size and its own CRCs.
 */
public sealed interface FileCheck permits Checksum, ZipCheck, ContentCheck {

    /** Why {@code file} is not the expected one, in a few words; empty when it is. */
    Optional<String> mismatch(Path file);

    /** The file's size when the check knows it, to stop a download that runs past it. */
    default OptionalLong expectedBytes() {
        return OptionalLong.empty();
    }

    /** Whether {@code file} exists and passes the check. */
    default boolean matches(Path file) {
        return Files.isRegularFile(file) && mismatch(file).isEmpty();
    }
}
