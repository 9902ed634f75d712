package org.redtest.pruning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.redtest.RedTestException;
import org.redtest.provenance.SoftwareVersions;
import org.redtest.storage.JsonNumbers;
import org.redtest.storage.PruningTable;
import org.redtest.storage.ResultsDatabase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The before/after table of pruning results, as console text, a JSON file and database rows. */
public final class PruningReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PruningReport() {
    }

    /**
     * The console table, the answer first: per method the top-1 after fine-tuning and its change against the
     * original, the reductions, MSRS as a count and as a share of the unit pairs, then how it was reached (top-1
     * right after pruning, the structure, the dropped units). Latency reductions that are noise are marked n.s.;
     * a verdict line names the best method on accuracy and on redundancy.
     */
    public static String table(List<PruningOutcome> outcomes) {
        if (outcomes.isEmpty()) {
            return "nothing pruned";
        }
        PruningOutcome first = outcomes.get(0);
        StringBuilder s = new StringBuilder();
        s.append(String.format("Pruning %s (%s), fine-tuned %d epoch(s); top-1 in %%, change in points against the original; "
                        + "PR = percentage reduction against the original; batch-1 latency of the original %s ms (median ± half "
                        + "the interquartile range over timing rounds); MSRS = redundant unit pairs, as a count and a share "
                        + "of all pairs%n",
                first.originalSpec(), first.criterion(), first.finetuneEpochs(),
                Rounding.withSpread(1000 * first.latencyOriginal(), 1000 * first.latencyOriginalSpread())));
        String format = "%-17s %7s %7s %7s %7s %15s %18s %7s  %-26s  %s%n";
        s.append(String.format(format, "method", "top-1", "change", "Params", "FLOPs", "Latency", "MSRS", "pruned",
                "structure", "dropped units (adjacent CKA)"));
        s.append(String.format(format, "original", String.format("%.2f", first.top1Original()), "", "", "", "",
                msrs(first.msrsOriginal(), first.unitsOriginal()), "", abbreviate(first.originalSpec()), "").stripTrailing())
                .append(String.format("%n"));
        boolean repeated = outcomes.stream().map(PruningOutcome::seed).distinct().count() > 1;
        List<String> noise = new ArrayList<>();
        for (PruningOutcome o : outcomes) {
            StringBuilder dropped = new StringBuilder();
            o.dropped().forEach(d -> dropped.append(dropped.length() == 0 ? "" : " ")
                    .append(d.unit()).append(Double.isFinite(d.adjacentCka()) ? String.format("(%.2f)", d.adjacentCka()) : ""));
            String name = repeated ? o.method() + " s" + o.seed() : o.method();
            LatencyDifference latency = o.latencyDifference();
            if (!latency.reason().isEmpty()) {
                noise.add(name + " (" + latency.reason() + ")");
            }
            s.append(String.format(format, name, String.format("%.2f", o.top1FineTuned()), String.format("%+.2f", o.top1Change()),
                    String.format("%.1f", o.paramsReduction()), String.format("%.1f", o.flopsReduction()),
                    latency.describeShort(), msrs(o.msrsPruned(), o.unitsPruned()), String.format("%.2f", o.top1Pruned()),
                    abbreviate(o.prunedSpec()), dropped));
        }
        s.append(String.format("(pruned = top-1 right after pruning, before fine-tuning)%n"));
        if (!noise.isEmpty()) {
            s.append(String.format("n.s. = latency reduction not significant, timing noise rather than a result: %s%n",
                    String.join("; ", noise)));
        }
        if (repeated) {
            s.append(String.format("mean +- standard deviation over the seeds:%n"));
            outcomes.stream().map(PruningOutcome::method).distinct().forEach(method -> {
                List<PruningOutcome> runs = outcomes.stream().filter(o -> o.method().equals(method)).toList();
                s.append(String.format("%-17s top-1 after fine-tuning %s, change %s points, MSRS after %s (%d seeds)%n",
                        method, SeedStatistics.of(runs, PruningOutcome::top1FineTuned).format(2),
                        SeedStatistics.of(runs, PruningOutcome::top1Change).format(2),
                        SeedStatistics.of(runs, PruningOutcome::msrsPruned).format(2), runs.size()));
            });
        }
        s.append(PruningVerdict.of(outcomes)).append(String.format("%n"));
        return s.toString();
    }

    /** "19.9 of 45 (44%)": a count alone reads as halved when the pairs shrank from 45 to 21. */
    static String msrs(double msrs, int units) {
        if (!Double.isFinite(msrs)) {
            return "n/a";
        }
        return units > 1 ? String.format("%.2f of %d (%.0f%%)", msrs, PruningOutcome.pairs(units), PruningOutcome.share(msrs, units))
                : String.format("%.2f", msrs);
    }

    private static String abbreviate(String spec) {
        return spec.length() <= 26 ? spec : spec.substring(0, 23) + "...";
    }

    public static Map<String, Object> json(PruningOutcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", o.method());
        m.put("criterion", o.criterion());
        m.put("seed", o.seed());
        m.put("original", o.originalSpec());
        m.put("pruned", o.prunedSpec());
        m.put("dropped", o.dropped().stream().map(d -> {
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("unit", d.unit());
            u.put("adjacent_cka", JsonNumbers.nanToNull(d.adjacentCka()));
            return u;
        }).toList());
        m.put("reinitialized_layers", o.reinitialized());
        m.put("finetune_epochs", o.finetuneEpochs());
        Map<String, Object> top1 = new LinkedHashMap<>();
        top1.put("original", o.top1Original());
        top1.put("pruned", o.top1Pruned());
        top1.put("finetuned", o.top1FineTuned());
        top1.put("change_points", o.top1Change());
        m.put("top1", top1);
        m.put("params", Map.of("original", o.paramsOriginal(), "pruned", o.paramsPruned(), "reduction_pct", o.paramsReduction()));
        m.put("flops", Map.of("original", o.flopsOriginal(), "pruned", o.flopsPruned(), "reduction_pct", o.flopsReduction()));
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("original", o.latencyOriginal());
        latency.put("pruned", o.latencyPruned());
        latency.put("original_spread", o.latencyOriginalSpread());
        latency.put("pruned_spread", o.latencyPrunedSpread());
        latency.put("reduction_pct", o.latencyReduction());
        latency.put("reduction_spread_pct", o.latencyReductionSpread());
        latency.put("faster_rounds", o.latencyFasterRounds());
        latency.put("rounds", o.latencyRounds());
        latency.put("significant", o.latencyDifference().significant());
        m.put("latency_s", latency);
        Map<String, Object> msrs = new LinkedHashMap<>();
        msrs.put("original", JsonNumbers.nanToNull(o.msrsOriginal()));
        msrs.put("pruned", JsonNumbers.nanToNull(o.msrsPruned()));
        msrs.put("units_original", o.unitsOriginal());
        msrs.put("units_pruned", o.unitsPruned());
        msrs.put("share_original_pct", JsonNumbers.nanToNull(o.msrsShareOriginal()));
        msrs.put("share_pruned_pct", JsonNumbers.nanToNull(o.msrsSharePruned()));
        m.put("msrs", msrs);
        m.put("directory", o.directory().toString());
        return m;
    }

    /**
     * An outcome read back from its JSON (what the report and a re-run's kept timings start from). Files written
     * before the units and timing rounds were recorded read as 0 of each; {@code knownUnits} (0: unknown) then
     * stands for the original's units, and the pruned model has as many less the dropped ones.
     */
    public static PruningOutcome fromJson(JsonNode o, int knownUnits) {
        List<PruningOutcome.DroppedUnit> dropped = new ArrayList<>();
        o.path("dropped").forEach(d -> dropped.add(d.isObject()
                ? new PruningOutcome.DroppedUnit(d.path("unit").asText(), number(d.path("adjacent_cka")))
                : new PruningOutcome.DroppedUnit(d.asText(), Double.NaN)));
        List<String> reinitialized = new ArrayList<>();
        o.path("reinitialized_layers").forEach(r -> reinitialized.add(r.asText()));
        int unitsOriginal = o.at("/msrs/units_original").asInt(knownUnits);
        int unitsPruned = o.at("/msrs/units_pruned").asInt(unitsOriginal > 0 ? unitsOriginal - dropped.size() : 0);
        String dir = o.path("directory").asText("");
        return new PruningOutcome(o.path("method").asText(), o.path("criterion").asText(), o.path("seed").asLong(),
                o.path("original").asText(), o.path("pruned").asText(), List.copyOf(dropped), List.copyOf(reinitialized),
                o.path("finetune_epochs").asInt(), number(o.at("/top1/original")), number(o.at("/top1/pruned")),
                number(o.at("/top1/finetuned")), o.at("/params/original").asLong(), o.at("/params/pruned").asLong(),
                o.at("/flops/original").asLong(), o.at("/flops/pruned").asLong(), number(o.at("/latency_s/original")),
                number(o.at("/latency_s/pruned")), number(o.at("/latency_s/original_spread")),
                number(o.at("/latency_s/pruned_spread")), o.at("/latency_s/faster_rounds").asInt(0),
                o.at("/latency_s/rounds").asInt(0), number(o.at("/msrs/original")), number(o.at("/msrs/pruned")),
                unitsOriginal, unitsPruned, dir.isEmpty() ? null : Path.of(dir));
    }

    /** A JSON number, or NaN for null, missing or text ("NaN" as Jackson writes it is read back as NaN too). */
    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : n.isTextual() ? parse(n.asText()) : Double.NaN;
    }

    private static double parse(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    public static Path writeJson(List<PruningOutcome> outcomes, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            JSON.writeValue(file.toFile(), outcomes.stream().map(PruningReport::json).toList());
            return file;
        } catch (IOException e) {
            throw new RedTestException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public static void record(ResultsDatabase db, Long runId, List<PruningOutcome> outcomes) {
        PruningTable table = new PruningTable(db);
        for (PruningOutcome o : outcomes) {
            Map<String, Object> j = json(o);
            try {
                table.insert(new PruningTable.Row(runId, new PruningTable.Method(o.method(), o.criterion(), o.seed()),
                        new PruningTable.Structures(o.originalSpec(), o.prunedSpec(),
                                JSON.writeValueAsString(j.get("dropped")), JSON.writeValueAsString(o.reinitialized()),
                                o.finetuneEpochs()),
                        new PruningTable.Top1(o.top1Original(), o.top1Pruned(), o.top1FineTuned()),
                        new PruningTable.Count(o.paramsOriginal(), o.paramsPruned(), o.paramsReduction()),
                        new PruningTable.Count(o.flopsOriginal(), o.flopsPruned(), o.flopsReduction()),
                        new PruningTable.Latency(o.latencyOriginal(), o.latencyPruned(), o.latencyReduction(),
                                o.latencyOriginalSpread(), o.latencyPrunedSpread()),
                        new PruningTable.Msrs(o.msrsOriginal(), o.msrsPruned()), o.directory().toString(),
                        SoftwareVersions.json()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
