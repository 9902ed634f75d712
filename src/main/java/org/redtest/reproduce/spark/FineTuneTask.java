package org.redtest.reproduce.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.redtest.pruning.PruningPipeline;
import org.redtest.reproduce.FineTunedModel;
import org.redtest.reproduce.FineTuningBase;
import org.redtest.reproduce.ScratchFineTuning;
import org.redtest.spark.GpuBinding;
import org.redtest.spark.TaskFaults;

/**
 * What a Spark task runs for one fine-tuning of a pruned model on an executor: prune, fine-tune and measure it in a
 * scratch directory, and return a plain record. It carries the small base and the fine-tuning; the trained
 * checkpoint comes as a broadcast, and the executor loads the data once.
 */
final class FineTuneTask implements Function<PruningPipeline.FineTuning, FineTunedModel> {
    private static final long serialVersionUID = 1L;
    private final FineTuningBase base;
    private final Broadcast<byte[]> checkpoint;

    FineTuneTask(FineTuningBase base, Broadcast<byte[]> checkpoint) {
        this.base = base;
        this.checkpoint = checkpoint;
    }

    @Override
    public FineTunedModel call(PruningPipeline.FineTuning f) {
        TaskContext task = TaskContext.get();
        int attempt = task == null ? 0 : task.attemptNumber();
        String key = base.key(f);
        TaskFaults.reach(key, key, attempt);
        GpuBinding.useAssignedGpu(task);
        return ScratchFineTuning.run(base, checkpoint.value(), f).withAttempts(attempt + 1);
    }
}
