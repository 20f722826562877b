package org.dl4jlabs.common.data.folder;

import java.nio.file.Path;

/**
 * One photo file and its class.
 *
 * @param file  the file
 * @param label its class name, as the folder layout gives it; null for an unlabelled photo
 */
public record Photo(Path file, String label) {
}
