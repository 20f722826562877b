package org.dl4jlabs.common.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.download.ContentCheck;
import org.dl4jlabs.common.data.download.RemoteFile;
import org.dl4jlabs.common.io.IoErrors;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * ImageNet's 1000 class names, from the index Keras publishes beside its weights
 * ({@code {"0": ["n01440764", "tench"], ...}}), in output order: "tench (n01440764)".
 */
public final class ImageNetClasses {

    public static final int COUNT = 1000;
    /** No checksum is published for it; a copy is checked to hold the 1000 classes in their order. */
    public static final RemoteFile INDEX = new RemoteFile("imagenet_class_index.json",
            List.of(URI.create("https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json")),
            new ContentCheck("ImageNet's index of " + COUNT + " classes", ImageNetClasses::isIndex));

    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageNetClasses() {
    }

    public static List<String> read(Path file) {
        try {
            JsonNode index = JSON.readTree(file.toFile());
            List<String> names = new ArrayList<>(COUNT);
            for (int i = 0; i < COUNT; i++) {
                JsonNode entry = index.get(String.valueOf(i));
                if (entry == null || !entry.isArray() || entry.size() != 2) {
                    throw new LabsException(file + " is not ImageNet's class index: class " + i + " is missing");
                }
                names.add(entry.get(1).asText() + " (" + entry.get(0).asText() + ")");
            }
            return names;
        } catch (IOException e) {
            throw new LabsException(file + " is not ImageNet's class index (" + IoErrors.reason(e) + ")", e);
        }
    }

    private static boolean isIndex(Path file) {
        try {
            return read(file).size() == COUNT;
        } catch (LabsException e) {
            return false;
        }
    }
}
