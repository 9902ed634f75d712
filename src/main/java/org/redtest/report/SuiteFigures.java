package org.redtest.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A reproduction suite's figures (paper.json "figures"): each pruned model's before and after heatmaps
 * side by side, the after one with the units under their original names, and the others one by one.
 */
final class SuiteFigures {
    private static final String BEFORE = "-cka-before.png";

    private SuiteFigures() {
    }

    static void write(HtmlPage page, JsonNode paper, Path dir, Set<Path> shown) {
        List<Path> figures = new ArrayList<>();
        paper.path("figures").forEach(f -> figures.add(dir.resolve(f.asText()).normalize()));
        page.open("div", "figures");
        for (Path f : figures) {
            String name = f.getFileName().toString();
            if (!name.endsWith(BEFORE) && !name.endsWith("-cka-after.png")) {
                ExperimentReport.figure(page, f, FigureCaptions.of(dir.relativize(f)), shown);
            }
        }
        page.close();
        for (Path f : figures) {
            String name = f.getFileName().toString();
            if (name.endsWith(BEFORE) && Files.isRegularFile(f)) {
                String model = name.substring(0, name.length() - BEFORE.length());
                Path after = f.resolveSibling(model + "-cka-after.png");
                page.heading(3, model + ": CKA before and after CKA-guided pruning").open("div", "figures");
                Optional<byte[]> marked = ckaBefore(dir.resolve(model));
                if (marked.isPresent()) {
                    shown.add(f);
                    page.image(marked.get(), "Before: " + model + "; outlined: the units CKA-guided pruning dropped.");
                } else {
                    ExperimentReport.figure(page, f, "Before: " + model + ".", shown);
                }
                shown.add(after);
                Optional<PrunedHeatmap> pruned = ckaPruned(dir.resolve(model));
                if (pruned.isPresent()) {
                    page.image(pruned.get().png(), "After CKA-guided pruning and fine-tuning; " + pruned.get().unitsCaption() + ".");
                } else {
                    ExperimentReport.figure(page, after, FigureCaptions.of(dir.relativize(after)), shown);
                }
                page.close();
            }
        }
    }

    /** The original's heatmap of the model run in {@code runDir} with the units the CKA method dropped outlined. */
    private static Optional<byte[]> ckaBefore(Path runDir) {
        Optional<JsonNode> cka = ckaOutcome(runDir);
        Optional<JsonNode> measure = Files.isDirectory(runDir) ? ReportFiles.json(runDir.resolve("measure-msrs.json"))
                : Optional.empty();
        if (cka.isEmpty() || measure.isEmpty()) {
            return Optional.empty();
        }
        return PrunedHeatmap.before(measure.get(), "cka", PrunedHeatmap.strings(cka.get().path("dropped")));
    }

    private static Optional<JsonNode> ckaOutcome(Path runDir) {
        if (!Files.isDirectory(runDir)) {
            return Optional.empty();
        }
        for (Path file : ReportFiles.list(runDir, "pruning-", ".json")) {
            for (JsonNode o : ReportFiles.json(file).orElseThrow()) {
                if (o.path("method").asText().equals("cka")) {
                    return Optional.of(o);
                }
            }
        }
        return Optional.empty();
    }

    /** The CKA method's pruned heatmap of the model run in {@code runDir}, from its pruning file. */
    private static Optional<PrunedHeatmap> ckaPruned(Path runDir) {
        return ckaOutcome(runDir).flatMap(o -> {
            List<String> originalUnits = ReportFiles.json(runDir.resolve("measure-msrs.json"))
                    .map(m -> PrunedHeatmap.strings(m.path("units"))).orElse(List.of());
            return PrunedHeatmap.of(ReportFiles.json(ExperimentReport.prunedDirectory(runDir, o).resolve("measure-msrs.json"))
                    .orElse(null), o.path("original").asText(), "cka", PrunedHeatmap.strings(o.path("dropped")), originalUnits);
        });
    }
}
