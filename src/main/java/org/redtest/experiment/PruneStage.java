package org.redtest.experiment;

import org.redtest.config.ConfigLoader;
import org.redtest.config.ExperimentConfig;
import org.redtest.config.StageName;
import org.redtest.data.LoadedData;
import org.redtest.measure.MeasurementSettings;
import org.redtest.pruning.PruningOutcome;
import org.redtest.pruning.PruningPipeline;
import org.redtest.pruning.PruningReport;
import org.redtest.storage.ResultsDatabase;
import org.redtest.training.StopOnSignal;
import org.redtest.training.TrainedModel;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** The {@code prune} stage: CKA-guided pruning and its baselines, fine-tuned and reported side by side. */
public final class PruneStage implements Stage {
    private final boolean retime;
    private final StopOnSignal stop;

    public PruneStage() {
        this(false, StopOnSignal.never());
    }

    /**
     * @param retime time the latencies again where an earlier run of the same pruning timed them
     * @param stop   what ends a fine-tuning cleanly (see TrainStage)
     */
    public PruneStage(boolean retime, StopOnSignal stop) {
        this.retime = retime;
        this.stop = stop;
    }

    /** The outcomes of a pruning job as recorded: database rows written, the JSON report. */
    public record Pruned(List<PruningOutcome> outcomes, Path report) {
        /** What {@code prune} and the prune stage print: the before/after table and where the report is. */
        public void print(PrintWriter out) {
            out.print(PruningReport.table(outcomes));
            out.println("pruning report: " + report);
            out.flush();
        }
    }

    @Override
    public void run(ExperimentRun run) {
        prune(run).print(run.out());
    }

    /** Prunes the run's model as its settings say and records it: what the prune stage and {@code prune} both do. */
    public Pruned prune(ExperimentRun run) {
        PruningPipeline.Job job = job(run.loaded(), run.trainedModel(StageName.PRUNE), run.data(), run.store().directory());
        return prune(job, run.db(), run.runId(), retime, stop);
    }

    public static List<PruningOutcome> run(ConfigLoader.LoadedConfig loaded, TrainedModel trained, LoadedData data,
                                           ResultsDatabase db, Long runId, PrintWriter out, boolean retime) {
        Pruned pruned = prune(job(loaded, trained, data), db, runId, retime);
        pruned.print(out);
        return pruned.outcomes();
    }

    /** The pruning job of an experiment's prune stage on {@code trained}. */
    public static PruningPipeline.Job job(ConfigLoader.LoadedConfig loaded, TrainedModel trained, LoadedData data) {
        return job(loaded, trained, data, loaded.config().runDirectory());
    }

    /** As above, writing into {@code runDirectory} (a given checkpoint's own directory). */
    private static PruningPipeline.Job job(ConfigLoader.LoadedConfig loaded, TrainedModel trained, LoadedData data,
                                           Path runDirectory) {
        ExperimentConfig cfg = loaded.config();
        return new PruningPipeline.Job(cfg.name(), runDirectory, trained, data,
                cfg.data(), cfg.training(), MeasurementSettings.from(cfg.measure(), trained.architecture().family(), cfg.seed()),
                cfg.prune(), cfg.seed(), loaded.hash());
    }

    /**
     * Runs {@code job}, records its outcomes under {@code runId} and writes {@code pruning-<criterion>.json}
     * into the job's run directory: what the prune stage and {@code prune} share.
     */
    public static Pruned prune(PruningPipeline.Job job, ResultsDatabase db, Long runId, boolean retime) {
        return prune(job, db, runId, retime, StopOnSignal.never());
    }

    /** As above; a signal ends the fine-tuning under way with {@link org.redtest.training.TrainingInterrupted}. */
    public static Pruned prune(PruningPipeline.Job job, ResultsDatabase db, Long runId, boolean retime, StopOnSignal stop) {
        return report(job, db, runId, new PruningPipeline(job, db, retime, stop).run());
    }

    /** Records {@code outcomes} (fine-tuned and timed) under {@code runId} and writes the job's JSON report. */
    public static Pruned report(PruningPipeline.Job job, ResultsDatabase db, Long runId, List<PruningOutcome> outcomes) {
        Path json = PruningReport.writeJson(outcomes,
                job.runDirectory().resolve("pruning-" + job.prune().criterion() + ".json"));
        PruningReport.record(db, runId, outcomes); // after the report's file, as the measure stage does
        return new Pruned(outcomes, json);
    }
}
