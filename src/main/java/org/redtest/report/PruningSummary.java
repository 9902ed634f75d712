package org.redtest.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.redtest.pruning.Rounding;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

import static org.redtest.report.ReportNumbers.NONE;
import static org.redtest.report.ReportNumbers.percent;
import static org.redtest.report.ReportNumbers.si;
import static org.redtest.report.ReportNumbers.significant;

/**
 * One pruning file (pruning-CRITERION.json) as a table a reader can compare down the columns: the
 * original model first, then one row per method (and seed), with the dropped units and their
 * adjacent CKA, accuracy before, right after pruning and after fine-tuning, and the reductions.
 */
final class PruningSummary {
    static final List<String> HEADERS = List.of("method", "structure", "dropped units (adjacent CKA)", "top-1 % before",
            "top-1 % right after pruning", "top-1 % after fine-tuning", "Params", "Params PR %", "FLOPs", "FLOPs PR %",
            "latency ms", "latency PR %", "MSRS");

    private PruningSummary() {
    }

    static List<List<String>> rows(JsonNode outcomes) {
        List<List<String>> rows = new ArrayList<>();
        JsonNode first = outcomes.get(0);
        String latency = sharedTiming(outcomes)
                ? withSpread(first.at("/latency_s/original"), first.at("/latency_s/original_spread"), 1000)
                : significant(1000 * StreamSupport.stream(outcomes.spliterator(), false) // older files: the mean
                .mapToDouble(o -> o.at("/latency_s/original").asDouble(Double.NaN)).filter(Double::isFinite).average()
                .orElse(Double.NaN));
        rows.add(List.of("original", first.path("original").asText(), NONE, percent(first.at("/top1/original")), NONE, NONE,
                si(first.at("/params/original")), NONE, si(first.at("/flops/original")), NONE, latency, NONE,
                significant(first.at("/msrs/original"))));
        boolean seeds = StreamSupport.stream(outcomes.spliterator(), false).map(o -> o.path("method").asText()).distinct()
                .count() < outcomes.size();
        for (JsonNode o : outcomes) {
            rows.add(List.of(o.path("method").asText() + (seeds ? " (seed " + o.path("seed").asText() + ")" : ""),
                    o.path("pruned").asText(), dropped(o.path("dropped")), percent(o.at("/top1/original")),
                    percent(o.at("/top1/pruned")), percent(o.at("/top1/finetuned")), si(o.at("/params/pruned")),
                    percent(o.at("/params/reduction_pct")), si(o.at("/flops/pruned")), percent(o.at("/flops/reduction_pct")),
                    withSpread(o.at("/latency_s/pruned"), o.at("/latency_s/pruned_spread"), 1000),
                    withSpread(o.at("/latency_s/reduction_pct"), o.at("/latency_s/reduction_spread_pct"), 1),
                    significant(o.at("/msrs/pruned"))));
        }
        return rows;
    }

    /** The first row is the original model, shaded. */
    static List<String> rowClasses(JsonNode outcomes) {
        List<String> classes = new ArrayList<>();
        classes.add("original");
        outcomes.forEach(o -> classes.add(null));
        return classes;
    }

    static String caption(JsonNode outcomes) {
        JsonNode first = outcomes.get(0);
        return "PR = percentage reduction against the original model: 100 × (original − pruned) / original, so higher "
                + "means smaller or faster. Criterion " + first.path("criterion").asText() + "; every method drops as many "
                + "units. Adjacent CKA of a unit: its CKA with the next unit (1 = the next unit repeats it). Top-1 on the "
                + "test set; fine-tuning " + first.path("finetune_epochs").asText() + " epoch(s). Latency: median forward pass "
                + "of one image over timing rounds" + (first.at("/latency_s/original_spread").isNumber()
                ? " ± half the interquartile range" : "") + (sharedTiming(outcomes)
                ? ", the original and every pruned model timed in the same alternating rounds"
                : ", each pruned model timed beside the original (the original row: the mean of those timings)")
                + ". FLOPs: multiply-accumulates of one forward pass (with batch norm and ReLU).";
    }

    /** Whether all methods share one timing of the original (they do since all are timed in the same rounds). */
    private static boolean sharedTiming(JsonNode outcomes) {
        return StreamSupport.stream(outcomes.spliterator(), false).map(o -> o.at("/latency_s/original").asText()).distinct()
                .count() == 1;
    }

    /** "12.7 ± 0.3" at the precision the spread supports; the value alone where no spread was recorded. */
    private static String withSpread(JsonNode value, JsonNode spread, double scale) {
        if (!ReportNumbers.present(value)) {
            return NONE;
        }
        return ReportNumbers.present(spread) ? Rounding.withSpread(scale * value.asDouble(), scale * spread.asDouble())
                : scale == 1 ? percent(value) : significant(scale * value.asDouble());
    }

    private static String dropped(JsonNode units) {
        List<String> parts = new ArrayList<>();
        for (JsonNode u : units) {
            parts.add(u.path("unit").asText() + " (" + ReportNumbers.format("%.3f", u.path("adjacent_cka").asDouble(Double.NaN)) + ")");
        }
        return parts.isEmpty() ? NONE : String.join(", ", parts);
    }
}
