package org.redtest.cli;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.redtest.RedTestException;
import org.redtest.data.ChannelNormalization;
import org.redtest.data.DataLoader;
import org.redtest.data.DataSpec;
import org.redtest.data.LoadedData;
import org.redtest.experiment.EvaluateStage;
import org.redtest.storage.ResultsDatabase;
import org.redtest.training.CheckpointStore;
import org.redtest.training.EvaluationResult;
import org.redtest.training.RunMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

import java.nio.file.Files;
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
        DataSpec spec = DataChoice.resolve(run, runData.dataset, runData.dataDir, testLimit,
                "no run.json beside " + checkpoint + ": give --dataset (and --data-dir)");
        Console.logComputePath();
        // with run.json, the checkpoint must hold the model it names (as run, msrs and prune check)
        ComputationGraph graph = run.isPresent() ? CheckpointStore.load(checkpoint, run.get().blueprint())
                : CheckpointStore.load(checkpoint);
        try {
            LoadedData data = DataLoader.load(spec);
            ChannelNormalization normalization = run.map(RunMetadata::normalization).orElse(data.normalization());
            // the run's blueprint says how many classes the model predicts; a checkpoint without run.json has only its output layer
            long outputs = run.map(r -> (long) r.classes())
                    .orElseGet(() -> graph.layerSize(graph.getConfiguration().getNetworkOutputs().get(0)));
            if (outputs != data.test().numClasses()) {
                throw new RedTestException("checkpoint " + checkpoint + " predicts " + outputs + " classes but "
                        + data.test().name() + " has " + data.test().numClasses());
            }
            Path dbPath = databaseOption.path();
            try (ResultsDatabase db = ResultsDatabase.open(dbPath)) {
                Long runId = run.flatMap(r -> db.runId(r.name())).orElse(null);
                String model = run.map(r -> r.modelSpec().text()).orElse(null);
                EvaluationResult r = EvaluateStage.run(graph, data.test(), normalization, batchSize.value(), db, runId,
                        checkpoint.toString(), model);
                if (json.requested) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("checkpoint", checkpoint.toString());
                    out.put("model", model);
                    out.put("dataset", data.test().name());
                    out.put("samples", r.samples());
                    out.put("top1", r.top1());
                    out.put("top5", r.top5());
                    out.put("loss", r.loss());
                    out().println(Console.json(out));
                } else {
                    out().println(EvaluateStage.describe(model == null ? checkpoint : model, r, data.test().name()));
                }
            }
        } finally {
            graph.close(); // DL4J frees the graph's native memory only here
        }
        return 0;
    }
}
