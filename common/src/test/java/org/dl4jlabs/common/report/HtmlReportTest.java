package org.dl4jlabs.common.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

class HtmlReportTest {

    private static final Pattern EMBEDDED_PNG =
            Pattern.compile("<img width=\"(\\d+)\" height=\"(\\d+)\" alt=\"[^\"]*\" src=\"data:image/png;base64,([^\"]+)\">");

    @Test
    void headerShowsTheRunAndItsKeyMetrics() {
        String html = new HtmlReport(RunReportTest.sampleReport(OptionalDouble.of(0.75)))
                .addHeadline("PSNR", "24.1 dB")
                .toHtml();

        assertTrue(html.contains("<h1>Dataset: MNIST</h1>"), "the dataset actually used is the page heading");
        assertTrue(html.contains("mnist-mlp &middot; train"));
        assertTrue(html.contains("CPU (oneDNN), 2 threads"));
        assertTrue(html.contains("<dt>Seed</dt><dd>42</dd>"));
        assertTrue(html.contains("50.00 %"), "accuracy");
        assertTrue(html.contains("75.00 %"), "top-5 accuracy");
        assertTrue(html.contains("24.1 dB"), "an app's own headline");
        assertTrue(html.contains("<td>learning_rate</td><td>0.001</td>"), "settings");
    }

    @Test
    void everySectionIsThereWithItsImagesEmbeddedAsValidPngs() throws IOException {
        XYChart chart = new XYChartBuilder().width(400).height(300).build();
        chart.addSeries("line", new double[] {1, 2, 3}, new double[] {3, 1, 2});
        BufferedImage picture = new BufferedImage(30, 20, BufferedImage.TYPE_INT_RGB);
        BufferedImage thumbnail = new BufferedImage(12, 12, BufferedImage.TYPE_INT_RGB);

        String html = new HtmlReport(RunReportTest.sampleReport(OptionalDouble.empty()))
                .addChart("A chart", chart)
                .addImage("A picture", picture, "its caption")
                .addGallery("A gallery", List.of(new HtmlReport.Figure(thumbnail, "one"),
                        new HtmlReport.Figure(thumbnail, "two")), null)
                .addTable("A table", List.of("name", "value"), List.of(List.of("pi", 3.14159), List.of("n", 12345)))
                .addParagraph("Notes", "First paragraph.\n\nSecond <paragraph>.")
                .toHtml();

        for (String title : List.of("A chart", "A picture", "A gallery", "A table", "Notes")) {
            assertTrue(html.contains("<h2>" + title + "</h2>"), title);
            assertTrue(html.contains(">" + title + "</a>"), title + " in the contents");
        }
        assertTrue(html.contains("<figcaption>its caption</figcaption>"));
        assertTrue(html.contains("<td class=\"num\">3.1416</td>"));
        assertTrue(html.contains("<td class=\"num\">12,345</td>"));
        assertTrue(html.contains("<p>Second &lt;paragraph&gt;.</p>"), "text is escaped");
        assertFalse(html.contains("<script"), "the page runs no code");

        List<BufferedImage> images = embeddedImages(html);
        assertEquals(4, images.size());
        assertSize(images.get(0), 400, 300);
        assertSize(images.get(1), 30, 20);
        assertSize(images.get(2), 12, 12);
    }

    @Test
    void classificationSectionsAddChartsTableAndMistakes() throws IOException {
        SampleRun run = SampleRun.digits();
        HtmlReport page = new HtmlReport(run.report);

        ClassificationSections.addAll(page, run.result, run.history, run.testSet.getFeatures(), run.shape);
        String html = page.toHtml();

        for (String title : List.of("Loss per epoch", "Test accuracy per epoch", "Confusion matrix",
                "Precision, recall and F1 per class", "Per-class metrics", "Most confident mistakes")) {
            assertTrue(html.contains("<h2>" + title + "</h2>"), title);
        }
        assertTrue(html.contains("<td>Macro average</td>"));
        List<BufferedImage> images = embeddedImages(html);
        assertEquals(4 + run.result.misclassified().size(), images.size(), "four charts, then the mistakes");
        assertSize(images.get(images.size() - 1), 28 * 3, 28 * 3);
    }

    /** Decodes every embedded PNG and checks that it has the size its tag claims. */
    static List<BufferedImage> embeddedImages(String html) throws IOException {
        List<BufferedImage> images = new ArrayList<>();
        Matcher img = EMBEDDED_PNG.matcher(html);
        while (img.find()) {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(img.group(3))));
            assertNotNull(image, "not a readable PNG");
            assertSize(image, Integer.parseInt(img.group(1)), Integer.parseInt(img.group(2)));
            images.add(image);
        }
        return images;
    }

    private static void assertSize(BufferedImage image, int width, int height) {
        assertEquals(width + " x " + height, image.getWidth() + " x " + image.getHeight());
    }
}
