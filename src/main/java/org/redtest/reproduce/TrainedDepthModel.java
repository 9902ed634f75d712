package org.redtest.reproduce;

import org.redtest.storage.RunRows;

import java.io.Serializable;
import java.util.TreeMap;

/**
 * What a depth model trained away from the driver (a Spark task) sends back: the part's result, the files of its run
 * directory (checkpoint, run.json, heatmap, measurement JSON), its rows of the results database with paths as the
 * driver has them, the lines it printed, and where and in how many attempts it ran. The driver writes all of it.
 */
public record TrainedDepthModel(String model, DepthPart.ModelResult result, TreeMap<String, byte[]> files, RunRows rows,
                                String log, String host, double seconds, int attempts) implements Serializable {
    private static final String PART_PREFIX = "depth-";

    /** The suite part that trains, evaluates and measures {@code model}. */
    public static String partName(String model) {
        return PART_PREFIX + model;
    }

    public TrainedDepthModel withAttempts(int n) {
        return new TrainedDepthModel(model, result, files, rows, log, host, seconds, n);
    }
}
