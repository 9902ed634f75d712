package org.redtest.report;

import com.fasterxml.jackson.databind.JsonNode;

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
        // every method timed the original again beside its pruned model: the original row shows their mean
        double latency = StreamSupport.stream(outcomes.spliterator(), false)
                .mapToDouble(o -> o.at("/latency_s/original").asDouble(Double.NaN)).filter(Double::isFinite).average()
                .orElse(Double.NaN);
        rows.add(List.of("original", first.path("original").asText(), NONE, percent(first.at("/top1/original")), NONE, NONE,
                si(first.at("/params/original")), NONE, si(first.at("/flops/original")), NONE,
                significant(1000 * latency), NONE, significant(first.at("/msrs/original"))));
        boolean seeds = StreamSupport.stream(outcomes.spliterator(), false).map(o -> o.path("method").asText()).distinct()
                .count() < outcomes.size();
        for (JsonNode o : outcomes) {
            rows.add(List.of(o.path("method").asText() + (seeds ? " (seed " + o.path("seed").asText() + ")" : ""),
                    o.path("pruned").asText(), dropped(o.path("dropped")), percent(o.at("/top1/original")),
                    percent(o.at("/top1/pruned")), percent(o.at("/top1/finetuned")), si(o.at("/params/pruned")),
                    percent(o.at("/params/reduction_pct")), si(o.at("/flops/pruned")), percent(o.at("/flops/reduction_pct")),
                    ReportNumbers.millis(o.at("/latency_s/pruned")), percent(o.at("/latency_s/reduction_pct")),
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
                + "of one image, each pruned model timed beside the original (the original row: the mean of those "
                + "timings). FLOPs: multiply-accumulates of one forward pass (with batch norm and ReLU).";
    }

    private static String dropped(JsonNode units) {
        List<String> parts = new ArrayList<>();
        for (JsonNode u : units) {
            parts.add(u.path("unit").asText() + " (" + ReportNumbers.format("%.3f", u.path("adjacent_cka").asDouble(Double.NaN)) + ")");
        }
        return parts.isEmpty() ? NONE : String.join(", ", parts);
    }
}
