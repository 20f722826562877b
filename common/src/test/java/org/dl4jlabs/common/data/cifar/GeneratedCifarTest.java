package org.dl4jlabs.common.data.cifar;

import org.dl4jlabs.common.data.ImageClassData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratedCifarTest {

    @TempDir
    Path cache;

    @Test
    void writesCifar10FilesReadBackThroughTheReader() throws Exception {
        GeneratedCifar.Spec spec = new GeneratedCifar.Spec(100, 30, 5);
        ImageClassData data = GeneratedCifar.load(cache, spec);
        assertEquals(GeneratedCifar.NAME, data.name());
        assertEquals(GeneratedCifar.CLASSES, data.classNames());
        assertEquals(100, data.train().numExamples());
        assertEquals(30, data.test().numExamples());
        assertEquals(3 * 32 * 32, data.train().getFeatures().size(1));
        double[] perClass = data.train().getLabels().sum(0).toDoubleVector();
        for (double count : perClass) {
            assertEquals(10, count); // every class equally often
        }
        Path test = cache.resolve(GeneratedCifar.NAME).resolve(spec.directoryName()).resolve("test_batch.bin");
        assertEquals(30L * CifarFormat.CIFAR10.recordLength(), Files.size(test));
    }

    @Test
    void sameSeedSameImagesAndTheyVary() {
        assertArrayEquals(GeneratedCifar.draw(3, new Random(1)), GeneratedCifar.draw(3, new Random(1)));
        assertFalse(java.util.Arrays.equals(GeneratedCifar.draw(3, new Random(1)), GeneratedCifar.draw(3, new Random(2))));
    }

    @Test
    void imagesAreColourfulNotFlat() {
        DataSet train = GeneratedCifar.load(cache, new GeneratedCifar.Spec(20, 5, 1)).train();
        double std = train.getFeatures().stdNumber().doubleValue();
        assertTrue(std > 0.1, "pixel spread " + std);
        // the three channel planes differ: colour, not gray
        var row = train.getFeatures().getRow(0);
        assertFalse(row.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1024))
                .equalsWithEps(row.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1024, 2048)), 1e-3));
    }
}
