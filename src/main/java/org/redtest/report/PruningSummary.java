package org.redtest.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.redtest.pruning.LatencyDifference;
import org.redtest.pruning.PruningOutcome;
import org.redtest.pruning.PruningReport;
import org.redtest.pruning.PruningVerdict;
import org.redtest.pruning.Rounding;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

import static org.redtest.report.ReportNumbers.NONE;
import static org.redtest.report.ReportNumbers.percent;
import static org.redtest.report.ReportNumbers.si;
import static org.redtest.report.ReportNumbers.significant;

/**
 * One pruning file (pruning-CRITERION.json) as a table a reader can compare down the columns: the original model
 * first, then one row per method (and seed). The answer comes first (top-1 after fine-tuning and its change, the
 * reductions, MSRS as a share of the unit pairs), so that a phone shows it without scrolling sideways; how it was
 * reached (top-1 right after pruning, absolute costs, structure, dropped units) follows.
 */
final class PruningSummary {
    static final List<String> HEADERS = List.of("method", "top-1 % after fine-tuning", "top-1 change (points)",
            "Params PR %", "FLOPs PR %", "latency PR %", "MSRS (redundant pairs)", "top-1 % right after pruning",
            "latency ms", "Params", "FLOPs", "structure", "dropped units (adjacent CKA)");

    /** The outcomes of one file, and the original's measured units for files that did not record them (0: unknown). */
    record Table(JsonNode json, List<PruningOutcome> outcomes) {
        static Table of(JsonNode json, int knownUnits) {
            List<PruningOutcome> outcomes = new ArrayList<>();
            json.forEach(o -> outcomes.add(PruningReport.fromJson(o, knownUnits)));
            return new Table(json, outcomes);
        }
    }

    private PruningSummary() {
    }

    static List<List<String>> rows(Table t) {
        List<List<String>> rows = new ArrayList<>();
        JsonNode first = t.json().get(0);
        PruningOutcome o0 = t.outcomes().get(0);
        String latency = sharedTiming(t.json())
                ? withSpread(first.at("/latency_s/original"), first.at("/latency_s/original_spread"), 1000)
                : significant(1000 * StreamSupport.stream(t.json().spliterator(), false) // older files: the mean
                .mapToDouble(o -> o.at("/latency_s/original").asDouble(Double.NaN)).filter(Double::isFinite).average()
                .orElse(Double.NaN));
        rows.add(List.of("original", percent(o0.before().top1()), NONE, NONE, NONE, NONE,
                msrs(o0.before().msrs(), o0.before().units()), NONE, latency, si(first.at("/params/original")),
                si(first.at("/flops/original")), first.path("original").asText(), NONE));
        boolean seeds = t.outcomes().stream().map(o -> o.selection().method()).distinct().count() < t.outcomes().size();
        for (int i = 0; i < t.outcomes().size(); i++) {
            PruningOutcome o = t.outcomes().get(i);
            JsonNode j = t.json().get(i);
            rows.add(List.of(o.selection().method() + (seeds ? " (seed " + o.selection().seed() + ")" : ""), percent(o.after().top1()),
                    ReportNumbers.format("%+.1f", o.top1Change()), percent(o.paramsReduction()), percent(o.flopsReduction()),
                    latencyReduction(o.latencyDifference()), msrs(o.after().msrs(), o.after().units()), percent(o.fineTuning().top1Pruned()),
                    withSpread(j.at("/latency_s/pruned"), j.at("/latency_s/pruned_spread"), 1000),
                    si(j.at("/params/pruned")), si(j.at("/flops/pruned")), o.after().spec(), dropped(o)));
        }
        return rows;
    }

    /** The first row is the original model, shaded. */
    static List<String> rowClasses(Table t) {
        List<String> classes = new ArrayList<>();
        classes.add("original");
        t.outcomes().forEach(o -> classes.add(null));
        return classes;
    }

    /** Which method came out best on accuracy and on redundancy, in one line. */
    static String verdict(Table t) {
        return PruningVerdict.of(t.outcomes());
    }

    static String caption(Table t) {
        JsonNode first = t.json().get(0);
        return "Top-1 on the test set; its change is against the original, in percentage points. PR = percentage reduction "
                + "against the original model: 100 × (original − pruned) / original, so higher means smaller or faster. "
                + "MSRS counts redundant unit pairs; a pruned model has fewer units and so fewer pairs (u (u − 1) / 2), "
                + "so before and after compare as shares of the pairs, not as counts. Criterion "
                + first.path("criterion").asText() + "; every method drops as many units. Adjacent CKA of a unit: its "
                + "CKA with the next unit (1 = the next unit repeats it). Fine-tuning " + first.path("finetune_epochs").asText()
                + " epoch(s). Latency: median forward pass of one image over timing rounds"
                + (first.at("/latency_s/original_spread").isNumber() ? " ± half the interquartile range" : "")
                + (sharedTiming(t.json()) ? ", the original and every pruned model timed in the same alternating rounds"
                : ", each pruned model timed beside the original (the original row: the mean of those timings)")
                + "; a reduction is marked not significant when its spread reaches it or the pruned model was not "
                + "faster in every round. FLOPs: multiply-accumulates of one forward pass (with batch norm and ReLU).";
    }

    /** "19.9 of 45 (44 %)", or the count alone where the units are not known. */
    static String msrs(double msrs, int units) {
        if (!Double.isFinite(msrs)) {
            return NONE;
        }
        return units > 1 ? significant(msrs) + " of " + PruningOutcome.pairs(units) + " ("
                + ReportNumbers.format("%.0f", 100 * msrs / PruningOutcome.pairs(units)) + " %)" : significant(msrs);
    }

    private static String latencyReduction(LatencyDifference d) {
        return Double.isFinite(d.reductionPct()) ? d.describe() : NONE;
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

    private static String dropped(PruningOutcome o) {
        List<String> parts = new ArrayList<>();
        o.selection().dropped().forEach(u -> parts.add(u.unit() + " (" + ReportNumbers.format("%.3f", u.adjacentCka()) + ")"));
        return parts.isEmpty() ? NONE : String.join(", ", parts);
    }
}
