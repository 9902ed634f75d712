package org.redtest.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.redtest.RedTestException;
import org.redtest.config.ConfigLoader;
import org.redtest.io.AtomicFiles;
import org.redtest.storage.ResultsDatabase;
import org.redtest.training.CheckpointStore;
import org.redtest.training.EpochRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A self-contained HTML page of one run, experiment or reproduction suite that answers its question
 * first: a summary box (model, data, accuracy, MSRS and what it means, the pruning outcome per method),
 * then the evidence (heatmaps before and after pruning, training curves, the measurement, search and
 * reproduction tables, any other figure), and configuration and provenance collapsed at the end.
 */
public final class ExperimentReport {
    /** What a report is made of: a run directory, its database (may be absent) and its configuration text. */
    record Source(String name, Path directory, Path database, String configText) {
    }

    /** Everything read from a run directory and its database, once. */
    record Run(Source source, JsonNode runJson, JsonNode measure, RunRecord record, List<Pruning> pruning,
                       JsonNode paper, JsonNode search) {
    }

    /** One pruning-CRITERION.json: its outcomes, one per method (and seed). */
    record Pruning(JsonNode outcomes) {
    }

    private ExperimentReport() {
    }

    /** Writes the report of {@code target} (an experiment file, a run directory or a run name) to {@code out}. */
    public static Path write(String target, Path out) {
        Source source = resolve(target);
        Path file = out != null ? out : source.directory().resolve("report.html");
        String html = render(source);
        try {
            AtomicFiles.writeString(file, html);
        } catch (IOException e) {
            throw new RedTestException("cannot write report " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    static Source resolve(String target) {
        Path p = Path.of(target);
        if (Files.isRegularFile(p)) {
            if (!target.endsWith(".yaml") && !target.endsWith(".yml")) {
                throw new RedTestException("report needs an experiment file (.yaml) or a run directory, not " + target);
            }
            var loaded = ConfigLoader.load(p);
            Path dir = loaded.config().runDirectory();
            if (!Files.isDirectory(dir)) {
                throw new RedTestException("experiment " + target + " has no results yet: " + dir
                        + " does not exist (run it first: bin/redtest run " + target + ")");
            }
            return new Source(loaded.config().name(), dir, loaded.config().databasePath(), loaded.text());
        }
        Path dir = Files.isDirectory(p) ? p : Path.of("checkpoints").resolve(target);
        if (!Files.isDirectory(dir)) {
            throw new RedTestException("no experiment file, run directory or run named '" + target + "' (looked for "
                    + p + " and " + dir + ")");
        }
        Path db = Stream.of(dir.resolve("redtest.db"), dir.toAbsolutePath().getParent().resolve("redtest.db"))
                .filter(Files::isRegularFile).findFirst().orElse(null);
        String name = dir.toAbsolutePath().normalize().getFileName().toString();
        String config = null;
        if (Files.isRegularFile(dir.resolve("suite.json"))) {
            config = ReportFiles.text(dir.resolve("suite.json"));
        } else if (db != null) {
            try (ResultsDatabase d = ResultsDatabase.open(db)) {
                config = d.configText(name).orElse(null);
            }
        }
        return new Source(name, dir, db, config);
    }

    static String render(Source s) {
        Run run = read(s);
        HtmlPage page = new HtmlPage("RedTest report: " + s.name());
        Set<Path> shown = new HashSet<>();
        SummaryBox.write(page, run);
        if (run.paper() != null) {
            reproduction(page, run.paper(), s.directory(), shown);
        }
        pruningHeatmaps(page, run, shown);
        training(page, run, shown);
        if (run.measure() != null) {
            measurement(page, run.measure());
            figure(page, s.directory().resolve("measure-cka.png"), "CKA between all units of the trained model (mean "
                    + "over the measurement batches; 1 = the same representation).", shown);
        }
        RunNotes.adHocMeasurements(page, s.database(), s.name());
        if (run.search() != null) {
            search(page, run.search());
            figure(page, s.directory().resolve("search-scatter.png"), "Architecture search: test top-1 against MSRS by "
                    + "reward (all candidates grey).", shown);
        }
        List<Path> rest = ReportFiles.pngs(s.directory()).stream().filter(p -> !shown.contains(p)).toList();
        if (!rest.isEmpty()) {
            page.heading(2, "More figures").open("div", "figures");
            rest.forEach(p -> page.image(p, FigureCaptions.of(s.directory().relativize(p))));
            page.close();
        }
        Provenance.write(page, s, run.runJson(), run.record());
        page.footer("Written " + ZonedDateTime.now().withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                + " by bin/redtest report; figures are embedded, the page opens offline.");
        return page.html();
    }

    private static Run read(Source s) {
        Path dir = s.directory();
        RunRecord record = null;
        if (s.database() != null) {
            try (ResultsDatabase db = ResultsDatabase.open(s.database())) {
                record = RunRecord.read(db, s.name()).orElse(null);
            }
        }
        List<Pruning> pruning = new ArrayList<>();
        for (Path f : ReportFiles.list(dir, "pruning-", ".json")) {
            ReportFiles.json(f).filter(j -> j.isArray() && !j.isEmpty())
                    .ifPresent(j -> pruning.add(new Pruning(j)));
        }
        return new Run(s, ReportFiles.json(dir.resolve(CheckpointStore.METADATA_FILE)).orElse(null),
                ReportFiles.json(dir.resolve("measure-msrs.json")).orElse(null), record, pruning,
                ReportFiles.json(dir.resolve("paper.json")).orElse(null), ReportFiles.json(dir.resolve("search.json")).orElse(null));
    }

    /**
     * One figure row per method: the original's heatmap with the units the method dropped outlined, beside the
     * pruned model's on the same grid with those units left blank. Both are drawn here from the measurements, so
     * each is a different figure; the plain original map appears once, under the measurement.
     */
    private static void pruningHeatmaps(HtmlPage page, Run run, Set<Path> shown) {
        Path dir = run.source().directory();
        List<String> originalUnits = run.measure() == null ? List.of() : PrunedHeatmap.strings(run.measure().path("units"));
        for (Pruning p : run.pruning()) {
            page.heading(2, "Pruning: CKA before and after (" + p.outcomes().get(0).path("criterion").asText() + ")");
            page.paragraph("Each row: the trained model (left) with the units one method dropped outlined in red, and the "
                    + "model that method left after fine-tuning (right), drawn on the same grid: its units keep their "
                    + "original names and the dropped ones are blank rows and columns. The colour bar marks gamma, the "
                    + "CKA above which a pair counts towards MSRS.");
            for (JsonNode o : p.outcomes()) {
                Path prunedDir = prunedDirectory(dir, o);
                shown.add(prunedDir.resolve("measure-cka.png").normalize());
                List<String> dropped = PrunedHeatmap.strings(o.path("dropped"));
                String method = o.path("method").asText() + (p.outcomes().size() > methods(p.outcomes()) ? " (seed "
                        + o.path("seed").asText() + ")" : "");
                page.heading(3, method + ": " + o.path("original").asText() + " to " + o.path("pruned").asText());
                page.open("div", "figures");
                PrunedHeatmap.before(run.measure(), method, dropped).ifPresent(png -> page.image(png, "Before: "
                        + o.path("original").asText() + ", MSRS " + ReportNumbers.significant(o.at("/msrs/original"))
                        + "; outlined: dropped by " + method + " (" + String.join(", ", dropped) + ")."));
                Optional<PrunedHeatmap> after = PrunedHeatmap.of(ReportFiles.json(prunedDir.resolve("measure-msrs.json"))
                        .orElse(null), o.path("original").asText(), o.path("method").asText(), dropped, originalUnits);
                if (after.isPresent()) {
                    page.image(after.get().png(), "After " + method + " and fine-tuning: MSRS "
                            + ReportNumbers.significant(o.at("/msrs/pruned")) + "; " + after.get().unitsCaption() + ".");
                } else {
                    page.paragraph("No measurement of the pruned model in " + dir.relativize(prunedDir) + ".");
                }
                page.close();
            }
        }
    }

    private static long methods(JsonNode outcomes) {
        List<String> names = new ArrayList<>();
        outcomes.forEach(o -> names.add(o.path("method").asText()));
        return names.stream().distinct().count();
    }

    /** Where a method's pruned model lives: the recorded directory's name inside this run directory (it may have moved). */
    static Path prunedDirectory(Path runDir, JsonNode outcome) {
        String recorded = outcome.path("directory").asText("");
        String name = recorded.isEmpty() ? "prune-" + outcome.path("method").asText() + "-" + outcome.path("criterion").asText()
                : Path.of(recorded).getFileName().toString();
        return runDir.resolve(name).normalize();
    }

    private static void training(HtmlPage page, Run run, Set<Path> shown) {
        Path dir = run.source().directory();
        List<EpochRecord> epochs = run.record() != null && !run.record().epochs().isEmpty()
                ? run.record().epochs() : new CheckpointStore(dir).readEpochLog();
        List<org.redtest.storage.MeasurementTable.EpochPoint> probes = run.record() == null ? List.of() : run.record().msrsProbes();
        if (epochs.isEmpty() && probes.isEmpty()) {
            return;
        }
        page.heading(2, "Training" + (run.record() != null ? " (run status: " + run.record().status() + ")" : ""));
        page.open("div", "plots"); // a grid: plots of one size, two abreast on a wide screen, one on a phone
        TrainingCurves.of(epochs, probes).forEach(plot -> page.image(plot.png(), plot.caption()));
        if (!probes.isEmpty()) {
            shown.add(dir.resolve("msrs-during-training.png").normalize()); // the same probes, drawn above
        } else {
            figure(page, dir.resolve("msrs-during-training.png"), "MSRS and test top-1 during training.", shown);
        }
        page.close();
        if (!epochs.isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            for (EpochRecord e : epochs) {
                rows.add(List.of(String.valueOf(e.epoch()), ReportNumbers.significant(e.learningRate()),
                        ReportNumbers.format("%.3f", e.trainLoss()), ReportNumbers.format("%.3f", e.testLoss()),
                        ReportNumbers.percent(e.testTop1()), ReportNumbers.percent(e.testTop5()),
                        ReportNumbers.format("%.0f", e.seconds()), ReportNumbers.format("%.0f", e.imagesPerSecond())));
            }
            page.details("Per-epoch numbers").table(List.of("epoch", "learning rate", "training loss", "test loss",
                    "test top-1 %", "test top-5 %", "seconds", "images/s"), rows, null).close();
        }
    }

    private static void measurement(HtmlPage page, JsonNode j) {
        page.heading(2, "Redundancy measurement");
        JsonNode m = j.path("msrs");
        page.paragraph(String.format("MSRS of %s on %s %s: %s Score sharpness beta %s; %d units, so %d pairs.%s",
                j.path("model").asText(), j.path("dataset").asText(), j.path("split").asText(), RunFacts.msrs(j),
                Provenance.value(j.path("beta")), j.path("units").size(), j.path("units").size() * (j.path("units").size() - 1) / 2,
                m.path("nan_batches_dropped").asInt() > 0 ? " " + m.path("nan_batches_dropped").asInt()
                        + " batch(es) gave NaN (a constant layer) and were left out." : ""));
        List<JsonNode> adjacent = new ArrayList<>();
        j.path("adjacent").forEach(a -> {
            if (a.path("cka").isNumber()) {
                adjacent.add(a);
            }
        });
        adjacent.sort((a, b) -> Double.compare(b.path("cka").asDouble(), a.path("cka").asDouble()));
        if (!adjacent.isEmpty()) {
            page.paragraph("Most alike neighbours (adjacent CKA): " + String.join(", ", adjacent.stream().limit(5)
                    .map(a -> a.path("from").asText() + "–" + a.path("to").asText() + " "
                            + ReportNumbers.format("%.3f", a.path("cka").asDouble())).toList()) + ".");
        }
    }

    private static void reproduction(HtmlPage page, JsonNode j, Path dir, Set<Path> shown) {
        page.heading(2, j.path("title").asText("Reproduction"));
        List<List<String>> rows = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        for (JsonNode r : j.path("rows")) {
            rows.add(List.of(r.path("section").asText(), r.path("item").asText(), ReportNumbers.number(r.get("paper")),
                    ReportNumbers.number(r.get("ours")) + (r.hasNonNull("spread") ? " ± " + ReportNumbers.number(r.get("spread")) : ""),
                    ReportNumbers.number(r.get("difference")), r.path("unit").asText(), r.path("criterion").asText(),
                    r.path("verdict").asText()));
            classes.add(r.path("verdict").asText());
        }
        page.table(List.of("section", "item", "paper", "ours", "difference", "unit", "criterion", "verdict"), rows, classes);
        SuiteFigures.write(page, j, dir, shown);
    }

    private static void search(HtmlPage page, JsonNode j) {
        List<List<String>> rows = new ArrayList<>();
        j.fields().forEachRemaining(e -> rows.add(List.of(e.getKey(), ReportNumbers.percent(e.getValue().get("mean_accuracy")),
                ReportNumbers.significant(e.getValue().get("mean_msrs")), ReportNumbers.millis(e.getValue().get("mean_latency_s")),
                ReportNumbers.si(e.getValue().get("mean_params")), String.valueOf(e.getValue().path("top").size()))));
        page.heading(2, "Architecture search").table(List.of("reward", "mean top-1 %", "mean MSRS", "mean latency ms",
                "mean Params", "top-k"), rows, null, "Means over each reward's top-k selection.");
    }

    static void figure(HtmlPage page, Path png, String caption, Set<Path> shown) {
        if (Files.isRegularFile(png) && shown.add(png.normalize())) {
            page.image(png, caption);
        }
    }
}
