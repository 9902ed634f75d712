package org.redtest.report;

import org.redtest.measure.CanonicalMeasurements;
import org.redtest.storage.MeasurementTable.Stored;
import org.redtest.storage.ResultsDatabase;
import org.redtest.storage.RunSummaries;
import org.redtest.storage.RunSummaries.RunSummary;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the database says about a run beyond its files: its status as people should read it (a killed
 * run is not 'running') and its ad-hoc measurements, shown apart from the canonical one (measure-msrs.json).
 */
final class RunNotes {
    private RunNotes() {
    }

    static String status(ResultsDatabase db, String run) {
        return new RunSummaries(db).named(run).map(RunSummary::statusText).orElse("unknown");
    }

    static void adHocMeasurements(HtmlPage page, Path database, String run) {
        if (database == null) {
            return;
        }
        try (ResultsDatabase db = ResultsDatabase.open(database)) {
            var id = db.runId(run);
            if (id.isEmpty()) {
                return;
            }
            List<Stored> adHoc = CanonicalMeasurements.read(db).adHocOf(id.get());
            if (adHoc.isEmpty()) {
                return;
            }
            List<List<String>> rows = new ArrayList<>();
            for (Stored m : adHoc) {
                rows.add(List.of(m.measuredAt() == null ? "" : m.measuredAt(), String.format("%.4f", m.msrsMean()),
                        String.format("%.4f", m.msrsStd()), m.settings()));
            }
            page.heading(2, "Ad-hoc measurements (msrs; not the run's canonical MSRS)")
                    .table(List.of("measured at", "MSRS", "std", "settings"), rows, null);
        }
    }
}
