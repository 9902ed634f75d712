package org.redtest.cli;

import org.redtest.RedTestException;
import org.redtest.measure.CanonicalMeasurements;
import org.redtest.storage.ResultsDatabase;
import org.redtest.storage.RunStatusText;
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
                        + "finishes), MSRS (the run's canonical measurement, made by its measure stage; ad-hoc msrs "
                        + "measurements are counted beside it), start and end (UTC). A run left 'running' by a process "
                        + "that no longer exists shows as 'running (process gone)'."},
        footerHeading = "%nExamples:%n",
        footer = {"  bin/redtest runs",
                "  bin/redtest runs --db checkpoints/paper-cpu/redtest.db --json"})
final class RunsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    DatabaseOption databaseOption;
    @Mixin
    JsonOption json;

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
            if (json.requested) {
                List<Map<String, Object>> rows = new ArrayList<>();
                runs.forEach(r -> rows.add(RunCells.runJson(r, measurements.of(r.id()), measurements.adHocOf(r.id()))));
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
                        RunCells.number(r.top1(), "%.2f"), RunCells.msrs(measurements.of(r.id()), measurements.adHocOf(r.id())),
                        RunCells.time(r.startedAt()), RunCells.time(r.finishedAt()));
            }
            out.print(table.render());
            runs.stream().filter(r -> r.error() != null && RunStatusText.FAILED.equals(r.status()))
                    .forEach(r -> out.println(r.name() + " failed: " + r.error()));
            out.flush();
        }
        return 0;
    }
}
