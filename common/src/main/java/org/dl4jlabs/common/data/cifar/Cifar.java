package org.dl4jlabs.common.data.cifar;

import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.ImageClassData;
import org.dl4jlabs.common.data.cifar.CifarFormat.Labels;
import org.dl4jlabs.common.data.download.Checksum;
import org.dl4jlabs.common.data.download.RemoteFile;
import org.dl4jlabs.common.io.IoErrors;
import org.dl4jlabs.common.io.UserFiles;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * CIFAR-10 and CIFAR-100 in their binary version: where the files are, how they are named inside the
 * authors' archives, and loading a directory of them through {@link CifarRecordReader}.
 */
public final class Cifar {

    /** The dataset authors' site. */
    public static final URI SITE = URI.create("https://www.cs.toronto.edu/~kriz/");

    /** CIFAR-10's class names, used when {@code batches.meta.txt} is missing. */
    public static final List<String> CIFAR10_CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer",
            "dog", "frog", "horse", "ship", "truck");

    private Cifar() {
    }

    /** Everything that tells the two data sets apart on disk. */
    public record Layout(CifarFormat format, String archive, Checksum archiveChecksum, String directory,
                         List<String> trainFiles, List<String> testFiles, String fineNames, String coarseNames) {

        /** Every file of the archive this app uses, relative to the archive's root. */
        public List<String> members() {
            List<String> members = new ArrayList<>();
            for (String file : trainFiles) {
                members.add(directory + "/" + file);
            }
            for (String file : testFiles) {
                members.add(directory + "/" + file);
            }
            members.add(directory + "/" + fineNames);
            if (coarseNames != null) {
                members.add(directory + "/" + coarseNames);
            }
            return members;
        }

        /** The archive, fetched from {@code mirrors} (base addresses, like {@link #SITE}). */
        public RemoteFile remoteFile(List<URI> mirrors) {
            return new RemoteFile(archive, mirrors.stream().map(base -> base.resolve(archive)).toList(), archiveChecksum);
        }
    }

    public static final Layout CIFAR10 = new Layout(CifarFormat.CIFAR10, "cifar-10-binary.tar.gz",
            Checksum.md5("c32a1d4ab5d03f1284b67883e8d87530"), "cifar-10-batches-bin",
            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"),
            List.of("test_batch.bin"), "batches.meta.txt", null);

    public static final Layout CIFAR100 = new Layout(CifarFormat.CIFAR100, "cifar-100-binary.tar.gz",
            Checksum.md5("03b5dce01913d631647c71ecec9e9cb8"), "cifar-100-binary",
            List.of("train.bin"), List.of("test.bin"), "fine_label_names.txt", "coarse_label_names.txt");

    public static Layout layout(CifarFormat format) {
        return format == CifarFormat.CIFAR10 ? CIFAR10 : CIFAR100;
    }

    /**
     * Loads a directory holding a data set's files, either directly or in the sub-directory the
     * authors' archive unpacks to ({@code cifar-10-batches-bin} or {@code cifar-100-binary}).
     *
     * @param name what reports call the data, e.g. "cifar10"
     */
    public static ImageClassData load(Path directory, CifarFormat format, Labels labels, String name) {
        Layout layout = layout(format);
        Path files = Files.isDirectory(directory.resolve(layout.directory()))
                ? directory.resolve(layout.directory()) : directory;
        UserFiles.requireDirectory(directory, "the data directory");
        List<String> missing = new ArrayList<>();
        for (String file : concat(layout.trainFiles(), layout.testFiles())) {
            if (!Files.isRegularFile(files.resolve(file))) {
                missing.add(file);
            }
        }
        if (!missing.isEmpty()) {
            throw new LabsException(directory + " is not a " + format.displayName() + " directory: " + missing
                    + (missing.size() == 1 ? " is" : " are") + " missing. It needs " + concat(layout.trainFiles(),
                    layout.testFiles()) + ", as in " + layout.archive() + " from " + SITE + ".");
        }
        List<String> classNames = classNames(files, layout, labels);
        DataSet train = readAll(files, layout.trainFiles(), format, labels, classNames);
        DataSet test = readAll(files, layout.testFiles(), format, labels, classNames);
        return new ImageClassData(name, files.toString(), train, test, classNames, CifarFormat.SIDE, CifarFormat.SIDE,
                CifarFormat.CHANNELS);
    }

    /** The names in the meta file when it is there and complete, else CIFAR-10's names or "class 0", ... */
    static List<String> classNames(Path files, Layout layout, Labels labels) {
        int classes = layout.format().classes(labels);
        String metaFile = labels == Labels.COARSE ? layout.coarseNames() : layout.fineNames();
        Path meta = files.resolve(metaFile);
        if (Files.isRegularFile(meta)) {
            try {
                List<String> names = Files.readAllLines(meta, StandardCharsets.UTF_8).stream()
                        .map(String::strip).filter(line -> !line.isEmpty()).toList();
                if (names.size() == classes) {
                    return names;
                }
                throw new LabsException(meta + " names " + names.size() + " classes, but " + layout.format()
                        .displayName() + " has " + classes + ". Remove it to use numbered classes, or fix it.");
            } catch (MalformedInputException e) {
                throw new LabsException(UserFiles.notUtf8(meta) + "; it should hold one class name per line: save it as UTF-8, or"
                        + " remove it to use " + (layout.format() == CifarFormat.CIFAR10 ? "CIFAR-10's names" : "numbered classes"), e);
            } catch (IOException e) {
                throw new LabsException("could not read " + meta + ": " + IoErrors.reason(e), e);
            }
        }
        if (layout.format() == CifarFormat.CIFAR10) {
            return CIFAR10_CLASSES;
        }
        return IntStream.range(0, classes).mapToObj(i -> "class " + i).toList();
    }

    private static DataSet readAll(Path files, List<String> names, CifarFormat format, Labels labels,
                                   List<String> classNames) {
        CifarRecordReader reader = new CifarRecordReader(format, labels, classNames);
        reader.initialize(names.stream().map(files::resolve).toList());
        // One batch holding everything: the data set lives in memory as a whole.
        var iterator = new RecordReaderDataSetIterator(reader, reader.count(), 1, classNames.size());
        DataSet all = iterator.next();
        all.setLabelNames(classNames);
        return all;
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
