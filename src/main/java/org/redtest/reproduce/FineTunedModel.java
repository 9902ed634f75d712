package org.redtest.reproduce;

import org.redtest.pruning.PruningOutcome;
import org.redtest.storage.RunRows;

import java.io.Serializable;
import java.util.TreeMap;

/**
 * What a fine-tuning done away from the driver (a Spark task) sends back: its outcome without latencies or directory,
 * the name of its directory under the pruned model's run directory and that directory's files (checkpoint, plan,
 * run.json, epochs, measurement JSON and CKA map), its database rows with paths as the driver has them, and where
 * and in how many attempts it ran. The driver writes all of it and times the latencies itself.
 */
public record FineTunedModel(String key, String directoryName, PruningOutcome outcome, TreeMap<String, byte[]> files,
                             RunRows rows, String host, double seconds, int attempts) implements Serializable {
    private static final long serialVersionUID = 1L;

    public FineTunedModel withAttempts(int n) {
        return new FineTunedModel(key, directoryName, outcome, files, rows, host, seconds, n);
    }
}
