package org.dl4jlabs.common.data.cifar;

import org.datavec.api.writable.IntWritable;
import org.datavec.api.writable.NDArrayWritable;
import org.datavec.api.writable.Writable;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.ImageClassData;
import org.dl4jlabs.common.data.cifar.CifarFormat.Labels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CIFAR reader on small files written here in the real binary layouts. */
class CifarRecordReaderTest {

    private static final List<String> HUNDRED = IntStream.range(0, 100).mapToObj(i -> "fine" + i).toList();
    private static final List<String> TWENTY = IntStream.range(0, 20).mapToObj(i -> "coarse" + i).toList();

    @TempDir
    Path dir;

    /** Record i: label bytes, then pixel p of the image = (i + p) mod 256. */
    private static byte[] records(int count, int... labelBytesPerRecord) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int labelBytes = labelBytesPerRecord.length / count;
        for (int i = 0; i < count; i++) {
            for (int b = 0; b < labelBytes; b++) {
                out.write(labelBytesPerRecord[i * labelBytes + b]);
            }
            for (int p = 0; p < CifarFormat.PIXELS; p++) {
                out.write((i + p) & 0xFF);
            }
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    @Test
    void readsCifar10RecordsAsScaledPlanesAndLabels() throws IOException {
        Path file = write("data_batch_1.bin", records(3, 7, 0, 9));
        CifarRecordReader reader = new CifarRecordReader(CifarFormat.CIFAR10, Labels.FINE, Cifar.CIFAR10_CLASSES);
        reader.initialize(List.of(file));
        assertEquals(3, reader.count());
        List<Writable> first = reader.next();
        INDArray pixels = ((NDArrayWritable) first.get(0)).get();
        assertEquals(CifarFormat.PIXELS, pixels.length());
        assertEquals(0f, pixels.getFloat(0), 0);
        assertEquals(255 / 255f, pixels.getFloat(255), 1e-6);
        assertEquals(1024 % 256 / 255f, pixels.getFloat(1024), 1e-6); // first green value
        assertEquals(7, ((IntWritable) first.get(1)).get());
        assertEquals(0, ((IntWritable) reader.next().get(1)).get());
        List<Writable> third = reader.next();
        assertEquals(9, ((IntWritable) third.get(1)).get());
        assertEquals(2 / 255f, ((NDArrayWritable) third.get(0)).get().getFloat(0), 1e-6);
        assertFalse(reader.hasNext());
    }

    @Test
    void feedsDataVecIteratorsAcrossSeveralFiles() throws IOException {
        Path one = write("a.bin", records(2, 1, 2));
        Path two = write("b.bin", records(1, 3));
        CifarRecordReader reader = new CifarRecordReader(CifarFormat.CIFAR10, Labels.FINE, Cifar.CIFAR10_CLASSES);
        reader.initialize(List.of(one, two));
        DataSet all = new RecordReaderDataSetIterator(reader, 10, 1, 10).next();
        assertEquals(3, all.numExamples());
        assertEquals(CifarFormat.PIXELS, all.getFeatures().size(1));
        assertEquals(List.of(1, 2, 3), IntStream.range(0, 3).map(i -> all.getLabels().getRow(i).argMax().getInt(0))
                .boxed().toList());
    }

    @Test
    void cifar100GivesFineOrCoarseLabels() throws IOException {
        Path file = write("train.bin", records(2, 4, 42, 19, 99));
        CifarRecordReader fine = new CifarRecordReader(CifarFormat.CIFAR100, Labels.FINE, HUNDRED);
        fine.initialize(List.of(file));
        assertEquals(42, ((IntWritable) fine.next().get(1)).get());
        assertEquals(99, ((IntWritable) fine.next().get(1)).get());
        CifarRecordReader coarse = new CifarRecordReader(CifarFormat.CIFAR100, Labels.COARSE, TWENTY);
        coarse.initialize(List.of(file));
        List<Writable> first = coarse.next();
        assertEquals(4, ((IntWritable) first.get(1)).get());
        assertEquals(0f, ((NDArrayWritable) first.get(0)).get().getFloat(0), 0); // pixels start after both label bytes
        assertEquals(19, ((IntWritable) coarse.next().get(1)).get());
    }

    @Test
    void refusesATruncatedFile() throws IOException {
        byte[] whole = records(2, 1, 2);
        Path file = write("cut.bin", java.util.Arrays.copyOf(whole, whole.length - 100));
        CifarRecordReader reader = new CifarRecordReader(CifarFormat.CIFAR10, Labels.FINE, Cifar.CIFAR10_CLASSES);
        LabsException e = assertThrows(LabsException.class, () -> reader.initialize(List.of(file)));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("3073"), e.getMessage());
    }

    @Test
    void recognisesCifar100PassedAsCifar10AndTheReverse() throws IOException {
        Path hundred = write("train.bin", records(3, 1, 2, 3, 4, 5, 6));
        LabsException e = assertThrows(LabsException.class, () -> new CifarRecordReader(CifarFormat.CIFAR10,
                Labels.FINE, Cifar.CIFAR10_CLASSES).initialize(List.of(hundred)));
        assertTrue(e.getMessage().contains("looks like a CIFAR-100 file") && e.getMessage().contains("--dataset cifar100"),
                e.getMessage());
        Path ten = write("data_batch_1.bin", records(3, 1, 2, 3));
        LabsException reverse = assertThrows(LabsException.class, () -> new CifarRecordReader(CifarFormat.CIFAR100,
                Labels.FINE, HUNDRED).initialize(List.of(ten)));
        assertTrue(reverse.getMessage().contains("looks like a CIFAR-10 file"), reverse.getMessage());
    }

    @Test
    void refusesEmptyFilesNoFilesAndLabelsOutOfRange() throws IOException {
        Path empty = write("empty.bin", new byte[0]);
        CifarRecordReader reader = new CifarRecordReader(CifarFormat.CIFAR10, Labels.FINE, Cifar.CIFAR10_CLASSES);
        assertTrue(assertThrows(LabsException.class, () -> reader.initialize(List.of(empty))).getMessage()
                .contains("is empty"));
        assertThrows(LabsException.class, () -> reader.initialize(List.<Path>of()));
        Path badLabel = write("bad.bin", records(1, 12));
        reader.initialize(List.of(badLabel));
        LabsException e = assertThrows(LabsException.class, reader::next);
        assertTrue(e.getMessage().contains("label 12"), e.getMessage());
        assertThrows(LabsException.class, () -> new CifarRecordReader(CifarFormat.CIFAR10, Labels.COARSE, TWENTY));
    }

    @Test
    void aLabelOutOfRangeIsBlamedOnItsOwnFileAndRecord() throws IOException {
        Path first = write("data_batch_1.bin", records(3, 1, 2, 3));
        Path second = write("data_batch_2.bin", records(4, 4, 5, 200, 6));
        CifarRecordReader reader = new CifarRecordReader(CifarFormat.CIFAR10, Labels.FINE, Cifar.CIFAR10_CLASSES);
        reader.initialize(List.of(first, second));
        LabsException e = assertThrows(LabsException.class, () -> {
            while (reader.hasNext()) {
                reader.next();
            }
        });
        assertTrue(e.getMessage().startsWith(second.toUri() + " has label 200 at record 2 (counting from 0)"),
                e.getMessage());
    }

    @Test
    void loadsADirectoryWithClassNamesFromTheMetaFile() throws IOException {
        for (String name : Cifar.CIFAR100.trainFiles()) {
            write(name, records(2, 1, 10, 2, 20));
        }
        write("test.bin", records(1, 3, 30));
        Files.writeString(dir.resolve("coarse_label_names.txt"),
                String.join("\n", TWENTY.stream().map(n -> n.toUpperCase()).toList()) + "\n\n");
        ImageClassData coarse = Cifar.load(dir, CifarFormat.CIFAR100, Labels.COARSE, "tiny");
        assertEquals("COARSE0", coarse.classNames().get(0));
        assertEquals(2, coarse.train().numExamples());
        assertEquals(1, coarse.test().numExamples());
        assertEquals(3, coarse.test().getLabels().argMax(1).getInt(0));
        ImageClassData fine = Cifar.load(dir, CifarFormat.CIFAR100, Labels.FINE, "tiny");
        assertEquals("class 0", fine.classNames().get(0)); // no fine_label_names.txt
        assertEquals(30, fine.test().getLabels().argMax(1).getInt(0));
        assertEquals(32, fine.height());
        assertEquals(3, fine.channels());
    }

    @Test
    void anEmptyDirectorySaysWhatIsMissing() {
        LabsException e = assertThrows(LabsException.class,
                () -> Cifar.load(dir, CifarFormat.CIFAR10, Labels.FINE, "empty"));
        assertTrue(e.getMessage().contains("data_batch_1.bin") && e.getMessage().contains("cifar-10-binary.tar.gz"),
                e.getMessage());
    }
}
