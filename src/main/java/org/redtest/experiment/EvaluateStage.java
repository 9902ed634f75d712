package org.redtest.experiment;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.redtest.data.ChannelNormalization;
import org.redtest.data.ImageDataset;
import org.redtest.data.ImageBatchIterator;
import org.redtest.runtime.SoftwareVersions;
import org.redtest.storage.ResultsDatabase;
import org.redtest.training.EvaluationResult;
import org.redtest.training.Evaluator;

/** The {@code evaluate} stage: top-1 / top-5 of a model on a test split, recorded in the database. */
public final class EvaluateStage {
    private EvaluateStage() {
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
