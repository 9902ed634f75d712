package org.redtest.cli;

import org.redtest.RedTestException;
import org.redtest.measure.CanonicalMeasurements;
import org.redtest.storage.MeasurementTable.Stored;
import org.redtest.storage.PruningTable;
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
                "Rows: model, data, status, params, FLOPs, epochs, test top-1 and loss, canonical MSRS (a fine-tuning "
                        + "run: the MSRS pruning measured, marked '(pruning)'; the latest ad-hoc one, marked as such), "
                        + "training time, then the hyperparameters (learning rate of the first epoch, batch size, momentum, "
                        + "weight decay, seed). Writes test top-1 and test loss against epoch, one line per run, to "
                        + "compare-top1.png and compare-loss.png; a fine-tuning run's epochs follow its model's training "
                        + "epochs.",
                "--csv prints one row per run (the same values, full precision) instead of the table."},
        footerHeading = "%nExamples:%n",
        footer = {"  bin/redtest compare quickstart quickstart/prune-cka-keep6",
                "  bin/redtest compare resnet20 resnet56 --db checkpoints/paper-cpu/redtest.db",
                "      (the curves go to compare/ beside the database, or --out DIR)",
                "  bin/redtest compare quickstart quickstart/prune-cka-keep6 --csv > compare.csv"})
final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(arity = "2..*", paramLabel = "RUN", description = "Run names (as 'runs' lists them).")
    List<String> names;
    @Mixin
    DatabaseOption databaseOption;
    @Option(names = "--out", description = "Directory for the plots (default: compare/ beside the database).")
    Path out;
    @Mixin
    CsvOption csv;

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
            Map<String, Double> pruned = new PruningTable(db).prunedMsrsByRunName();
            Map<String, RunSettings> settings = new LinkedHashMap<>();
            runs.forEach(r -> settings.put(r.name(), RunSettings.of(r, db, summaries)));
            if (csv.requested) {
                CsvOption.print(print, CSV_HEADERS, runs.stream().map(r -> csvRow(r, measurements, pruned.get(r.name()),
                        settings.get(r.name()))).toList());
                return 0;
            }
            print.print(table(runs, measurements, pruned, settings));
            print.flush();
            settingsNote(runs, measurements).ifPresent(print::println);

            Map<String, List<EpochRecord>> curves = new LinkedHashMap<>();
            runs.forEach(r -> {
                int after = trainedEpochs(r, summaries, db);
                curves.put(after > 0 ? r.name() + " (fine-tuning after epoch " + after + ")" : r.name(),
                        shifted(db.epochs(r.id()), after));
            });
            Path top1 = dir.resolve("compare-top1.png");
            Path loss = dir.resolve("compare-loss.png");
            TrainingCurvesPlot.write(curves, TrainingCurvesPlot.Metric.TOP1, top1);
            TrainingCurvesPlot.write(curves, TrainingCurvesPlot.Metric.LOSS, loss);
            print.println("curves: " + top1 + ", " + loss);
        }
        return 0;
    }

    /**
     * How many training epochs a fine-tuning run's model had before it: the epochs of the run it was pruned from
     * (its name up to the last '/'), so that its epoch 1 is drawn after them, not beside the training's epoch 1.
     */
    static int trainedEpochs(RunSummary run, RunSummaries summaries, ResultsDatabase db) {
        int slash = run.name().lastIndexOf('/');
        if (!"finetune".equals(run.kind()) || slash <= 0) {
            return 0;
        }
        return summaries.named(run.name().substring(0, slash)).map(parent -> db.epochs(parent.id()).size()).orElse(0);
    }

    static List<EpochRecord> shifted(List<EpochRecord> epochs, int by) {
        return epochs.stream().map(e -> new EpochRecord(e.epoch() + by, e.learningRate(), e.trainLoss(), e.testTop1(),
                e.testTop5(), e.testLoss(), e.seconds(), e.imagesPerSecond())).toList();
    }

    static final List<String> CSV_HEADERS;

    static {
        List<String> h = new ArrayList<>(RunsCommand.CSV_HEADERS);
        h.addAll(List.of("learning_rate", "batch_size", "momentum", "weight_decay", "seed"));
        CSV_HEADERS = List.copyOf(h);
    }

    private static List<Object> csvRow(RunSummary r, CanonicalMeasurements m, Double pruned, RunSettings s) {
        List<Object> row = new ArrayList<>(RunsCommand.csvRow(r, m, pruned));
        row.addAll(java.util.Arrays.asList(s.learningRate(), s.batchSize(), s.momentum(), s.weightDecay(), s.seed()));
        return row;
    }

    private static String table(List<RunSummary> runs, CanonicalMeasurements m, Map<String, Double> pruned,
                                Map<String, RunSettings> settings) {
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
        row(t, runs, "MSRS", r -> RunCells.msrs(m.of(r.id()), m.adHocOf(r.id()), pruned.get(r.name())));
        row(t, runs, "MSRS measured with", r -> m.of(r.id()).map(RunCells::settings).orElse(RunCells.NONE));
        if (runs.stream().anyMatch(r -> !m.adHocOf(r.id()).isEmpty())) {
            row(t, runs, "latest ad-hoc MSRS", r -> latest(m.adHocOf(r.id()))
                    .map(a -> RunCells.number(a.msrsMean(), "%.2f") + " (" + RunCells.settings(a) + ")").orElse(RunCells.NONE));
        }
        row(t, runs, "training time", r -> RunCells.duration(r.trainSeconds()));
        row(t, runs, "learning rate (first epoch)", r -> value(settings.get(r.name()).learningRate()));
        row(t, runs, "batch size", r -> value(settings.get(r.name()).batchSize()));
        row(t, runs, "momentum", r -> value(settings.get(r.name()).momentum()));
        row(t, runs, "weight decay", r -> value(settings.get(r.name()).weightDecay()));
        row(t, runs, "seed", r -> value(settings.get(r.name()).seed()));
        return t.render();
    }

    private static String value(Object v) {
        return v == null ? RunCells.NONE : v instanceof Double d ? java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString()
                : v.toString();
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
