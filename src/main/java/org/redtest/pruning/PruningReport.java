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
                first.before().spec(), first.selection().criterion(), first.fineTuning().epochs(),
                Rounding.withSpread(1000 * first.before().latency(), 1000 * first.before().latencySpread())));
        String format = "%-17s %7s %7s %7s %7s %15s %18s %7s  %-26s  %s%n";
        s.append(String.format(format, "method", "top-1", "change", "Params", "FLOPs", "Latency", "MSRS", "pruned",
                "structure", "dropped units (adjacent CKA)"));
        s.append(String.format(format, "original", String.format("%.2f", first.before().top1()), "", "", "", "",
                msrs(first.before().msrs(), first.before().units()), "", abbreviate(first.before().spec()), "").stripTrailing())
                .append(String.format("%n"));
        boolean repeated = outcomes.stream().map(o -> o.selection().seed()).distinct().count() > 1;
        List<String> noise = new ArrayList<>();
        for (PruningOutcome o : outcomes) {
            StringBuilder dropped = new StringBuilder();
            o.selection().dropped().forEach(d -> dropped.append(dropped.length() == 0 ? "" : " ")
                    .append(d.unit()).append(Double.isFinite(d.adjacentCka()) ? String.format("(%.2f)", d.adjacentCka()) : ""));
            String name = repeated ? o.selection().method() + " s" + o.selection().seed() : o.selection().method();
            LatencyDifference latency = o.latencyDifference();
            if (!latency.reason().isEmpty()) {
                noise.add(name + " (" + latency.reason() + ")");
            }
            s.append(String.format(format, name, String.format("%.2f", o.after().top1()), String.format("%+.2f", o.top1Change()),
                    String.format("%.1f", o.paramsReduction()), String.format("%.1f", o.flopsReduction()),
                    latency.describeShort(), msrs(o.after().msrs(), o.after().units()), String.format("%.2f", o.fineTuning().top1Pruned()),
                    abbreviate(o.after().spec()), dropped));
        }
        s.append(String.format("(pruned = top-1 right after pruning, before fine-tuning)%n"));
        if (!noise.isEmpty()) {
            s.append(String.format("n.s. = latency reduction not significant, timing noise rather than a result: %s%n",
                    String.join("; ", noise)));
        }
        if (repeated) {
            s.append(String.format("mean +- standard deviation over the seeds:%n"));
            outcomes.stream().map(o -> o.selection().method()).distinct().forEach(method -> {
                List<PruningOutcome> runs = outcomes.stream().filter(o -> o.selection().method().equals(method)).toList();
                s.append(String.format("%-17s top-1 after fine-tuning %s, change %s points, MSRS after %s (%d seeds)%n",
                        method, SeedStatistics.of(runs, o -> o.after().top1()).format(2),
                        SeedStatistics.of(runs, PruningOutcome::top1Change).format(2),
                        SeedStatistics.of(runs, o -> o.after().msrs()).format(2), runs.size()));
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
        m.put("method", o.selection().method());
        m.put("criterion", o.selection().criterion());
        m.put("seed", o.selection().seed());
        m.put("original", o.before().spec());
        m.put("pruned", o.after().spec());
        m.put("dropped", o.selection().dropped().stream().map(d -> {
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("unit", d.unit());
            u.put("adjacent_cka", JsonNumbers.nanToNull(d.adjacentCka()));
            return u;
        }).toList());
        m.put("reinitialized_layers", o.fineTuning().reinitialized());
        m.put("finetune_epochs", o.fineTuning().epochs());
        Map<String, Object> top1 = new LinkedHashMap<>();
        top1.put("original", o.before().top1());
        top1.put("pruned", o.fineTuning().top1Pruned());
        top1.put("finetuned", o.after().top1());
        top1.put("change_points", o.top1Change());
        m.put("top1", top1);
        m.put("params", Map.of("original", o.before().params(), "pruned", o.after().params(), "reduction_pct", o.paramsReduction()));
        m.put("flops", Map.of("original", o.before().flops(), "pruned", o.after().flops(), "reduction_pct", o.flopsReduction()));
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("original", o.before().latency());
        latency.put("pruned", o.after().latency());
        latency.put("original_spread", o.before().latencySpread());
        latency.put("pruned_spread", o.after().latencySpread());
        latency.put("reduction_pct", o.latencyReduction());
        latency.put("reduction_spread_pct", o.latencyReductionSpread());
        latency.put("faster_rounds", o.latencyFasterRounds());
        latency.put("rounds", o.latencyRounds());
        latency.put("significant", o.latencyDifference().significant());
        m.put("latency_s", latency);
        Map<String, Object> msrs = new LinkedHashMap<>();
        msrs.put("original", JsonNumbers.nanToNull(o.before().msrs()));
        msrs.put("pruned", JsonNumbers.nanToNull(o.after().msrs()));
        msrs.put("units_original", o.before().units());
        msrs.put("units_pruned", o.after().units());
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
        return new PruningOutcome(
                new PruningOutcome.Selection(o.path("method").asText(), o.path("criterion").asText(), o.path("seed").asLong(),
                        List.copyOf(dropped)),
                new PruningOutcome.Side(o.path("original").asText(), o.at("/params/original").asLong(),
                        o.at("/flops/original").asLong(), number(o.at("/top1/original")), number(o.at("/msrs/original")),
                        unitsOriginal, number(o.at("/latency_s/original")), number(o.at("/latency_s/original_spread"))),
                new PruningOutcome.Side(o.path("pruned").asText(), o.at("/params/pruned").asLong(),
                        o.at("/flops/pruned").asLong(), number(o.at("/top1/finetuned")), number(o.at("/msrs/pruned")),
                        unitsPruned, number(o.at("/latency_s/pruned")), number(o.at("/latency_s/pruned_spread"))),
                new PruningOutcome.FineTuning(List.copyOf(reinitialized), o.path("finetune_epochs").asInt(),
                        number(o.at("/top1/pruned"))),
                o.at("/latency_s/faster_rounds").asInt(0), o.at("/latency_s/rounds").asInt(0),
                dir.isEmpty() ? null : Path.of(dir));
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
                table.insert(new PruningTable.Row(runId, new PruningTable.Method(o.selection().method(), o.selection().criterion(), o.selection().seed()),
                        new PruningTable.Structures(o.before().spec(), o.after().spec(),
                                JSON.writeValueAsString(j.get("dropped")), JSON.writeValueAsString(o.fineTuning().reinitialized()),
                                o.fineTuning().epochs()),
                        new PruningTable.Top1(o.before().top1(), o.fineTuning().top1Pruned(), o.after().top1()),
                        new PruningTable.Count(o.before().params(), o.after().params(), o.paramsReduction()),
                        new PruningTable.Count(o.before().flops(), o.after().flops(), o.flopsReduction()),
                        new PruningTable.Latency(o.before().latency(), o.after().latency(), o.latencyReduction(),
                                o.before().latencySpread(), o.after().latencySpread()),
                        new PruningTable.Msrs(o.before().msrs(), o.after().msrs()), o.directory().toString(),
                        SoftwareVersions.json()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
