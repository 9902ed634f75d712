package org.redtest.cli;

import org.redtest.RedTestException;
import org.redtest.config.ExperimentConfig;
import org.redtest.config.MeasureConfig;
import org.redtest.config.PruneConfig;
import org.redtest.config.PruneMethod;
import org.redtest.experiment.ExperimentRun;
import org.redtest.experiment.PruneStage;
import org.redtest.io.DirectoryLock;
import org.redtest.pruning.PruningReport;
import org.redtest.training.RunMetadata;
import org.redtest.training.StopOnSignal;
import org.redtest.training.TrainingInterrupted;
import org.redtest.zoo.Architecture;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "prune", mixinStandardHelpOptions = true,
        description = {"Prune a trained model's layers by CKA guidance and fine-tune it, beside baselines that drop as many.",
                "Selects units (--tau or --keep), rebuilds the model with the trained weights, fine-tunes it "
                        + "(resumable) and reports before/after."},
        footerHeading = "%nExamples:%n",
        footer = {"  bin/redtest prune --checkpoint checkpoints/quickstart/model.zip --keep 6",
                "  bin/redtest prune --checkpoint checkpoints/quickstart/model.zip --tau 0.9"})
final class PruneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = "--checkpoint", required = true, description = "A model.zip written by train (with its run.json), or its run directory.")
    Path checkpoint;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Criterion criterion;

    static final class Criterion {
        @Option(names = "--tau", description = "Threshold mode: drop unit k when CKA(unit k, unit k+1) >= tau.")
        Double tau;
        @Option(names = "--keep", description = "Budget mode: keep the K least redundant prunable units.")
        Integer keep;
    }

    @Option(names = "--method", defaultValue = "cka", description = "cka, random or linear-probe (default ${DEFAULT-VALUE}).")
    String method;
    @Option(names = "--baselines", split = ",", defaultValue = "random,linear-probe",
            description = "Baselines run beside it, comma-separated, or 'none' (default ${DEFAULT-VALUE}).")
    List<String> baselines;
    @Option(names = "--finetune-epochs", defaultValue = "10", description = "Fine-tuning epochs (default ${DEFAULT-VALUE}).")
    int finetuneEpochs;
    @Option(names = "--repeats", defaultValue = "1", description = "Fine-tune each method this many times with seeds "
            + "seed, seed+1, ... (random also draws a new selection per seed); the table shows each and their mean (default ${DEFAULT-VALUE}).")
    int repeats;
    @Option(names = "--lr", description = "Fine-tuning learning rate (default: the run's training recipe).")
    Double learningRate;
    @Option(names = "--batches", defaultValue = "10", description = "Measurement batches (default ${DEFAULT-VALUE}).")
    int batches;
    @Option(names = "--batch-size", defaultValue = "256", description = "Measurement batch size (default ${DEFAULT-VALUE}).")
    int batchSize;
    @Option(names = "--retime", description = "Time the latencies again; by default pruning that was already done and "
            + "timed keeps its earlier latencies.")
    boolean retime;
    @Mixin
    DatabaseOption databaseOption;
    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws Exception {
        PruneConfig.checkCriterion("--tau", criterion.tau, "--keep", criterion.keep);
        checkpoint = CheckpointPath.resolve(checkpoint);
        RunMetadata run = RunMetadata.besides(checkpoint).orElseThrow(() -> new RedTestException(
                "no run.json beside " + checkpoint + ": prune needs the run's model spec, data and training recipe"));
        List<String> extra = baselines.size() == 1 && baselines.get(0).equalsIgnoreCase("none") ? List.of() : baselines;
        PruneConfig prune = PruneConfig.builder().method(PruneMethod.parse(method)).tau(criterion.tau).keep(criterion.keep)
                .baselines(extra.stream().map(PruneMethod::parse).toList()).finetuneEpochs(finetuneEpochs)
                .learningRate(learningRate).repeats(repeats).build().validate(true);
        MeasureConfig measure = MeasureConfig.defaults().withBatches(batches).withBatchSize(batchSize).validate();
        Architecture architecture = run.modelSpec().architecture();
        prune.checkAgainst(architecture, "--keep"); // before the checkpoint and data are loaded
        Console.logComputePath();
        ExperimentConfig settings = ExperimentRun.settingsOf(Optional.of(run), run.data()).withMeasure(measure)
                .withPrune(prune);
        try (DirectoryLock lock = DirectoryLock.acquire(checkpoint.toAbsolutePath().getParent(), "run directory");
             ExperimentRun pruning = ExperimentRun.ofCheckpoint(checkpoint, run, settings, databaseOption.path(),
                     spec.commandLine().getOut());
             StopOnSignal stop = StopOnSignal.install()) { // as in TrainCommand: a fine-tuning stops cleanly
            PruneStage.Pruned pruned;
            try {
                pruned = new PruneStage(retime, stop).prune(pruning);
            } catch (TrainingInterrupted e) {
                return InterruptedTraining.report(spec, e);
            }
            var out = spec.commandLine().getOut();
            if (json.requested) {
                out.println(Console.json(pruned.outcomes().stream().map(PruningReport::json).toList()));
            } else {
                pruned.print(out);
            }
        }
        return 0;
    }
}
