package org.dl4jlabs.common.data.download;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The check for a small file whose publisher gives neither a checksum nor a size: what its content
 * must be (for example, JSON of a known shape). Weaker than a checksum, and said so in messages.
 *
 * @param expected what the file must be, in a few words ("ImageNet's index of 1000 classes")
 * @param holds    whether a file is that
 */
public record ContentCheck(String expected, Predicate<Path> holds) implements FileCheck {

    @Override
    public Optional<String> mismatch(Path file) {
        return holds.test(file) ? Optional.empty() : Optional.of("it is not " + expected);
    }

    @Override
    public String toString() {
        return "no published checksum: checked to be " + expected;
    }
}
