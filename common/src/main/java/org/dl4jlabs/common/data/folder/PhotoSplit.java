package org.dl4jlabs.common.data.folder;

import org.dl4jlabs.common.LabsException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Splits labelled photos into training, validation and test sets: seeded, disjoint, and with the same
 * number of photos of each class in each part unless every photo is asked for.
 */
public final class PhotoSplit {

    public enum Part {
        TRAIN("train"), VALIDATION("validation"), TEST("test");

        private final String folderName;

        Part(String folderName) {
            this.folderName = folderName;
        }

        public String folderName() {
            return folderName;
        }
    }

    /**
     * How many photos of each class go into each part.
     *
     * @param train      per class, for training
     * @param validation per class, for choosing the threshold and watching overfitting
     * @param test       per class, for the final figures
     */
    public record PerClass(int train, int validation, int test) {
        /** Chollet's small subset of dogs-vs-cats, the course's split. */
        public static final PerClass CHOLLET = new PerClass(1000, 500, 500);

        public PerClass {
            if (train < 1 || validation < 0 || test < 1) {
                throw new LabsException("a split needs at least 1 training and 1 test photo per class (and no"
                        + " negative counts), not " + train + " / " + validation + " / " + test);
            }
        }

        int total() {
            return train + validation + test;
        }
    }

    private PhotoSplit() {
    }

    /**
     * The counts to use when none are given: Chollet's 1000 / 500 / 500 per class when every class has
     * that many, else a half / quarter / quarter of the smallest class.
     */
    public static PerClass defaultFor(List<Photo> photos) {
        int smallest = byClass(photos).values().stream().mapToInt(List::size).min().orElse(0);
        if (smallest >= PerClass.CHOLLET.total()) {
            return PerClass.CHOLLET;
        }
        if (smallest < 4) {
            throw new LabsException("a class has only " + smallest + " usable photos; at least 4 per class are"
                    + " needed to split them for training, validation and test");
        }
        return new PerClass(smallest / 2, smallest / 4, smallest - smallest / 2 - smallest / 4);
    }

    /** {@code counts} photos of each class, drawn at random with {@code seed}. */
    public static Map<Part, List<Photo>> balanced(List<Photo> photos, PerClass counts, long seed) {
        Map<Part, List<Photo>> parts = emptyParts();
        for (Map.Entry<String, List<Photo>> entry : byClass(photos).entrySet()) {
            List<Photo> shuffled = shuffled(entry.getValue(), seed);
            if (shuffled.size() < counts.total()) {
                throw new LabsException("class " + entry.getKey() + " has " + shuffled.size() + " usable photos;"
                        + " the split asks for " + counts.total() + " (" + counts.train() + " / "
                        + counts.validation() + " / " + counts.test() + "). Ask for fewer, or use --all.");
            }
            parts.get(Part.TRAIN).addAll(shuffled.subList(0, counts.train()));
            parts.get(Part.VALIDATION).addAll(shuffled.subList(counts.train(), counts.train() + counts.validation()));
            parts.get(Part.TEST).addAll(shuffled.subList(counts.train() + counts.validation(), counts.total()));
        }
        return parts;
    }

    /** Every photo: 80 % of each class for training, 10 % for validation, 10 % for test. */
    public static Map<Part, List<Photo>> all(List<Photo> photos, long seed) {
        Map<Part, List<Photo>> parts = emptyParts();
        for (List<Photo> ofClass : byClass(photos).values()) {
            List<Photo> shuffled = shuffled(ofClass, seed);
            int test = Math.max(1, shuffled.size() / 10);
            int validation = shuffled.size() / 10;
            int train = shuffled.size() - test - validation;
            parts.get(Part.TRAIN).addAll(shuffled.subList(0, train));
            parts.get(Part.VALIDATION).addAll(shuffled.subList(train, train + validation));
            parts.get(Part.TEST).addAll(shuffled.subList(train + validation, shuffled.size()));
        }
        return parts;
    }

    private static Map<Part, List<Photo>> emptyParts() {
        Map<Part, List<Photo>> parts = new EnumMap<>(Part.class);
        for (Part part : Part.values()) {
            parts.put(part, new ArrayList<>());
        }
        return parts;
    }

    private static Map<String, List<Photo>> byClass(List<Photo> photos) {
        Map<String, List<Photo>> byClass = new TreeMap<>();
        for (Photo photo : photos) {
            byClass.computeIfAbsent(photo.label(), label -> new ArrayList<>()).add(photo);
        }
        return byClass;
    }

    /** The same order for the same photos and seed, whatever order they were listed in. */
    private static List<Photo> shuffled(List<Photo> photos, long seed) {
        List<Photo> sorted = new ArrayList<>(photos);
        sorted.sort((a, b) -> a.file().compareTo(b.file()));
        Collections.shuffle(sorted, new Random(seed));
        return sorted;
    }
}
