package org.redtest.cli;

import org.redtest.config.ExperimentConfig;
import org.redtest.data.DataSpec;
import org.redtest.experiment.EvaluateStage;
import org.redtest.experiment.ExperimentRun;
import org.redtest.training.RunMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Top-1 / top-5 accuracy of a checkpoint on a test split.",
                "Data set and normalisation come from the run.json beside the checkpoint unless given here."},
        footerHeading = "%nExamples:%n",
        footer = {"  bin/redtest evaluate --checkpoint checkpoints/quickstart/model.zip",
                "  bin/redtest evaluate --checkpoint checkpoints/quickstart/model.zip --json"})
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Option(names = "--checkpoint", required = true, description = "A model.zip written by train, or its run directory.")
    Path checkpoint;
    @Mixin
    RunDataOption runData = new RunDataOption();
    @Option(names = "--test-limit", description = "Use the first N test images (default: the run's subset).")
    Integer testLimit;
    @Mixin
    BatchSizeOption batchSize = new BatchSizeOption(256);
    @Mixin
    DatabaseOption databaseOption;
    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        checkpoint = CheckpointPath.resolve(checkpoint);
        Optional<RunMetadata> run = RunMetadata.besides(checkpoint);
        DataSpec data = DataChoice.resolve(run, runData.dataset, runData.dataDir, testLimit,
                "no run.json beside " + checkpoint + ": give --dataset (and --data-dir)");
        Console.logComputePath();
        ExperimentConfig settings = ExperimentRun.settingsOf(run, data);
        settings = settings.withTraining(settings.training().withEvalBatchSize(batchSize.value()));
        // with run.json, the checkpoint must hold the model it names (as run, msrs and prune check)
        try (ExperimentRun r = ExperimentRun.ofCheckpoint(checkpoint, run.orElse(null), settings, databaseOption.path(), out())) {
            EvaluateStage.Evaluated e = EvaluateStage.evaluate(r);
            if (json.requested) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("checkpoint", e.checkpoint());
                out.put("model", e.model());
                out.put("dataset", e.dataset());
                out.put("samples", e.result().samples());
                out.put("top1", e.result().top1());
                out.put("top5", e.result().top5());
                out.put("loss", e.result().loss());
                out().println(Console.json(out));
            } else {
                out().println(e.describe());
            }
        }
        return 0;
    }
}
