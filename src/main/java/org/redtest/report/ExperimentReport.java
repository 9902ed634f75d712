package org.redtest.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.redtest.RedTestException;
import org.redtest.config.ConfigLoader;
import org.redtest.storage.ResultsDatabase;
import org.redtest.training.CheckpointStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * A self-contained HTML page of one run or experiment: its configuration, training curve, redundancy
 * measurement, pruning and search tables, reproduction table, and every figure in its directory.
 */
public final class ExperimentReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a report is made of: a run directory, its database (may be absent) and its configuration text. */
    record Source(String name, Path directory, Path database, String configText) {
    }

    private ExperimentReport() {
    }

    /** Writes the report of {@code target} (an experiment file, a run directory or a run name) to {@code out}. */
    public static Path write(String target, Path out) {
        Source source = resolve(target);
        Path file = out != null ? out : source.directory().resolve("report.html");
        String html = render(source);
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = parent.resolve(file.getFileName() + ".tmp");
            Files.writeString(tmp, html, StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new RedTestException("cannot write report " + file + ": " + e.getMessage());
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
            config = read(dir.resolve("suite.json"));
        } else if (db != null) {
            try (ResultsDatabase d = ResultsDatabase.open(db)) {
                config = d.configText(name).orElse(null);
            }
        }
        return new Source(name, dir, db, config);
    }

    static String render(Source s) {
        HtmlPage page = new HtmlPage("RedTest report: " + s.name());
        page.paragraph("Directory " + s.directory().toAbsolutePath().normalize() + (s.database() != null
                ? ", results database " + s.database().toAbsolutePath().normalize() : "") + "; written "
                + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + ".");
        Set<Path> shown = new HashSet<>();
        json(s.directory().resolve("paper.json")).ifPresent(j -> reproduction(page, j, s.directory(), shown));
        if (s.configText() != null) {
            page.heading(2, "Configuration").preformatted(s.configText());
        }
        json(s.directory().resolve(CheckpointStore.METADATA_FILE)).ifPresent(j -> runFacts(page, j));
        training(page, s);
        json(s.directory().resolve("measure-msrs.json")).ifPresent(j -> {
            measurement(page, j);
            figure(page, s.directory().resolve("measure-cka.png"), "CKA between all units (mean over the measurement batches)", shown);
        });
        RunNotes.adHocMeasurements(page, s.database(), s.name());
        figure(page, s.directory().resolve("msrs-during-training.png"), "MSRS during training", shown);
        for (Path f : files(s.directory(), "pruning-", ".json")) {
            json(f).ifPresent(j -> pruning(page, j, f.getFileName().toString()));
        }
        json(s.directory().resolve("search.json")).ifPresent(j -> {
            search(page, j);
            figure(page, s.directory().resolve("search-scatter.png"), "NAS: accuracy against MSRS by reward", shown);
        });
        List<Path> rest = pngs(s.directory()).stream().filter(p -> !shown.contains(p)).toList();
        if (!rest.isEmpty()) {
            page.heading(2, "More figures");
            rest.forEach(p -> page.image(p, s.directory().relativize(p).toString()));
        }
        return page.html();
    }

    private static void reproduction(HtmlPage page, JsonNode j, Path dir, Set<Path> shown) {
        page.heading(2, j.path("title").asText("Reproduction"));
        page.paragraph(j.path("context").asText(""));
        page.paragraph(j.path("summary").asText(""));
        List<List<String>> rows = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        for (JsonNode r : j.path("rows")) {
            rows.add(List.of(r.path("section").asText(), r.path("item").asText(), number(r.get("paper")),
                    number(r.get("ours")) + (r.hasNonNull("spread") ? " ± " + number(r.get("spread")) : ""),
                    number(r.get("difference")), r.path("unit").asText(), r.path("criterion").asText(),
                    r.path("verdict").asText()));
            classes.add(r.path("verdict").asText());
        }
        page.table(List.of("section", "item", "paper", "ours", "difference", "unit", "criterion", "verdict"), rows, classes);
        for (JsonNode f : j.path("figures")) {
            figure(page, dir.resolve(f.asText()), f.asText(), shown);
        }
    }

    private static void runFacts(HtmlPage page, JsonNode j) {
        List<List<String>> rows = new ArrayList<>();
        j.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("training") && !e.getKey().equals("data")) {
                rows.add(List.of(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
            }
        });
        page.heading(2, "Run").table(List.of("key", "value"), rows, null);
    }

    private static void training(HtmlPage page, Source s) {
        if (s.database() == null) {
            return;
        }
        try (ResultsDatabase db = ResultsDatabase.open(s.database())) {
            Optional<Long> id = db.runId(s.name());
            if (id.isEmpty()) {
                return;
            }
            List<List<String>> rows = new ArrayList<>();
            for (ResultsDatabase.EpochRecord e : db.epochs(id.get())) {
                rows.add(List.of(String.valueOf(e.epoch()), fmt("%.5f", e.learningRate()), fmt("%.4f", e.trainLoss()),
                        fmt("%.2f", e.testTop1()), fmt("%.2f", e.testTop5()), fmt("%.1f", e.seconds()),
                        fmt("%.1f", e.imagesPerSecond())));
            }
            if (!rows.isEmpty()) {
                page.heading(2, "Training (run status: " + RunNotes.status(db, s.name()) + ")").table(List.of("epoch",
                        "learning rate", "train loss", "test top-1 %", "test top-5 %", "seconds", "img/s"), rows, null);
            }
        }
    }

    private static void measurement(HtmlPage page, JsonNode j) {
        JsonNode m = j.path("msrs");
        page.heading(2, "Redundancy measurement");
        page.paragraph(String.format("MSRS of %s on %s %s: %s +- %s over %d batch(es) of %d (beta %s, gamma %s, %d units)%s.",
                j.path("model").asText(), j.path("dataset").asText(), j.path("split").asText(), number(m.get("mean")),
                number(m.get("std")), j.path("batches").asInt(), j.path("batch_size").asInt(), j.path("beta").asText(),
                j.path("gamma").asText(), j.path("units").size(), m.path("nan_batches_dropped").asInt() > 0
                        ? "; " + m.path("nan_batches_dropped").asInt() + " NaN batch(es) dropped" : ""));
    }

    private static void pruning(HtmlPage page, JsonNode j, String file) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode o : j) {
            rows.add(List.of(o.path("method").asText(), o.path("pruned").asText(), number(o.at("/top1/original")),
                    number(o.at("/top1/pruned")), number(o.at("/top1/finetuned")), number(o.at("/params/reduction_pct")),
                    number(o.at("/flops/reduction_pct")), number(o.at("/latency_s/reduction_pct")),
                    number(o.at("/msrs/original")) + " -> " + number(o.at("/msrs/pruned"))));
        }
        page.heading(2, "Pruning (" + file + ")").table(List.of("method", "structure", "top-1 original", "top-1 pruned",
                "top-1 fine-tuned", "Params PR %", "FLOPs PR %", "latency PR %", "MSRS"), rows, null);
    }

    private static void search(HtmlPage page, JsonNode j) {
        List<List<String>> rows = new ArrayList<>();
        j.fields().forEachRemaining(e -> rows.add(List.of(e.getKey(), number(e.getValue().get("mean_accuracy")),
                number(e.getValue().get("mean_msrs")), number(scaled(e.getValue().get("mean_latency_s"))),
                number(e.getValue().get("mean_params")), String.valueOf(e.getValue().path("top").size()))));
        page.heading(2, "Architecture search").table(List.of("reward", "mean top-1 %", "mean MSRS", "mean latency ms",
                "mean Params", "top-k"), rows, null);
    }

    private static JsonNode scaled(JsonNode seconds) {
        return seconds == null || !seconds.isNumber() ? seconds : JSON.getNodeFactory().numberNode(1000 * seconds.asDouble());
    }

    private static void figure(HtmlPage page, Path png, String caption, Set<Path> shown) {
        if (Files.isRegularFile(png) && shown.add(png.normalize())) {
            page.image(png, caption);
        }
    }

    /** PNGs in the directory and its subdirectories (e.g. each pruned model's heatmap), sorted. */
    private static List<Path> pngs(Path dir) {
        try (Stream<Path> s = Files.walk(dir, 2)) {
            return s.filter(p -> p.toString().endsWith(".png")).map(Path::normalize).sorted().toList();
        } catch (IOException e) {
            throw new RedTestException("cannot list " + dir + ": " + e.getMessage());
        }
    }

    private static List<Path> files(Path dir, String prefix, String suffix) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(suffix))
                    .sorted().toList();
        } catch (IOException e) {
            throw new RedTestException("cannot list " + dir + ": " + e.getMessage());
        }
    }

    private static Optional<JsonNode> json(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(file.toFile()));
        } catch (IOException e) {
            throw new RedTestException("cannot read " + file + " (corrupt JSON?): " + e.getMessage());
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RedTestException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static String number(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return "—";
        }
        if (!n.isNumber()) {
            return n.asText();
        }
        double v = n.asDouble();
        if (v == Math.rint(v) && Math.abs(v) >= 1000) {
            return String.format("%,d", (long) v);
        }
        return Math.abs(v) >= 100 ? String.format("%.1f", v) : String.format("%.2f", v);
    }

    private static String fmt(String format, double v) {
        return Double.isFinite(v) ? String.format(format, v) : "—";
    }
}
