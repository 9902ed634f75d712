package org.redtest.reproduce;

import org.redtest.RedTestException;
import org.redtest.config.ConfigLoader;
import org.redtest.data.LoadedData;
import org.redtest.experiment.PruneStage;
import org.redtest.pruning.PruningOutcome;
import org.redtest.pruning.PruningPipeline;
import org.redtest.storage.ResultsDatabase;
import org.redtest.training.TrainedModel;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pruning part of one model with its fine-tunings (each method and seed) as Spark tasks. The driver evaluates
 * and measures the trained model once and selects the units, as the local engine's pipeline does; each fine-tuning
 * no earlier run saved goes to Spark, and is recorded as it comes back ({@link FineTuningRecorder}). Once all are
 * in, the driver times the original and every fine-tuned model side by side in this one process, as the local
 * engine does, so that latency reductions are never measured on different machines, then records the part as the
 * local engine would. A fine-tuning that failed every attempt leaves the part unfinished (the others are kept).
 */
final class PruningOnSpark {
    private PruningOnSpark() {
    }

    static PruningPart.ModelResult run(SuiteConfig suite, SuiteConfig.PruneTarget target, LoadedData data, ResultsDatabase db,
                                       SweepEngine engine, PartStore parts, Path figures, PrintWriter out) {
        ConfigLoader.LoadedConfig loaded = PruningPart.experiment(suite, target);
        Path runDirectory = loaded.config().runDirectory();
        Long runId = db.runId(loaded.config().name()).orElse(null);
        try (TrainedModel trained = PruningPart.openTrained(loaded.config(), data)) {
            PruningPipeline.Job job = PruneStage.job(loaded, trained, data);
            PruningPipeline pipeline = new PruningPipeline(job, db);
            PruningPipeline.Selection selection = pipeline.select();
            FineTuningBase base = new FineTuningBase(ConfigLoader.toJson(suite.forTask(suite.outputDir())), target.model(),
                    SuiteConfig.keepFor(target), selection);
            Map<String, PruningOutcome> done = new LinkedHashMap<>();
            List<PruningPipeline.FineTuning> todo = new ArrayList<>();
            for (PruningPipeline.FineTuning f : selection.fineTunings()) {
                Path directory = runDirectory.resolve(pipeline.directoryName(f)); // where the local engine has it
                parts.load(base.key(f), PruningOutcome.class)
                        .ifPresentOrElse(o -> done.put(base.key(f), o.withDirectory(directory)), () -> todo.add(f));
            }
            todo.forEach(pipeline::requireOwnDirectory); // as the local engine refuses, before any task
            Map<String, String> failed = fineTune(base, todo, trained, runDirectory, db, engine, parts, done, out);
            if (!failed.isEmpty()) {
                throw new RedTestException(failed.size() + " of its " + selection.fineTunings().size() + " fine-tunings failed ("
                        + String.join("; ", failed.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList())
                        + "); the " + done.size() + " finished are kept");
            }
            List<PruningOutcome> outcomes = selection.fineTunings().stream().map(f -> done.get(base.key(f))).toList();
            List<PruningOutcome> timed = outcomes.isEmpty() ? outcomes : pipeline.withLatencies(outcomes);
            PruneStage.report(job, db, runId, timed).print(out);
            return PruningPart.result(target, runDirectory, timed, figures);
        }
    }

    /** Sends {@code todo} to Spark and records each as it arrives into {@code done}; returns why each other one failed. */
    private static Map<String, String> fineTune(FineTuningBase base, List<PruningPipeline.FineTuning> todo, TrainedModel trained,
                                                Path runDirectory, ResultsDatabase db, SweepEngine engine, PartStore parts,
                                                Map<String, PruningOutcome> done, PrintWriter out) {
        Map<String, String> failed = new LinkedHashMap<>();
        if (todo.isEmpty()) {
            return failed;
        }
        out.printf("%d fine-tuning(s) of pruned %s as Spark tasks (%s), %d done earlier%n", todo.size(), base.model(),
                engine.describe(), done.size());
        out.flush();
        engine.fineTunePruned(base, checkpoint(trained), todo, o -> {
            if (o.succeeded()) {
                FineTunedModel t = o.result();
                try {
                    done.put(o.key(), FineTuningRecorder.record(t, runDirectory, db, parts));
                    out.printf("%s: fine-tuned on %s in %.1f s, %d attempt(s), recorded%n", o.key(), t.host(), t.seconds(),
                            t.attempts());
                } catch (RuntimeException e) {
                    failed.put(o.key(), "it was fine-tuned on " + t.host() + " but could not be recorded: " + e.getMessage());
                    out.printf("%s: %s%n", o.key(), failed.get(o.key()));
                }
            } else {
                failed.put(o.key(), "its Spark task failed " + o.attempts() + " attempt(s): " + o.error());
                out.printf("%s: its Spark task failed every attempt (%d): %s%n", o.key(), o.attempts(), o.error());
            }
            out.flush();
        });
        return failed;
    }

    /** The trained checkpoint's bytes, which each task gets (no shared file system needed). */
    private static byte[] checkpoint(TrainedModel trained) {
        try {
            return Files.readAllBytes(trained.checkpoint().orElseThrow());
        } catch (IOException e) {
            throw new RedTestException("cannot read the trained checkpoint " + trained.checkpoint().orElse(null) + ": " + e.getMessage(), e);
        }
    }
}
