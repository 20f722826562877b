package org.dl4jlabs.common.cli;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.folder.FolderLayout;
import org.dl4jlabs.common.data.folder.Photo;
import org.dl4jlabs.common.data.folder.PhotoFolder;
import org.dl4jlabs.common.data.folder.PhotoSplit;
import org.dl4jlabs.common.data.folder.PhotoSplit.Part;
import picocli.CommandLine.Option;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a folder of photos is divided when it gives no split, as options of an app's {@code train}:
 * {@code @ArgGroup(exclusive = false) PhotoSplitOptions split = new PhotoSplitOptions();}
 */
public class PhotoSplitOptions {
    @Option(names = "--all", description = "Use every photo: 80 %% of each class to train, 10 %% to validate, 10 %% to test.")
    boolean all;

    @Option(names = "--train", paramLabel = "N", description = "Training photos per class (default: 1000 when "
            + "every class has 2000 photos, else half of the smallest class).")
    Integer train;

    @Option(names = "--validation", paramLabel = "N", description = "Validation photos per class (default: 500, or a quarter).")
    Integer validation;

    @Option(names = "--test", paramLabel = "N", description = "Test photos per class (default: 500, or a quarter).")
    Integer test;

    /** The folder's own split when it has one, else the one these options ask for, seeded. */
    public Map<Part, List<Photo>> split(PhotoFolder folder, List<Photo> usable, long seed) {
        if (folder.layout() == FolderLayout.SPLIT_FOLDERS) {
            if (all || train != null || validation != null || test != null) {
                throw new LabsException(folder.root() + " is split into folders already; drop --all, --train, "
                        + "--validation and --test");
            }
            Set<Photo> usableSet = new HashSet<>(usable);
            Map<Part, List<Photo>> parts = new LinkedHashMap<>();
            for (Part part : Part.values()) {
                parts.put(part, folder.presplit().getOrDefault(part, List.of()).stream()
                        .filter(usableSet::contains).toList());
            }
            return parts;
        }
        if (all) {
            if (train != null || validation != null || test != null) {
                throw new LabsException("--all uses every photo; drop --train, --validation and --test");
            }
            return PhotoSplit.all(usable, seed);
        }
        PhotoSplit.PerClass fallback = PhotoSplit.defaultFor(usable);
        PhotoSplit.PerClass counts = new PhotoSplit.PerClass(train != null ? train : fallback.train(),
                validation != null ? validation : fallback.validation(), test != null ? test : fallback.test());
        return PhotoSplit.balanced(usable, counts, seed);
    }
}
