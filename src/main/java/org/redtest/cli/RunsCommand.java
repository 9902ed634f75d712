package org.redtest.cli;

import org.redtest.RedTestException;
import org.redtest.measure.CanonicalMeasurements;
import org.redtest.storage.PruningTable;
import org.redtest.storage.ResultsDatabase;
import org.redtest.storage.RunStatus;
import org.redtest.storage.RunSummaries;
import org.redtest.storage.RunSummaries.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "runs", mixinStandardHelpOptions = true,
        description = {"List the runs of a results database, one line each.",
                "Columns: name, model, data, status, epochs done/planned, test top-1 (the last epoch's until the run "
                        + "finishes), MSRS (the run's canonical measurement, made by its measure stage, or for a "
                        + "fine-tuning run the MSRS pruning measured after fine-tuning, marked '(pruning)'; ad-hoc msrs "
                        + "measurements are counted beside it), start and end (UTC). A run left 'running' by a process "
                        + "that no longer exists shows as 'running (process gone)'.",
                "--csv prints the same as comma-separated values for pandas or R (docs/outputs.md)."},
        footerHeading = "%nExamples:%n",
        footer = {"  bin/redtest runs",
                "  bin/redtest runs --db checkpoints/paper-cpu/redtest.db --json",
                "  bin/redtest runs --csv > runs.csv"})
final class RunsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    DatabaseOption databaseOption;
    @Mixin
    JsonOption json;
    @Mixin
    CsvOption csv;

    static final List<String> CSV_HEADERS = List.of("name", "kind", "model", "dataset", "status", "epochs_done",
            "epochs_planned", "top1", "loss", "msrs", "msrs_std", "msrs_source", "params", "flops", "train_seconds",
            "started_at", "finished_at");

    /** One run as a CSV row: the canonical MSRS, else a fine-tuning run's MSRS after pruning ("pruning"). */
    static List<Object> csvRow(RunSummary r, CanonicalMeasurements m, Double pruned) {
        var canonical = m.of(r.id());
        Object msrs = canonical.<Object>map(c -> c.msrsMean()).orElse(pruned);
        Object std = canonical.<Object>map(c -> c.msrsStd()).orElse(null);
        String source = canonical.isPresent() ? "measure" : pruned != null ? "pruning" : null;
        return java.util.Arrays.asList(r.name(), r.kind(), r.modelSpec(), r.dataset(), r.statusText(), r.epochsDone(),
                r.epochsPlanned(), r.top1(), r.loss(), msrs, std, source, r.params(), r.flops(), r.trainSeconds(),
                r.startedAt(), r.finishedAt());
    }

    @Override
    public Integer call() {
        Path database = databaseOption.path();
        if (!Files.isRegularFile(database)) {
            throw new RedTestException("results database not found: " + database);
        }
        var out = spec.commandLine().getOut();
        try (ResultsDatabase db = ResultsDatabase.open(database)) {
            List<RunSummary> runs = new RunSummaries(db).all();
            CanonicalMeasurements measurements = CanonicalMeasurements.read(db);
            Map<String, Double> pruned = new PruningTable(db).prunedMsrsByRunName();
            if (csv.requested) {
                CsvOption.print(out, CSV_HEADERS, runs.stream().map(r -> csvRow(r, measurements, pruned.get(r.name()))).toList());
                return 0;
            }
            if (json.requested) {
                List<Map<String, Object>> rows = new ArrayList<>();
                runs.forEach(r -> rows.add(RunCells.runJson(r, measurements.of(r.id()), measurements.adHocOf(r.id()),
                        pruned.get(r.name()))));
                Map<String, Object> root = new LinkedHashMap<>();
                root.put("database", database.toString());
                root.put("runs", rows);
                out.println(Console.json(root));
                return 0;
            }
            if (runs.isEmpty()) {
                out.println("no runs in " + database);
                return 0;
            }
            TextTable table = new TextTable("name", "model", "data", "status", ">epochs", ">top-1 %", ">MSRS",
                    "started (UTC)", "finished (UTC)");
            for (RunSummary r : runs) {
                table.row(r.name(), RunCells.model(r.modelSpec()), r.dataset(), r.statusText(), RunCells.epochs(r),
                        RunCells.number(r.top1(), "%.2f"), RunCells.msrs(measurements.of(r.id()), measurements.adHocOf(r.id()),
                                pruned.get(r.name())),
                        RunCells.time(r.startedAt()), RunCells.time(r.finishedAt()));
            }
            out.print(table.render());
            runs.stream().filter(r -> r.error() != null && RunStatus.FAILED.word().equals(r.status()))
                    .forEach(r -> out.println(r.name() + " failed: " + r.error()));
            out.flush();
        }
        return 0;
    }
}
