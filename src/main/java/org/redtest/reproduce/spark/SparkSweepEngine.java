package org.redtest.reproduce.spark;

import org.apache.spark.broadcast.Broadcast;
import org.redtest.config.SparkConfig;
import org.redtest.pruning.PruningPipeline;
import org.redtest.reproduce.FineTuningBase;
import org.redtest.reproduce.FineTunedModel;
import org.redtest.reproduce.SweepEngine;
import org.redtest.reproduce.SweepOutcome;
import org.redtest.reproduce.TaskData;
import org.redtest.reproduce.TrainedDepthModel;
import org.redtest.spark.SparkRuntime;

import java.util.List;
import java.util.function.Consumer;

/**
 * A suite's depth models and pruning fine-tunings as Spark tasks, one job of one task each ({@link OneTaskJobs}).
 * The trained checkpoint the fine-tunings of a model start from goes to the executors as a broadcast, once per
 * executor rather than once per task.
 */
public final class SparkSweepEngine implements SweepEngine {
    private final SparkRuntime spark;
    private final OneTaskJobs jobs;

    public SparkSweepEngine(SparkConfig settings, String appName) {
        spark = SparkRuntime.open(settings, appName);
        jobs = new OneTaskJobs(spark);
    }

    @Override
    public void trainDepthModels(String suiteJson, List<String> models, Consumer<SweepOutcome<TrainedDepthModel>> sink) {
        jobs.run("depth model", models, m -> m, new DepthTask(suiteJson), TrainedDepthModel::attempts, sink);
    }

    @Override
    public void fineTunePruned(FineTuningBase base, byte[] checkpoint, List<PruningPipeline.FineTuning> fineTunings,
                               Consumer<SweepOutcome<FineTunedModel>> sink) {
        if (fineTunings.isEmpty()) {
            return;
        }
        Broadcast<byte[]> shared = spark.jsc().broadcast(checkpoint);
        try {
            jobs.run("fine-tuning", fineTunings, base::key, new FineTuneTask(base, shared), FineTunedModel::attempts, sink);
        } finally {
            shared.destroy();
        }
    }

    @Override
    public String describe() {
        return String.format("spark %s: %d task slot(s), up to %d attempt(s) each", spark.master(), spark.slots(),
                spark.maxFailures());
    }

    @Override
    public void close() {
        if (spark.isLocal()) {
            TaskData.release();
        }
        spark.close();
    }
}
