package org.redtest.reproduce.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.redtest.reproduce.ScratchDepthRun;
import org.redtest.reproduce.TrainedDepthModel;
import org.redtest.spark.GpuBinding;
import org.redtest.spark.TaskFaults;

/**
 * What a Spark task runs for one depth model of a suite on an executor: train, evaluate and measure it in a
 * scratch directory, and return a plain record. It carries only the suite as JSON; the executor loads the data once.
 */
final class DepthTask implements Function<String, TrainedDepthModel> {
    private static final long serialVersionUID = 1L;
    private final String suiteJson;

    DepthTask(String suiteJson) {
        this.suiteJson = suiteJson;
    }

    @Override
    public TrainedDepthModel call(String model) {
        TaskContext task = TaskContext.get();
        int attempt = task == null ? 0 : task.attemptNumber();
        String part = TrainedDepthModel.partName(model);
        TaskFaults.reach(part, part, attempt);
        GpuBinding.useAssignedGpu(task);
        return ScratchDepthRun.train(suiteJson, model).withAttempts(attempt + 1);
    }
}
