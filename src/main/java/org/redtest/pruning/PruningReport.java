package org.redtest.pruning;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.redtest.RedTestException;
import org.redtest.runtime.SoftwareVersions;
import org.redtest.storage.JsonNumbers;
import org.redtest.storage.PruningTable;
import org.redtest.storage.ResultsDatabase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The before/after table of pruning results, as console text, a JSON file and database rows. */
public final class PruningReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PruningReport() {
    }

    public static String table(List<PruningOutcome> outcomes) {
        if (outcomes.isEmpty()) {
            return "nothing pruned";
        }
        PruningOutcome first = outcomes.get(0);
        StringBuilder s = new StringBuilder();
        s.append(String.format("Pruning %s (%s), fine-tuned %d epoch(s); top-1 in %%; PR = percentage reduction against "
                        + "the original; batch-1 latency %s ms (median ± half the interquartile range over timing rounds)%n",
                first.originalSpec(), first.criterion(), first.finetuneEpochs(),
                Rounding.withSpread(1000 * first.latencyOriginal(), 1000 * first.latencyOriginalSpread())));
        String header = String.format("%-17s %-26s %7s %7s %7s %8s %8s %10s %15s  %s%n", "method", "structure", "top-1",
                "pruned", "tuned", "Params", "FLOPs", "Latency", "MSRS", "dropped units (adjacent CKA)");
        s.append(header);
        s.append(String.format("%-17s %-26s %7.2f %7s %7s %8s %8s %10s %15s%n", "original", abbreviate(first.originalSpec()),
                first.top1Original(), "", "", "0.0", "0.0", "0", String.format("%.2f", first.msrsOriginal())));
        boolean repeated = outcomes.stream().map(PruningOutcome::seed).distinct().count() > 1;
        for (PruningOutcome o : outcomes) {
            StringBuilder dropped = new StringBuilder();
            o.dropped().forEach(d -> dropped.append(dropped.length() == 0 ? "" : " ")
                    .append(d.unit()).append(Double.isFinite(d.adjacentCka()) ? String.format("(%.2f)", d.adjacentCka()) : ""));
            s.append(String.format("%-17s %-26s %7.2f %7.2f %7.2f %8.1f %8.1f %10s %15s  %s%n",
                    repeated ? o.method() + " s" + o.seed() : o.method(), abbreviate(o.prunedSpec()), o.top1Original(), o.top1Pruned(), o.top1FineTuned(), o.paramsReduction(),
                    o.flopsReduction(), Rounding.withSpread(o.latencyReduction(), o.latencyReductionSpread()),
                    String.format("%.2f -> %.2f", o.msrsOriginal(), o.msrsPruned()),
                    dropped));
        }
        if (repeated) {
            s.append(String.format("mean +- standard deviation over the seeds:%n"));
            outcomes.stream().map(PruningOutcome::method).distinct().forEach(method -> {
                List<PruningOutcome> runs = outcomes.stream().filter(o -> o.method().equals(method)).toList();
                s.append(String.format("%-17s top-1 after fine-tuning %s, change %s points, MSRS after %s (%d seeds)%n",
                        method, SeedStatistics.of(runs, PruningOutcome::top1FineTuned).format(2),
                        SeedStatistics.of(runs, o -> o.top1FineTuned() - o.top1Original()).format(2),
                        SeedStatistics.of(runs, PruningOutcome::msrsPruned).format(2), runs.size()));
            });
        }
        return s.toString();
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
        m.put("top1", Map.of("original", o.top1Original(), "pruned", o.top1Pruned(), "finetuned", o.top1FineTuned()));
        m.put("params", Map.of("original", o.paramsOriginal(), "pruned", o.paramsPruned(), "reduction_pct", o.paramsReduction()));
        m.put("flops", Map.of("original", o.flopsOriginal(), "pruned", o.flopsPruned(), "reduction_pct", o.flopsReduction()));
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("original", o.latencyOriginal());
        latency.put("pruned", o.latencyPruned());
        latency.put("original_spread", o.latencyOriginalSpread());
        latency.put("pruned_spread", o.latencyPrunedSpread());
        latency.put("reduction_pct", o.latencyReduction());
        latency.put("reduction_spread_pct", o.latencyReductionSpread());
        m.put("latency_s", latency);
        Map<String, Object> msrs = new LinkedHashMap<>();
        msrs.put("original", JsonNumbers.nanToNull(o.msrsOriginal()));
        msrs.put("pruned", JsonNumbers.nanToNull(o.msrsPruned()));
        m.put("msrs", msrs);
        m.put("directory", o.directory().toString());
        return m;
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
