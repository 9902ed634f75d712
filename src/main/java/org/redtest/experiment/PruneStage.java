package org.redtest.experiment;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.redtest.config.ConfigLoader;
import org.redtest.config.ExperimentConfig;
import org.redtest.data.LoadedData;
import org.redtest.measure.MeasurementSettings;
import org.redtest.pruning.PruningOutcome;
import org.redtest.pruning.PruningPipeline;
import org.redtest.pruning.PruningReport;
import org.redtest.storage.ResultsDatabase;
import org.redtest.zoo.Architecture;
import org.redtest.zoo.ModelSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** The {@code prune} stage: CKA-guided pruning and its baselines, fine-tuned and reported side by side. */
public final class PruneStage {
    private PruneStage() {
    }

    public static List<PruningOutcome> run(ConfigLoader.LoadedConfig loaded, ComputationGraph trained, LoadedData data,
                                           ResultsDatabase db, Long runId, PrintWriter out) {
        ExperimentConfig cfg = loaded.config();
        Architecture architecture = ModelSpec.parse(cfg.model());
        PruningPipeline.Job job = new PruningPipeline.Job(cfg.name(), cfg.runDirectory(), trained, architecture, data,
                cfg.data(), cfg.training(), MeasurementSettings.from(cfg.measure(), architecture.family(), cfg.seed()),
                cfg.prune(), cfg.seed(), loaded.hash());
        List<PruningOutcome> outcomes = new PruningPipeline(job, db).run();
        PruningReport.record(db, runId, outcomes);
        Path json = PruningReport.writeJson(outcomes, cfg.runDirectory().resolve("pruning-" + cfg.prune().criterion() + ".json"));
        out.print(PruningReport.table(outcomes));
        out.println("pruning report: " + json);
        out.flush();
        return outcomes;
    }
}
