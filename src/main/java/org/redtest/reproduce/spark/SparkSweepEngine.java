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
import org.redtest.spark.OneTaskJobs;
import org.redtest.spark.SparkRuntime;

import java.io.Serializable;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

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
        jobs.run(new Sweep<>("depth model", m -> m, new DepthTask(suiteJson), TrainedDepthModel::attempts), models, sink);
    }

    @Override
    public void fineTunePruned(FineTuningBase base, byte[] checkpoint, List<PruningPipeline.FineTuning> fineTunings,
                               Consumer<SweepOutcome<FineTunedModel>> sink) {
        if (fineTunings.isEmpty()) {
            return;
        }
        Broadcast<byte[]> shared = spark.jsc().broadcast(checkpoint);
        try {
            jobs.run(new Sweep<>("fine-tuning", base::key, new FineTuneTask(base, shared), FineTunedModel::attempts),
                    fineTunings, sink);
        } finally {
            shared.destroy();
        }
    }

    /**
     * A suite's piece of work as a job: {@code key} names an input (its outcome's key), {@code attempts} reads a
     * result's attempt count.
     */
    private record Sweep<I extends Serializable, T>(String what, java.util.function.Function<I, String> key,
                                                    org.apache.spark.api.java.function.Function<I, T> task,
                                                    ToIntFunction<T> attempts)
            implements OneTaskJobs.Kind<I, T, SweepOutcome<T>> {
        @Override
        public String name(I input) {
            return key.apply(input);
        }

        @Override
        public SweepOutcome<T> done(I input, T result) {
            return SweepOutcome.done(key.apply(input), result, attempts.applyAsInt(result));
        }

        @Override
        public SweepOutcome<T> failed(I input, int attempts, String error) {
            return SweepOutcome.failed(key.apply(input), attempts, error);
        }

        @Override
        public String whenCutOff() {
            return "(it runs again when the suite runs again)";
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
