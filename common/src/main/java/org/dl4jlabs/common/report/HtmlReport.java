package org.dl4jlabs.common.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

import org.dl4jlabs.common.report.RunReport.ClassifierMetrics;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Builds {@code report.html}: one self-contained page (styles inline, images embedded as PNG data
 * URIs) that can be mailed or uploaded as is. The header summarizes the {@link RunReport}; below
 * it come the sections the app adds, in order, each with a title and a link from the contents.
 */
public final class HtmlReport {

    static {
        Headless.unlessChosen();
    }

    /** An image with a caption, one cell of {@link #addGallery}. */
    public record Figure(BufferedImage image, String caption) {
    }

    private record Section(String title, String body) {
    }

    private final RunReport run;
    private final Map<String, String> headline = new LinkedHashMap<>();
    private final List<Section> sections = new ArrayList<>();

    /** Starts a page for {@code run}; a classifier's accuracy and F1 go into the headline. */
    public HtmlReport(RunReport run) {
        this.run = run;
        ClassifierMetrics metrics = run.metrics();
        if (metrics != null) {
            addHeadline("Accuracy", percent(metrics.accuracy()));
            if (metrics.top5Accuracy() != null) {
                addHeadline("Top-5 accuracy", percent(metrics.top5Accuracy()));
            }
            addHeadline("Macro F1", format(metrics.f1()));
        }
    }

    /** Shows a key result in large type at the top, e.g. ("PSNR", "24.1 dB"). */
    public HtmlReport addHeadline(String label, String value) {
        headline.put(label, value);
        return this;
    }

    public HtmlReport addChart(String title, Chart<?, ?> chart) {
        return addChart(title, chart, null);
    }

    /** Draws {@code chart} at its own size; {@code caption} (may be null) explains how to read it. */
    public HtmlReport addChart(String title, Chart<?, ?> chart, String caption) {
        return addImage(title, BitmapEncoder.getBufferedImage(chart), caption);
    }

    /** {@code caption} may be null. */
    public HtmlReport addImage(String title, BufferedImage image, String caption) {
        return addSection(title, figure(img(png(image), image.getWidth(), image.getHeight(), title), caption));
    }

    /**
     * Lays out captioned images in a grid that wraps to the window, e.g. examples and their
     * labels. {@code caption} (may be null) explains the grid as a whole.
     */
    public HtmlReport addGallery(String title, List<Figure> figures, String caption) {
        StringBuilder grid = new StringBuilder("<div class=\"gallery\">\n");
        for (Figure f : figures) {
            grid.append(figure(img(png(f.image()), f.image().getWidth(), f.image().getHeight(), f.caption()),
                    f.caption()));
        }
        return addSection(title, figure(grid.append("</div>\n").toString(), caption));
    }

    /**
     * Adds a table. Cells are written with {@link String#valueOf}, except fractional numbers,
     * which get four decimals, and whole numbers, which get thousands separators; numbers are
     * right-aligned.
     */
    public HtmlReport addTable(String title, List<String> headers, List<? extends List<?>> rows) {
        return addSection(title, table(headers, rows));
    }

    /** Adds text; blank lines separate paragraphs. */
    public HtmlReport addParagraph(String title, String text) {
        StringBuilder body = new StringBuilder();
        for (String paragraph : text.strip().split("\\n\\s*\\n")) {
            body.append("<p>").append(escape(paragraph)).append("</p>\n");
        }
        return addSection(title, body.toString());
    }

    private HtmlReport addSection(String title, String body) {
        sections.add(new Section(title, body));
        return this;
    }

    /** The whole page. */
    public String toHtml() {
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(escape(run.app() + " " + run.command() + " on " + run.dataset()))
                .append("</title>\n<style>").append(STYLE).append("</style>\n</head>\n<body>\n<main>\n");
        header(html);
        contents(html);
        for (int i = 0; i < sections.size(); i++) {
            Section section = sections.get(i);
            html.append("<section id=\"").append(anchor(i)).append("\">\n<h2>").append(escape(section.title()))
                    .append("</h2>\n").append(section.body()).append("</section>\n");
        }
        return html.append("</main>\n</body>\n</html>\n").toString();
    }

    private void header(StringBuilder html) {
        html.append("<header>\n<p class=\"app\">").append(escape(run.app())).append(" &middot; ")
                .append(escape(run.command())).append("</p>\n")
                .append("<h1>Dataset: ").append(escape(run.dataset())).append("</h1>\n")
                .append("<p class=\"sizes\">").append(format(run.examplesTrain())).append(" training examples, ")
                .append(format(run.examplesTest())).append(" test examples</p>\n");

        if (!headline.isEmpty()) {
            html.append("<div class=\"tiles\">\n");
            headline.forEach((label, value) -> html.append("<div class=\"tile\"><span class=\"value\">")
                    .append(escape(value)).append("</span><span class=\"label\">").append(escape(label))
                    .append("</span></div>\n"));
            html.append("</div>\n");
        }

        html.append("<dl class=\"facts\">\n");
        fact(html, "Backend", run.backend().toString());
        fact(html, "Seed", Long.toString(run.seed()));
        fact(html, "Epochs", Integer.toString(run.epochs()));
        fact(html, "Training time", String.format(Locale.ROOT, "%.1f s", run.trainSeconds()));
        fact(html, "Throughput", format(Math.round(run.examplesPerSecond())) + " examples/s");
        fact(html, "Created", run.created());
        html.append("</dl>\n");

        if (!run.config().isEmpty()) {
            List<List<?>> rows = new ArrayList<>();
            run.config().forEach((option, value) -> rows.add(List.of(option, String.valueOf(value))));
            html.append("<details class=\"config\" open>\n<summary>Settings</summary>\n")
                    .append(table(List.of("Option", "Value"), rows)).append("</details>\n");
        }
        html.append("</header>\n");
    }

    private static void fact(StringBuilder html, String name, String value) {
        html.append("<div><dt>").append(escape(name)).append("</dt><dd>").append(escape(value))
                .append("</dd></div>\n");
    }

    private void contents(StringBuilder html) {
        if (sections.isEmpty()) {
            return;
        }
        html.append("<nav>\n");
        for (int i = 0; i < sections.size(); i++) {
            html.append("<a href=\"#").append(anchor(i)).append("\">").append(escape(sections.get(i).title()))
                    .append("</a>\n");
        }
        html.append("</nav>\n");
    }

    private static String anchor(int sectionIndex) {
        return "section-" + (sectionIndex + 1);
    }

    private static String table(List<String> headers, List<? extends List<?>> rows) {
        StringBuilder html = new StringBuilder("<div class=\"table\"><table>\n<thead><tr>");
        for (String header : headers) {
            html.append("<th>").append(escape(header)).append("</th>");
        }
        html.append("</tr></thead>\n<tbody>\n");
        for (List<?> row : rows) {
            html.append("<tr>");
            for (Object cell : row) {
                html.append(cell instanceof Number ? "<td class=\"num\">" : "<td>")
                        .append(escape(cell instanceof Number number ? format(number) : String.valueOf(cell)))
                        .append("</td>");
            }
            html.append("</tr>\n");
        }
        return html.append("</tbody>\n</table></div>\n").toString();
    }

    private static String figure(String img, String caption) {
        StringBuilder html = new StringBuilder("<figure>").append(img);
        if (caption != null) {
            html.append("<figcaption>").append(escape(caption)).append("</figcaption>");
        }
        return html.append("</figure>\n").toString();
    }

    private static String img(byte[] png, int width, int height, String alt) {
        return "<img width=\"" + width + "\" height=\"" + height + "\" alt=\"" + escape(alt)
                + "\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\">";
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode an image as PNG", e);
        }
        return bytes.toByteArray();
    }

    private static String format(Number number) {
        if (number instanceof Double || number instanceof Float) {
            double value = number.doubleValue();
            return Double.isFinite(value) ? String.format(Locale.ROOT, "%.4f", value) : "–";
        }
        return String.format(Locale.ROOT, "%,d", number.longValue());
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f %%", 100 * fraction);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String STYLE = """
            body { margin: 0; background: #f4f5f7; color: #1d2330;
                   font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
            main { max-width: 1060px; margin: 0 auto; padding: 24px; }
            header, section { background: #fff; border-radius: 8px; padding: 20px 28px; margin-bottom: 20px;
                              box-shadow: 0 1px 3px rgba(0, 0, 0, .08); }
            .app { margin: 0; color: #5b6475; font-weight: 600; letter-spacing: .02em; }
            h1 { margin: 4px 0 0; font-size: 2rem; }
            .sizes { margin: 0 0 16px; color: #5b6475; }
            .tiles { display: flex; flex-wrap: wrap; gap: 12px; margin-bottom: 16px; }
            .tile { background: #eef3fb; border-radius: 6px; padding: 10px 18px; min-width: 140px; }
            .tile .value { display: block; font-size: 1.6rem; font-weight: 700; color: #1f4e96; }
            .tile .label { color: #5b6475; font-size: .9rem; }
            .facts { display: flex; flex-wrap: wrap; gap: 6px 28px; margin: 0 0 12px; }
            .facts dt { color: #5b6475; font-size: .85rem; }
            .facts dd { margin: 0; font-weight: 600; }
            summary { cursor: pointer; font-weight: 600; margin-bottom: 8px; }
            nav { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 0 0 20px; padding: 0 4px; }
            nav a { color: #1f4e96; text-decoration: none; }
            nav a:hover { text-decoration: underline; }
            h2 { margin: 0 0 12px; font-size: 1.3rem; }
            figure { margin: 0; }
            img { max-width: 100%; height: auto; }
            figcaption { color: #5b6475; font-size: .9rem; margin-top: 4px; }
            .gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(130px, 1fr)); gap: 14px; }
            .gallery img { image-rendering: pixelated; border: 1px solid #d5d9e0; }
            .gallery figcaption { color: #1d2330; white-space: pre-line; }
            .table { overflow-x: auto; }
            table { border-collapse: collapse; font-size: .95rem; }
            th, td { padding: 4px 14px; border-bottom: 1px solid #e3e6eb; text-align: left; }
            th { background: #f4f5f7; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            tbody tr:hover { background: #f8f9fb; }
            """;
}
