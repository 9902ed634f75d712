package org.redtest.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.factory.Nd4j;

/**
 * With Spark's GPU scheduling (spark.task.resource.gpu.amount=1 and the executor's discovery script,
 * docs/cluster.md), each task is assigned a GPU address; with the CUDA build this task's thread then
 * uses that device, not device 0 shared by every task of the executor. Without a GPU resource it
 * does nothing.
 */
public final class GpuBinding {
    private GpuBinding() {
    }

    public static void useAssignedGpu(TaskContext task) {
        if (task == null) {
            return;
        }
        ResourceInformation gpu = task.resources().get("gpu").getOrElse(() -> null);
        if (gpu == null || gpu.addresses().length == 0) {
            return;
        }
        Nd4j.getAffinityManager().unsafeSetDevice(Integer.parseInt(gpu.addresses()[0].trim()));
    }
}
