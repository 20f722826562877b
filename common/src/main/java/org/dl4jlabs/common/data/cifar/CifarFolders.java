package org.dl4jlabs.common.data.cifar;

import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.ImageClassData;
import org.dl4jlabs.common.data.folder.FolderLayout;
import org.dl4jlabs.common.data.folder.PhotoFolder;
import org.dl4jlabs.common.data.folder.PhotoLoader;
import org.dl4jlabs.common.data.folder.PhotoSplit.Part;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * CIFAR as image files, the layout of the many PNG and JPEG copies: {@code train/<class>/*.png} and
 * {@code test/<class>/*.png}, possibly inside one top folder as a plain {@code tar xzf} leaves it.
 * Read through the cats-dogs folder reader ({@link PhotoFolder}) and resized to 32x32 if needed.
 */
public final class CifarFolders {

    private static final Logger log = LoggerFactory.getLogger(CifarFolders.class);
    private static final int SIDE = 32;

    private CifarFolders() {
    }

    /** {@code directory} or its only subfolder when it holds {@code train/} and {@code test/}; else null. */
    static Path findIn(Path directory) {
        if (isSplit(directory)) {
            return directory;
        }
        try (Stream<Path> children = Files.list(directory)) {
            List<Path> folders = children.filter(Files::isDirectory).toList();
            return folders.size() == 1 && isSplit(folders.get(0)) ? folders.get(0) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isSplit(Path directory) {
        return Files.isDirectory(directory.resolve("train")) && Files.isDirectory(directory.resolve("test"));
    }

    /**
     * Loads the train and test images as CIFAR's binary files give them: a row per image of three
     * channel planes of 32x32 values in 0..1, labels in the order of the sorted class folder names (CIFAR-10's own order).
     */
    static ImageClassData load(Path root, CifarFormat format, String name) {
        PhotoFolder folder = PhotoFolder.open(root);
        if (folder.layout() != FolderLayout.SPLIT_FOLDERS) {
            throw new LabsException(root + " is not in train/<class>/ and test/<class>/ folders");
        }
        int classes = format.classes(CifarFormat.Labels.FINE);
        if (folder.classNames().size() != classes) {
            throw new LabsException(root + " has " + folder.classNames().size() + " class folders, but "
                    + format.displayName() + " has " + classes + ": " + folder.classNames());
        }
        log.info("reading {}", folder.describe());
        PhotoLoader loader = new PhotoLoader(SIDE, PhotoLoader.Resize.SQUASH);
        DataSet train = loader.load(folder.presplit().get(Part.TRAIN), folder.classNames());
        DataSet test = loader.load(folder.presplit().get(Part.TEST), folder.classNames());
        return new ImageClassData(name, root.toAbsolutePath().toString(), train, test, folder.classNames(), SIDE, SIDE,
                3);
    }
}
