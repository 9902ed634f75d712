package org.redtest.cli;

import org.redtest.RedTestException;
import org.redtest.measure.CanonicalMeasurements;
import org.redtest.storage.MeasurementTable.Stored;
import org.redtest.storage.ResultsDatabase;
import org.redtest.storage.RunSummaries;
import org.redtest.storage.RunSummaries.RunSummary;
import org.redtest.training.EpochRecord;
import org.redtest.training.TrainingCurvesPlot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare runs side by side and plot their training curves.",
                "Rows: model, data, status, params, FLOPs, epochs, test top-1 and loss, canonical MSRS (and the latest "
                        + "ad-hoc one, marked as such), training time. Writes test top-1 and test loss against epoch, one "
                        + "line per run, to compare-top1.png and compare-loss.png."},
        footerHeading = "%nExamples:%n",
        footer = {"  bin/redtest compare quickstart quickstart/prune-cka-keep6",
                "  bin/redtest compare resnet20 resnet56 --db checkpoints/paper-cpu/redtest.db",
                "      (the curves go to compare/ beside the database, or --out DIR)"})
final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(arity = "2..*", paramLabel = "RUN", description = "Run names (as 'runs' lists them).")
    List<String> names;
    @Mixin
    DatabaseOption databaseOption;
    @Option(names = "--out", description = "Directory for the plots (default: compare/ beside the database).")
    Path out;

    @Override
    public Integer call() {
        Path database = databaseOption.path();
        if (!Files.isRegularFile(database)) {
            throw new RedTestException("results database not found: " + database);
        }
        Path dir = out != null ? out : database.toAbsolutePath().getParent().resolve("compare");
        var print = spec.commandLine().getOut();
        try (ResultsDatabase db = ResultsDatabase.open(database)) {
            RunSummaries summaries = new RunSummaries(db);
            List<RunSummary> runs = new ArrayList<>();
            for (String name : new LinkedHashSet<>(names)) {
                runs.add(summaries.named(name).orElseThrow(() -> new RedTestException("no run '" + name + "' in " + database
                        + " (bin/redtest runs --db " + database + " lists them)")));
            }
            CanonicalMeasurements measurements = CanonicalMeasurements.read(db);
            print.print(table(runs, measurements));
            print.flush();
            settingsNote(runs, measurements).ifPresent(print::println);

            Map<String, List<EpochRecord>> curves = new LinkedHashMap<>();
            runs.forEach(r -> curves.put(r.name(), db.epochs(r.id())));
            Path top1 = dir.resolve("compare-top1.png");
            Path loss = dir.resolve("compare-loss.png");
            TrainingCurvesPlot.write(curves, TrainingCurvesPlot.Metric.TOP1, top1);
            TrainingCurvesPlot.write(curves, TrainingCurvesPlot.Metric.LOSS, loss);
            print.println("curves: " + top1 + ", " + loss);
        }
        return 0;
    }

    private static String table(List<RunSummary> runs, CanonicalMeasurements m) {
        List<String> headers = new ArrayList<>(List.of(""));
        runs.forEach(r -> headers.add(r.name()));
        TextTable t = new TextTable(headers.toArray(String[]::new));
        row(t, runs, "model", RunSummary::modelSpec);
        row(t, runs, "data", RunSummary::dataset);
        row(t, runs, "status", RunSummary::statusText);
        row(t, runs, "params", r -> r.params() == null ? RunCells.NONE : String.format("%,d", r.params()));
        row(t, runs, "FLOPs", r -> r.flops() == null ? RunCells.NONE : String.format("%,d", r.flops()));
        row(t, runs, "epochs (done/planned)", RunCells::epochs);
        row(t, runs, "test top-1 %", r -> RunCells.number(r.top1(), "%.2f"));
        row(t, runs, "test loss", r -> RunCells.number(r.loss(), "%.4f"));
        row(t, runs, "MSRS", r -> RunCells.msrs(m.of(r.id()), m.adHocOf(r.id())));
        row(t, runs, "MSRS measured with", r -> m.of(r.id()).map(RunCells::settings).orElse(RunCells.NONE));
        if (runs.stream().anyMatch(r -> !m.adHocOf(r.id()).isEmpty())) {
            row(t, runs, "latest ad-hoc MSRS", r -> latest(m.adHocOf(r.id()))
                    .map(a -> RunCells.number(a.msrsMean(), "%.2f") + " (" + RunCells.settings(a) + ")").orElse(RunCells.NONE));
        }
        row(t, runs, "training time", r -> RunCells.duration(r.trainSeconds()));
        return t.render();
    }

    private static void row(TextTable t, List<RunSummary> runs, String label, Function<RunSummary, String> cell) {
        List<String> cells = new ArrayList<>(List.of(label));
        runs.forEach(r -> cells.add(cell.apply(r)));
        t.row(cells.toArray(String[]::new));
    }

    private static Optional<Stored> latest(List<Stored> rows) {
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(rows.size() - 1));
    }

    /** MSRS grows with the batches and images measured: values measured differently are not comparable. */
    private static Optional<String> settingsNote(List<RunSummary> runs, CanonicalMeasurements m) {
        Set<String> settings = new LinkedHashSet<>();
        runs.forEach(r -> m.of(r.id()).ifPresent(c -> settings.add(RunCells.settings(c))));
        return settings.size() > 1
                ? Optional.of("note: the runs' MSRS were measured with different settings (batches, images, sampling, split or gamma); compare with care")
                : Optional.empty();
    }
}
