package org.redtest.reproduce;

import org.redtest.data.DataLoader;
import org.redtest.data.DataSpec;
import org.redtest.data.LoadedData;
import org.redtest.engine.cpu.CpuAcceleration;

/**
 * The data set of this JVM for a suite's Spark work, loaded once per data specification and shared by the tasks
 * that run here (and, in local mode, by the driver's pruning, which then holds no second copy).
 */
public final class TaskData {
    private static DataSpec loadedSpec;
    private static LoadedData loaded;

    private TaskData() {
    }

    static synchronized LoadedData of(DataSpec spec) {
        if (!spec.equals(loadedSpec)) {
            CpuAcceleration.configure(); // before ND4J is first touched in this JVM
            loaded = null;
            loaded = DataLoader.load(spec);
            loadedSpec = spec;
        }
        return loaded;
    }

    /** Lets go of the data (local mode: the executors live on in the driver's JVM after the suite). */
    public static synchronized void release() {
        loadedSpec = null;
        loaded = null;
    }
}
