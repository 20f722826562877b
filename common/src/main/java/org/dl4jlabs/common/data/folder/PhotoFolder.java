package org.dl4jlabs.common.data.folder;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.io.IoErrors;
import org.dl4jlabs.common.io.UserFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A folder of labelled photos in one of the {@link FolderLayout}s, detected from what is in it: the
 * JVM's answer to torchvision's {@code ImageFolder}. Files that are not images by their name
 * ({@code Thumbs.db}, notes) are kept aside, so a scan can report them.
 *
 * @param root       the folder given
 * @param layout     the layout detected
 * @param classNames the classes, sorted by name
 * @param photos     every labelled photo (for {@link FolderLayout#SPLIT_FOLDERS}, of all three splits)
 * @param presplit   the given split, for {@link FolderLayout#SPLIT_FOLDERS} only; empty otherwise
 * @param notImages  files whose names are not those of images
 */
public record PhotoFolder(Path root, FolderLayout layout, List<String> classNames, List<Photo> photos,
                          Map<PhotoSplit.Part, List<Photo>> presplit, List<Path> notImages) {

    private static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

    public PhotoFolder {
        classNames = List.copyOf(classNames);
        photos = List.copyOf(photos);
        presplit = Map.copyOf(presplit);
        notImages = List.copyOf(notImages);
    }

    /**
     * Reads {@code root}'s layout.
     *
     * @throws LabsException when it is not a folder, holds no photos, holds one class only, or is in
     *                       no layout this reads; the message says what was found
     */
    public static PhotoFolder open(Path root) {
        if (!Files.isDirectory(root)) {
            UserFiles.requireDirectory(root, "the folder of photos");
        }
        List<Path> folders = children(root, true);
        List<Path> splitFolders = folders.stream().filter(f -> splitPart(f) != null).toList();
        List<Path> loosePhotos = photosIn(root);
        List<Path> trainPhotos = photosIn(root.resolve("train"));
        PhotoFolder folder;
        if (!splitFolders.isEmpty() && splitFolders.stream().allMatch(f -> !children(f, true).isEmpty())) {
            folder = splitLayout(root, splitFolders);
        } else if (isKaggleNamed(loosePhotos)) {
            folder = kaggleLayout(root);
        } else if (loosePhotos.isEmpty() && isKaggleNamed(trainPhotos)) {
            folder = kaggleLayout(root.resolve("train"));
        } else if (loosePhotos.isEmpty() && folders.stream().anyMatch(f -> !photosIn(f).isEmpty())) {
            folder = classLayout(root, folders);
        } else {
            throw new LabsException("cannot read the layout of " + root + ": expected one folder per class (Cat/, Dog/),"
                    + " train/validation/test folders of class folders, or Kaggle's cat.1.jpg naming");
        }
        if (folder.photos().isEmpty()) {
            throw new LabsException(root + " holds no photos (.jpg, .jpeg, .png, .bmp, .gif)");
        }
        if (folder.classNames().size() < 2) {
            throw new LabsException(root + " holds photos of one class only (" + folder.classNames()
                    + "); a classifier needs at least two");
        }
        return folder;
    }

    /** One line for the console: where, which layout, how many photos of which classes. */
    public String describe() {
        return root + ": " + layout.description() + "; " + photos.size() + " photos of " + classNames;
    }

    /** Whether the file's name is that of a photo (.jpg, .jpeg, .png, .bmp, .gif, in any case). */
    private static boolean isImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static PhotoFolder classLayout(Path root, List<Path> folders) {
        List<Photo> photos = new ArrayList<>();
        List<Path> notImages = new ArrayList<>();
        Set<String> classes = new TreeSet<>();
        for (Path folder : folders) {
            String label = folder.getFileName().toString();
            for (Path file : children(folder, false)) {
                if (isImage(file)) {
                    photos.add(new Photo(file, label));
                    classes.add(label);
                } else {
                    notImages.add(file);
                }
            }
        }
        return new PhotoFolder(root, FolderLayout.CLASS_FOLDERS, List.copyOf(classes), photos, Map.of(), notImages);
    }

    private static PhotoFolder splitLayout(Path root, List<Path> splitFolders) {
        Map<PhotoSplit.Part, List<Photo>> presplit = new EnumMap<>(PhotoSplit.Part.class);
        List<Photo> all = new ArrayList<>();
        List<Path> notImages = new ArrayList<>();
        Set<String> classes = new TreeSet<>();
        for (Path splitFolder : splitFolders) {
            PhotoFolder part = classLayout(splitFolder, children(splitFolder, true));
            presplit.put(splitPart(splitFolder), part.photos());
            all.addAll(part.photos());
            notImages.addAll(part.notImages());
            classes.addAll(part.classNames());
        }
        for (PhotoSplit.Part needed : List.of(PhotoSplit.Part.TRAIN, PhotoSplit.Part.TEST)) {
            if (!presplit.containsKey(needed)) {
                throw new LabsException(root + " has split folders but no " + needed.folderName() + "/ folder");
            }
        }
        return new PhotoFolder(root, FolderLayout.SPLIT_FOLDERS, List.copyOf(classes), all, presplit, notImages);
    }

    private static PhotoFolder kaggleLayout(Path folder) {
        List<Photo> photos = new ArrayList<>();
        List<Path> notImages = new ArrayList<>();
        Set<String> classes = new TreeSet<>();
        for (Path file : children(folder, false)) {
            String label = kaggleLabel(file);
            if (isImage(file) && label != null) {
                photos.add(new Photo(file, label));
                classes.add(label);
            } else {
                notImages.add(file);
            }
        }
        return new PhotoFolder(folder, FolderLayout.KAGGLE_FLAT, List.copyOf(classes), photos, Map.of(), notImages);
    }

    /** {@code cat.123.jpg} is a cat; a name without two dots has no label. */
    private static String kaggleLabel(Path file) {
        String[] parts = file.getFileName().toString().split("\\.");
        return parts.length >= 3 && !parts[0].isEmpty() ? parts[0].toLowerCase(Locale.ROOT) : null;
    }

    private static boolean isKaggleNamed(List<Path> photos) {
        return !photos.isEmpty() && photos.stream().allMatch(f -> kaggleLabel(f) != null);
    }

    /** The photos named on a command line: files as they are, folders by their photos; none at all is an error. */
    public static List<Path> photosIn(List<Path> inputs) {
        List<Path> files = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                files.addAll(photosIn(input));
            } else if (Files.isRegularFile(input)) {
                files.add(input);
            } else {
                throw new LabsException(input + " does not exist");
            }
        }
        if (files.isEmpty()) {
            throw new LabsException("no photos in " + inputs);
        }
        return files;
    }

    /** The photos directly in {@code folder}, sorted by name; none when it is not a folder. */
    public static List<Path> photosIn(Path folder) {
        return Files.isDirectory(folder) ? children(folder, false).stream().filter(PhotoFolder::isImage).toList()
                : List.of();
    }

    private static PhotoSplit.Part splitPart(Path folder) {
        return switch (folder.getFileName().toString().toLowerCase(Locale.ROOT)) {
            case "train" -> PhotoSplit.Part.TRAIN;
            case "validation", "val", "valid" -> PhotoSplit.Part.VALIDATION;
            case "test" -> PhotoSplit.Part.TEST;
            default -> null;
        };
    }

    /** Sorted sub-folders, or sorted files, of {@code folder}; hidden entries are skipped. */
    private static List<Path> children(Path folder, boolean directories) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> directories ? Files.isDirectory(p) : Files.isRegularFile(p))
                    .sorted().toList();
        } catch (IOException e) {
            throw new LabsException("cannot list " + folder + ": " + IoErrors.reason(e), e);
        }
    }
}
