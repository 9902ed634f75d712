package org.redtest.report;

import java.util.ArrayList;
import java.util.List;

import static org.redtest.report.ReportNumbers.NONE;

/**
 * The box at the top of the page that answers the question before any evidence: model, data, accuracy,
 * MSRS and what it means, the pruning outcome per method, the search's and the reproduction's result.
 */
final class SummaryBox {
    private SummaryBox() {
    }

    /** The answer first: what was measured on what, how accurate, how redundant, what pruning bought. */
    static void write(HtmlPage page, ExperimentReport.Run run) {
        page.open("section", "summary").heading(2, "Summary");
        List<String> facts = new ArrayList<>();
        if (run.paper() != null) {
            facts.addAll(List.of("Reproduction", run.paper().path("summary").asText(NONE)));
            List<String> failed = new ArrayList<>();
            run.paper().path("rows").forEach(r -> {
                if (r.path("verdict").asText().equals("FAIL")) {
                    failed.add(r.path("item").asText());
                }
            });
            if (!failed.isEmpty()) {
                facts.addAll(List.of("Failed checks", String.join("; ", failed)));
            }
            facts.addAll(List.of("Setting", run.paper().path("context").asText(NONE)));
        }
        if (run.runJson() != null || run.measure() != null) {
            facts.addAll(List.of("Model", RunFacts.model(run.runJson(), run.measure(), run.record())));
            if (run.runJson() != null) {
                facts.addAll(List.of("Data", RunFacts.data(run.runJson())));
            }
            RunFacts.top1(run.record(), run.runJson(), run.source().directory())
                    .ifPresent(t -> facts.addAll(List.of("Test top-1", t)));
        }
        if (run.measure() != null) {
            facts.addAll(List.of("MSRS", RunFacts.msrs(run.measure()) + " " + MsrsReading.of(run.measure(),
                    run.record() == null ? List.of() : run.record().depthPoints())));
        }
        if (run.search() != null) {
            List<String> rewards = new ArrayList<>();
            run.search().fields().forEachRemaining(e -> rewards.add(e.getKey() + ": top-1 " + ReportNumbers.percent(
                    e.getValue().get("mean_accuracy")) + " %, MSRS " + ReportNumbers.significant(e.getValue().get("mean_msrs"))
                    + ", " + ReportNumbers.millis(e.getValue().get("mean_latency_s")) + " ms"));
            facts.addAll(List.of("Architecture search", "means of each reward's top-k selection: " + String.join("; ", rewards)));
        }
        if (facts.isEmpty() && run.pruning().isEmpty()) {
            facts.addAll(List.of("Results", "none yet in this directory (no run.json, measurement, pruning, search or "
                    + "reproduction files)"));
        }
        page.facts(facts);
        for (ExperimentReport.Pruning p : run.pruning()) {
            page.heading(3, "Pruning outcome (" + p.outcomes().get(0).path("criterion").asText() + ")");
            PruningSummary.Table t = PruningSummary.Table.of(p.outcomes(),
                    run.measure() == null ? 0 : run.measure().path("units").size());
            page.verdict(PruningSummary.verdict(t));
            page.table(PruningSummary.HEADERS, PruningSummary.rows(t), PruningSummary.rowClasses(t), PruningSummary.caption(t));
        }
        page.close();
    }
}
