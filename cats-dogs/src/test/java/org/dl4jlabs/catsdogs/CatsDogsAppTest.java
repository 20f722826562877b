package org.dl4jlabs.catsdogs;

import org.dl4jlabs.common.cli.BadInputCorpus;
import org.dl4jlabs.common.cli.ConsoleRun;
import org.dl4jlabs.common.data.ImageClassData;
import org.dl4jlabs.common.data.cifar.CifarDataResolver;
import org.dl4jlabs.common.data.cifar.CifarFormat;
import org.dl4jlabs.common.data.cifar.GeneratedCifar;
import org.dl4jlabs.common.data.folder.GeneratedPets;
import org.dl4jlabs.common.data.folder.PhotoFolder;
import org.dl4jlabs.common.transfer.Pretraining;
import org.dl4jlabs.common.report.RunReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.dl4jlabs.common.cli.ConsoleRun.assertEveryHelpIsClean;
import static org.dl4jlabs.common.cli.ConsoleRun.assertRunFiles;
import static org.dl4jlabs.common.cli.ConsoleRun.assertUserError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The app end to end on generated photos, broken files included, at a small size. */
class CatsDogsAppTest {

    @TempDir
    static Path shared;
    static Path cache;
    static Path run;
    static ConsoleRun trained;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainOnce() {
        cache = shared.resolve("cache");
        run = shared.resolve("run");
        trained = ConsoleRun.of(new CatsDogsApp(), "train", "--data", "generated", "--cache-dir", cache.toString(),
                "--size", "48", "--epochs", "8", "--out", run.toString(), "--no-summary");
    }

    @TestFactory
    Stream<DynamicTest> badInputsAreRefusedInOneLineAndWriteNothing() {
        return BadInputCorpus.cases(getClass(), CatsDogsApp::new, dir, Map.of("model", run.resolve("model.zip"), "train-run", run,
                "cache", cache));
    }

    @Test
    void everyCommandPrintsItsHelp() {
        assertEveryHelpIsClean(new CatsDogsApp());
    }

    @Test
    void trainSkipsTheBrokenFilesAndReportsBinaryMetrics() {
        assertEquals(0, trained.exitCode(), trained.err());
        assertRunFiles(run);
        RunReport report = RunReport.read(run.resolve("report.json"));
        assertEquals(402, report.examplesTrain(), "half of the 402 usable photos of each class: 400 drawn, a greyscale and a CMYK one");
        List<?> skipped = (List<?>) report.extra().get("skipped_files");
        assertEquals(2 * (GeneratedPets.BROKEN_PER_CLASS + 1), skipped.size(), "three broken files and a Thumbs.db per class");
        Map<?, ?> binary = (Map<?, ?>) report.extra().get("binary");
        double auc = ((Number) binary.get("auc")).doubleValue();
        assertTrue(auc > 0.7, "the CNN tells the drawn cats from the dogs: AUC " + auc);
        assertTrue(trained.err().contains("skipped 8 files"), trained.err());
        assertEquals(Map.of("greyscale", 2, "cmyk", 2), report.extra().get("converted_to_rgb"),
                "a greyscale and a CMYK photo per class, converted rather than skipped");
        String html = assertDoesNotThrowRead(run.resolve("report.html"));
        assertTrue(html.contains("ROC curve") && html.contains("Skipped files (8)"), "the report's sections");
    }

    @Test
    void aLinearModelDoesClearlyWorseThanTheCnn() {
        Path linearRun = dir.resolve("linear");
        ConsoleRun linear = ConsoleRun.of(new CatsDogsApp(), "train", "--data", "generated", "--cache-dir",
                cache.toString(), "--size", "48", "--epochs", "8", "--model", "linear", "--out", linearRun.toString(),
                "--no-summary");
        assertEquals(0, linear.exitCode(), linear.err());
        double cnn = auc(run);
        double pixels = auc(linearRun);
        assertTrue(cnn > pixels + 0.1, "CNN AUC " + cnn + " against the linear model's " + pixels);
    }

    @Test
    void predictPrintsTheProbabilityOfADogAndWritesKagglesSubmission() throws IOException {
        Path photos = Path.of(cache.toString(), "generated-pets");
        Path folder;
        try (var versions = Files.list(photos)) {
            folder = versions.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        ConsoleRun predicted = ConsoleRun.of(new CatsDogsApp(), "predict", "--model", run.resolve("model.zip").toString(),
                folder.resolve("Cat/0.jpg").toString(), folder.resolve("Dog/9.png").toString());
        assertEquals(0, predicted.exitCode(), predicted.err());
        List<String> lines = predicted.out().lines().toList();
        assertEquals(2, lines.size(), predicted.out());
        assertTrue(lines.get(0).contains("P(dog)="), lines.get(0));

        Path test1 = Files.createDirectories(dir.resolve("test1"));
        Files.copy(folder.resolve("Cat/1.jpg"), test1.resolve("10.jpg"));
        Files.copy(folder.resolve("Dog/1.jpg"), test1.resolve("2.jpg"));
        Files.copy(folder.resolve("Dog/19.png"), test1.resolve("1.png"));
        Path csv = dir.resolve("submission.csv");
        ConsoleRun kaggle = ConsoleRun.of(new CatsDogsApp(), "predict", "--model", run.resolve("model.zip").toString(),
                "--kaggle", test1.toString(), "--csv", csv.toString());
        assertEquals(0, kaggle.exitCode(), kaggle.err());
        List<String> rows = Files.readAllLines(csv);
        assertEquals("id,label", rows.get(0));
        assertEquals(List.of("1", "2", "10"), rows.subList(1, 4).stream().map(r -> r.split(",")[0]).toList());
        rows.subList(1, 4).forEach(r -> {
            double p = Double.parseDouble(r.split(",")[1]);
            assertTrue(p >= 0 && p <= 1, r);
        });
    }

    @Test
    void badInputIsOneErrorLineAndNothingIsWritten() throws IOException {
        Path text = Files.writeString(dir.resolve("photo.jpg"), "not a photo");
        assertUserError(ConsoleRun.of(new CatsDogsApp(), "predict", "--model", run.resolve("model.zip").toString(),
                text.toString()), "is damaged or not an image this program can read");
        Path oneClass = Files.createDirectories(dir.resolve("cats/Cat"));
        Files.copy(text, oneClass.resolve("a.png"));
        assertUserError(ConsoleRun.of(new CatsDogsApp(), "train", "--data", dir.resolve("cats").toString(),
                "--out", dir.resolve("out").toString()), "one class only");
        assertFalse(Files.exists(dir.resolve("out").resolve("model.zip")));
        assertUserError(ConsoleRun.of(new CatsDogsApp(), "train", "--data", "generated", "--cache-dir",
                cache.toString(), "--size", "12", "--out", dir.resolve("small").toString()), "too small");
        assertUserError(ConsoleRun.of(new CatsDogsApp(), "predict", "--model", dir.resolve("none.zip").toString(),
                text.toString()), "none.zip does not exist");
        assertUserError(ConsoleRun.of(new CatsDogsApp(), "train", "--pretrained", "resnet50", "--out",
                dir.resolve("pretrained").toString()), "unknown --pretrained network 'resnet50'");
        assertFalse(Files.exists(dir.resolve("pretrained").resolve("model.zip")));
    }

    @Test
    void pretrainedVgg16TrainsAHeadOnTheFrozenBaseAndPredictsWithIt() throws IOException {
        // A small self-pretrained base stands in for ImageNet's, which cannot be downloaded here.
        Path vggCache = dir.resolve("vgg-cache");
        Path base = vggCache.resolve("vgg16-self").resolve("vgg16-quarter-generated-shapes-v1.h5");
        ImageClassData shapes = CifarDataResolver.inCache(vggCache, CifarFormat.CIFAR10, CifarFormat.Labels.FINE)
                .withGenerated(new GeneratedCifar.Spec(2000, 200, 3)).generated();
        Pretraining.pretrain(shapes, 2, 32, 3, base);
        Path vggRun = dir.resolve("vgg16");

        ConsoleRun pretrained = ConsoleRun.of(new CatsDogsApp(), "train", "--pretrained", "vgg16", "--data",
                "generated", "--cache-dir", vggCache.toString(), "--size", "64", "--epochs", "5",
                "--out", vggRun.toString(), "--no-summary");

        assertEquals(0, pretrained.exitCode(), pretrained.err());
        assertTrue(pretrained.err().contains("self-pretrained"), pretrained.err());
        assertEquals("vgg16", RunReport.read(vggRun.resolve("report.json")).config().get("model"));
        Path photo = PhotoFolder.photosIn(GeneratedPets.folder(vggCache, GeneratedPets.Spec.DEFAULT).resolve("Dog")).get(0);
        ConsoleRun predicted = ConsoleRun.of(new CatsDogsApp(), "predict", "--model",
                vggRun.resolve("model.zip").toString(), photo.toString());
        assertEquals(0, predicted.exitCode(), predicted.err());
        assertTrue(predicted.out().contains("P(dog)="), predicted.out());
    }

    private static double auc(Path runDirectory) {
        Map<?, ?> binary = (Map<?, ?>) RunReport.read(runDirectory.resolve("report.json")).extra().get("binary");
        return ((Number) binary.get("auc")).doubleValue();
    }

    private static String assertDoesNotThrowRead(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
