package org.redtest.search.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.redtest.storage.CandidateOutcome;
import org.redtest.spark.GpuBinding;
import org.redtest.spark.TaskFaults;

/**
 * What a Spark task runs for one candidate on an executor: build, train and measure the cell, and
 * return a plain record. It carries only the experiment's YAML; the executor loads the data once.
 */
final class CandidateTask implements Function<Integer, CandidateOutcome> {
    private static final long serialVersionUID = 1L;
    private final String experimentYaml;

    CandidateTask(String experimentYaml) {
        this.experimentYaml = experimentYaml;
    }

    @Override
    public CandidateOutcome call(Integer index) {
        TaskContext task = TaskContext.get();
        int attempt = task == null ? 0 : task.attemptNumber();
        TaskFaults.reach(index, attempt);
        GpuBinding.useAssignedGpu(task);
        return ExecutorEvaluators.get(experimentYaml).evaluate(index).withAttempts(attempt + 1);
    }
}
