package org.redtest.experiment;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.redtest.config.ExperimentConfig;
import org.redtest.config.StageName;
import org.redtest.data.ChannelNormalization;
import org.redtest.data.ImageDataset;
import org.redtest.data.ImageBatchIterator;
import org.redtest.provenance.SoftwareVersions;
import org.redtest.storage.ResultsDatabase;
import org.redtest.training.EvaluationResult;
import org.redtest.training.Evaluator;

/** The {@code evaluate} stage: top-1 / top-5 of a model on a test split, recorded in the database. */
public final class EvaluateStage implements Stage {
    /** An evaluation as recorded: of which checkpoint and model (null: a checkpoint without run.json), on what. */
    public record Evaluated(String checkpoint, String model, String dataset, EvaluationResult result) {
        /** The line that {@code evaluate} and the evaluate stage print. */
        public String describe() {
            return EvaluateStage.describe(model == null ? checkpoint : model, result, dataset);
        }
    }

    @Override
    public void run(ExperimentRun run) {
        Evaluated e = evaluate(run);
        run.evaluated(e.result().top1());
        run.out().println(e.describe());
    }

    /**
     * Evaluates the run's model on its test split with {@code training.eval_batch_size} and records it: what the
     * evaluate stage and {@code evaluate} both do.
     */
    public static Evaluated evaluate(ExperimentRun run) {
        ExperimentConfig cfg = run.config();
        ComputationGraph graph = run.graph(StageName.EVALUATE);
        ImageDataset test = run.data().test();
        String model = cfg.model() == null ? null : cfg.model().text();
        String checkpoint = run.checkpoint().toString();
        EvaluationResult e = run(graph, test, run.data().normalization(), cfg.training().evalBatchSize(), run.db(),
                run.runId(), checkpoint, model);
        return new Evaluated(checkpoint, model, test.name(), e);
    }

    /** The line that {@code evaluate} and the evaluate stage print, the model named by {@code model}. */
    public static String describe(Object model, EvaluationResult e, String dataset) {
        return String.format("%s on %d %s test images: top-1 %.2f%%, top-5 %.2f%% (loss %.4f)",
                model, e.samples(), dataset, e.top1(), e.top5(), e.loss());
    }

    public static EvaluationResult run(ComputationGraph graph, ImageDataset test, ChannelNormalization normalization,
                                       int batchSize, ResultsDatabase db, Long runId, String checkpoint,
                                       String modelSpec) {
        ImageBatchIterator it = new ImageBatchIterator(test, batchSize, false, false, normalization, 0);
        EvaluationResult r = Evaluator.evaluate(graph, it);
        db.recordEvaluation(new ResultsDatabase.EvaluationRecord(runId, checkpoint, modelSpec, test.name(), "test",
                r.samples(), r.top1(), r.top5(), r.loss(), r.seconds(), SoftwareVersions.json()));
        return r;
    }
}
