package org.redtest.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.config.Sampling;
import org.redtest.measure.Measurement;
import org.redtest.measure.MeasurementReport;
import org.redtest.measure.MeasurementSettings;
import org.redtest.similarity.MsrsSummary;
import org.redtest.storage.MeasurementOrigin;
import org.redtest.storage.MeasurementTable;
import org.redtest.storage.ResultsDatabase;
import org.redtest.training.EpochRecord;
import org.redtest.zoo.ModelSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report of a small run directory made by hand (no training): a resnet20 run with its epochs and
 * MSRS probes in a results database, its measurement, and two pruning methods, one pruned model written
 * as pruning writes it now (original unit names) and one as it was written before (rebuilt names).
 */
class ExperimentReportTest {
    private static final List<String> UNITS = List.of("stem", "s1.b1", "s1.b2", "s1.b3", "s2.b1", "s2.b2", "s2.b3",
            "s3.b1", "s3.b2", "s3.b3");
    /** cka drops s1.b2 and s3.b1: resnet:2-3-2, written the old way (rebuilt names only). */
    private static final List<String> CKA_KEPT = List.of("stem", "s1.b1", "s1.b3", "s2.b1", "s2.b2", "s2.b3", "s3.b2", "s3.b3");
    /** random drops s2.b2 and s3.b3: resnet:3-2-2, written the way pruning writes it now. */
    private static final List<String> RANDOM_KEPT = List.of("stem", "s1.b1", "s1.b2", "s1.b3", "s2.b1", "s2.b3", "s3.b1", "s3.b2");
    private static final String HASH = "caf1870cd2f2bc8885362b2f7f54c0e46e871740841715da45195fe83d5cec03";
    private static final String YAML = "name: tinyrun\nmodel: resnet20\nseed: 42\n";

    @TempDir
    static Path root;
    static Path run;
    static String html;

    @BeforeAll
    static void writeRunAndReport() throws Exception {
        run = Files.createDirectories(root.resolve("tinyrun"));
        Files.writeString(run.resolve("run.json"), """
                {"name": "tinyrun", "model_spec": "resnet20", "input_shape": "1x32x32", "classes": 10,
                 "data": {"dataset": "fashion-mnist", "train_per_class": 600, "test_limit": 2560},
                 "normalization_mean": [0.21899983206954654], "normalization_std": [0.33181137299995894],
                 "seed": 42, "config_hash": "%s", "epochs_planned": 3}""".formatted(HASH));
        MeasurementReport.writeFiles(measurement("resnet20", UNITS.size(), 21.345678912345), run, "measure");
        MeasurementReport.writeFiles(measurement("resnet:2-3-2", 8, 9.87654321), run.resolve("prune-cka-keep7"), "measure");
        MeasurementReport.writeFiles(measurement("resnet:3-2-2", 8, 8.7654321), run.resolve("prune-random-keep7"), "measure",
                MeasurementOrigin.MEASURE_STAGE, "resnet20 pruned by random (resnet:3-2-2)", RANDOM_KEPT);
        Files.writeString(run.resolve("pruning-keep7.json"), new ObjectMapper().writeValueAsString(List.of(
                outcome("cka", "resnet:2-3-2", List.of("s1.b2", "s3.b1"), 0.0021234, 32.0164, 3.1),
                outcome("random", "resnet:3-2-2", List.of("s2.b2", "s3.b3"), 0.0030234, 3.2, 3.4))));
        try (ResultsDatabase db = ResultsDatabase.open(run.resolve("redtest.db"))) {
            long id = db.startRun(new ResultsDatabase.RunStart("tinyrun", "train", YAML, HASH, 42, "fashion-mnist", "resnet20",
                    269_434, 40_821_376, 3, "{\"redtest\": \"0.1.0\", \"java\": \"17\"}"));
            for (int e = 1; e <= 3; e++) {
                db.recordEpoch(id, new EpochRecord(e, e < 3 ? 0.05 : 0.005, 2.0 / e, 60 + 7.123456789 * e,
                        95, 1.5 / e, 30, 200));
                MsrsSummary probe = measurement("resnet20", UNITS.size(), 10 + e).summary();
                new MeasurementTable(db).insert(new MeasurementTable.Row(
                        new MeasurementTable.Source(id, MeasurementOrigin.TRAINING_PROBE, e, null),
                        new MeasurementTable.Model("resnet20", "resnet", 20),
                        new MeasurementTable.Probe("fashion-mnist", "test", 1, 256, "first", 42),
                        new MeasurementTable.MsrsValues(100, 0.8, probe.mean(), 0, 0, probe.perBatch()),
                        new MeasurementTable.CkaValues(probe.units(), probe.meanCka(), probe.adjacent()), 60.0 + e, 1, "{}"));
            }
            db.finishRun(id, 81.369, 98.8, 0.5, 90);
        }
        html = ExperimentReport.render(ExperimentReport.resolve(run.toString()));
    }

    private static Measurement measurement(String spec, int units, double msrs) {
        double[][] cka = new double[units][units];
        double[] adjacent = new double[units - 1];
        for (int i = 0; i < units; i++) {
            for (int j = 0; j < units; j++) {
                cka[i][j] = Math.exp(-0.3 * Math.abs(i - j));
            }
            if (i + 1 < units) {
                adjacent[i] = cka[i][i + 1];
            }
        }
        var architecture = ModelSpec.parse(spec);
        List<String> names = architecture.blueprint(new org.redtest.zoo.Shape(1, 32, 32), 10).unitNames();
        MsrsSummary s = new MsrsSummary(names, 100, 0.8, msrs, 1.2345678, new double[] {msrs}, 1, 0, List.of(), cka, adjacent);
        return new Measurement(architecture, "fashion-mnist", "test", new MeasurementSettings(1, 256, Sampling.FIRST, 42, 100, 0.8),
                s, 1.0, null, null, null);
    }

    /** Written as pruning wrote it before the units and timing rounds were recorded: both are inferred or absent. */
    private static Map<String, Object> outcome(String method, String pruned, List<String> dropped, double latency,
                                               double reduction, double reductionSpread) {
        return Map.ofEntries(Map.entry("method", method), Map.entry("criterion", "keep7"), Map.entry("seed", 42),
                Map.entry("original", "resnet20"), Map.entry("pruned", pruned),
                Map.entry("dropped", dropped.stream().map(d -> Map.of("unit", d, "adjacent_cka", 0.9712345678)).toList()),
                Map.entry("finetune_epochs", 1),
                Map.entry("top1", Map.of("original", 81.369, "pruned", 40.123456, "finetuned", 79.87654)),
                Map.entry("params", Map.of("original", 269434, "pruned", 150000, "reduction_pct", 44.327516)),
                Map.entry("flops", Map.of("original", 40821376, "pruned", 30000000, "reduction_pct", 26.50918)),
                Map.entry("latency_s", Map.of("original", 0.0031234, "pruned", latency, "reduction_pct", reduction,
                        "original_spread", 0.0001, "pruned_spread", 0.00005, "reduction_spread_pct", reductionSpread)),
                Map.entry("msrs", Map.of("original", 21.345678912345, "pruned", 9.87654321)),
                Map.entry("directory", "checkpoints/tinyrun/prune-" + method + "-keep7"));
    }

    private static String withoutImages(String page) {
        return page.replaceAll("data:image/png;base64,[A-Za-z0-9+/=]+", "data:image/png;base64,");
    }

    @Test
    void theSummaryBoxComesFirstAndTheEvidenceAndProvenanceFollow() {
        String body = html.substring(html.indexOf("</h1>") + "</h1>".length()).stripLeading();
        assertTrue(body.startsWith("<section class=\"summary\">"), "the summary box right under the title: "
                + body.substring(0, 80));
        List<String> sections = new ArrayList<>();
        Matcher h2 = Pattern.compile("<h2>([^<]*)</h2>").matcher(html);
        while (h2.find()) {
            sections.add(h2.group(1));
        }
        assertEquals(List.of("Summary", "Pruning: CKA before and after (keep7)", "Training (run status: finished)",
                "Redundancy measurement", "Configuration and provenance"), sections);
        String summary = html.substring(html.indexOf("<section class=\"summary\">"), html.indexOf("</section>"));
        for (String fact : List.of("<dt>Model</dt><dd>resnet20", "<dt>Data</dt><dd>fashion-mnist: 6,000 training images",
                "<dt>Test top-1</dt><dd>81.4 % after 3 epochs", "<dt>MSRS</dt><dd>21.3 ± 1.23", "of the 45 pairs of its 10 units",
                "Pruning outcome (keep7)", "PR = percentage reduction")) {
            assertTrue(summary.contains(fact), fact + " in the summary box");
        }
        assertFalse(summary.contains(HASH), "hashes are provenance, not summary");
    }

    @Test
    void thePruningTableStartsWithTheOriginalAndPutsTheAnswerFirst() {
        List<List<String>> rows = pruningRows();
        assertEquals(List.of("original", "81.4", "—", "—", "—", "—", "21.3 of 45 (47 %)"), rows.get(0).subList(0, 7),
                "the original row, MSRS as a share of its 45 pairs");
        assertEquals(List.of("cka", "79.9", "-1.5", "44.3", "26.5", "32 ± 3", "9.88 of 28 (35 %)", "40.1"),
                rows.get(1).subList(0, 8), "top-1 after fine-tuning, its change, the reductions, MSRS of the 28 pairs "
                        + "of the 8 units left (inferred from the measurement for a file that did not record them)");
        assertEquals("3 ± 3 (not significant)", rows.get(2).get(5), "a reduction within its spread");
        assertEquals(List.of("resnet:2-3-2", "s1.b2 (0.971), s3.b1 (0.971)"), rows.get(1).subList(11, 13),
                "how it was reached comes after the answer");
        for (String latency : List.of("3.1 ± 0.1", "2.12 ± 0.05")) {
            assertTrue(html.contains("<td class=\"num\">" + latency + "</td>"), "latency " + latency + " with its spread");
        }
        assertTrue(html.contains("<p class=\"verdict\">Verdict: best on accuracy cka and random (tied, top-1 79.88 %, -1.49 points against the "
                + "original); least redundancy cka and random (tied, MSRS 9.88, 35 % of its unit pairs)."),
                () -> "the verdict above the table: " + html.substring(html.indexOf("Verdict"), html.indexOf("Verdict") + 300));
    }

    /** The cells of the summary's pruning table, row by row. */
    private static List<List<String>> pruningRows() {
        String summary = html.substring(html.indexOf("<section class=\"summary\">"), html.indexOf("</section>"));
        String table = summary.substring(summary.indexOf("<table>"), summary.indexOf("</table>"));
        List<List<String>> rows = new ArrayList<>();
        Matcher row = Pattern.compile("<tr[^>]*>(.*?)</tr>").matcher(table);
        while (row.find()) {
            List<String> cells = new ArrayList<>();
            Matcher cell = Pattern.compile("<td[^>]*>([^<]*)</td>").matcher(row.group(1));
            while (cell.find()) {
                cells.add(cell.group(1));
            }
            if (!cells.isEmpty()) {
                rows.add(cells);
            }
        }
        return rows;
    }

    @Test
    void prunedHeatmapsNameTheUnitsAfterTheOriginalUnits() throws Exception {
        for (var m : Map.of("cka", CKA_KEPT, "random", RANDOM_KEPT).entrySet()) {
            Matcher alt = Pattern.compile("<img alt=\"After " + m.getKey() + " and fine-tuning: [^;]*; units ([^(]*) \\(dropped ([^)]*)\\)")
                    .matcher(html);
            assertTrue(alt.find(), "a pruned heatmap of " + m.getKey());
            List<String> units = Arrays.asList(alt.group(1).split(", "));
            assertEquals(m.getValue(), units, m.getKey());
            for (String dropped : alt.group(2).split(", ")) {
                assertFalse(units.contains(dropped), dropped + " was dropped and must not label the pruned heatmap");
            }
        }
        assertFalse(html.contains(base64(run.resolve("prune-random-keep7/measure-cka.png"))),
                "the pruned maps are redrawn on the original's grid, not shown compacted");
        assertFalse(html.contains(base64(run.resolve("prune-cka-keep7/measure-cka.png"))),
                "a heatmap written with the rebuilt names is redrawn, not shown");
        assertEquals(1, count(html, base64(run.resolve("measure-cka.png"))), "the plain original map once, not per method");
        Matcher img = Pattern.compile("src=\"data:image/png;base64,([^\"]+)\"").matcher(html);
        List<String> figures = new ArrayList<>();
        while (img.find()) {
            figures.add(img.group(1));
        }
        assertEquals(figures.size(), figures.stream().distinct().count(), "every figure embedded once");
        Matcher before = Pattern.compile("<img alt=\"Before: resnet20, MSRS [^;]*; outlined: dropped by cka \\(s1.b2, s3.b1\\)")
                .matcher(html);
        assertTrue(before.find(), "the original's map names the units the method dropped");
    }

    @Test
    void aSuitesBeforeMapMarksTheUnitsCkaGuidedPruningDropped() throws Exception {
        Path suite = Files.createDirectories(root.resolve("suite"));
        Path figures = Files.createDirectories(suite.resolve("figures"));
        Files.copy(run.resolve("measure-cka.png"), figures.resolve("tinyrun-cka-before.png"));
        Files.copy(run.resolve("prune-cka-keep7/measure-cka.png"), figures.resolve("tinyrun-cka-after.png"));
        Path model = Files.createDirectories(suite.resolve("tinyrun"));
        for (String f : List.of("measure-msrs.json", "pruning-keep7.json")) {
            Files.copy(run.resolve(f), model.resolve(f));
        }
        Files.createDirectories(model.resolve("prune-cka-keep7"));
        Files.copy(run.resolve("prune-cka-keep7/measure-msrs.json"), model.resolve("prune-cka-keep7/measure-msrs.json"));
        Files.writeString(suite.resolve("paper.json"), """
                {"title": "Reproduction", "summary": "s", "context": "c", "rows": [],
                 "figures": ["figures/tinyrun-cka-before.png", "figures/tinyrun-cka-after.png"]}""");
        String page = ExperimentReport.render(ExperimentReport.resolve(suite.toString()));
        assertTrue(page.contains("<img alt=\"Before: tinyrun; outlined: the units CKA-guided pruning dropped."), "marked before map");
        assertFalse(page.contains(base64(figures.resolve("tinyrun-cka-before.png"))), "the unmarked file is not shown besides");
        assertTrue(page.contains("<img alt=\"After CKA-guided pruning and fine-tuning; units stem, s1.b1, s1.b3"), "the after map");
    }

    @Test
    void everythingIsEmbeddedAndNothingIsFetched() {
        String page = withoutImages(html);
        assertFalse(Pattern.compile("(?i)(src|href|action)\\s*=\\s*[\"']?\\s*(https?:)?//").matcher(page).find(), "no external URL");
        assertFalse(Pattern.compile("(?i)url\\(").matcher(page).find(), "no CSS resources");
        assertFalse(page.contains("<link") || page.contains("<script"), "no linked style sheets or scripts");
        Matcher img = Pattern.compile("<img [^>]*src=\"([^\"]*)\"").matcher(html);
        int images = 0;
        while (img.find()) {
            images++;
            String src = img.group(1);
            assertTrue(src.startsWith("data:image/png;base64,"), "embedded: " + src.substring(0, Math.min(40, src.length())));
            byte[] png = Base64.getDecoder().decode(src.substring("data:image/png;base64,".length()));
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4), "a PNG");
        }
        assertEquals(count(html, "<img "), images);
        assertTrue(images >= 2 * 2 + 4, "two figure rows of two heatmaps and four training plots, got " + images);
    }

    @Test
    void trainingCurvesAreDrawnNotTabulated() {
        String training = html.substring(html.indexOf("<h2>Training"), html.indexOf("<h2>Redundancy measurement"));
        for (String plot : List.of("Loss per epoch", "Test top-1 accuracy", "Learning rate of each epoch", "MSRS on the probe")) {
            assertTrue(training.contains("<img alt=\"" + plot), plot + " plotted");
        }
        assertTrue(training.indexOf("<details>") > training.lastIndexOf("<img"), "the numbers themselves collapsed below the plots");
    }

    @Test
    void readableFromPhoneToDesktopWidth() {
        assertTrue(html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
        assertEquals(count(html, "<table>"), count(html, "<div class=\"table-wrap\"><table>"), "every table scrolls in its own box");
        assertTrue(html.contains("img{max-width:100%"), "images shrink to the column");
    }

    @Test
    void configurationAndProvenanceAreCollapsedAtTheEndAndNumbersRounded() {
        int provenance = html.indexOf("<h2>Configuration and provenance</h2>");
        String tail = html.substring(provenance);
        assertTrue(tail.contains("<summary>Experiment file (YAML)</summary>\n<pre>" + YAML), "the YAML, collapsed");
        assertTrue(tail.contains("<td>normalization_mean</td><td>0.219</td>"), "normalisation rounded");
        assertTrue(tail.contains(HASH), "the hash, for auditing");
        assertEquals(html.indexOf(YAML), html.indexOf(YAML, provenance), "the YAML only at the end");
        String text = withoutImages(html);
        Matcher longNumber = Pattern.compile("\\d\\.\\d{5,}").matcher(text);
        assertFalse(longNumber.find(), () -> "a number nobody reads to the last digit: " + longNumber.group());
    }

    @Test
    void msrsIsReadAgainstItsDepthWhenAFitExists() {
        var measure = new ObjectMapper().valueToTree(MeasurementReport.toJson(measurement("resnet20", UNITS.size(), 40),
                MeasurementOrigin.MEASURE_STAGE));
        List<MeasurementTable.DepthPoint> points = List.of(new MeasurementTable.DepthPoint("resnet", "fashion-mnist", "resnet8",
                        8, 0.8, 3, 0.1), new MeasurementTable.DepthPoint("resnet", "fashion-mnist", "resnet14", 14, 0.8, 11, 0.1),
                new MeasurementTable.DepthPoint("resnet", "fashion-mnist", "resnet32", 32, 0.8, 75, 0.1));
        String reading = MsrsReading.of(measure, points);
        assertTrue(reading.startsWith("Its depth (20) predicts "), reading);
        assertTrue(reading.contains("more redundant than its depth predicts"), reading);
        assertTrue(MsrsReading.of(measure, List.of()).contains("of the 45 pairs of its 10 units"), "without a fit: what it counts");
    }

    private static String base64(Path file) throws Exception {
        return Base64.getEncoder().encodeToString(Files.readAllBytes(file));
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }
}
