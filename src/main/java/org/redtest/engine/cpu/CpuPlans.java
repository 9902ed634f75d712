package org.redtest.engine.cpu;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.redtest.engine.plan.ExecutionPlan;
import org.redtest.engine.plan.GraphLowering;
import org.redtest.engine.plan.SampleShape;
import org.redtest.engine.plan.UnsupportedGraphException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * Whether a graph runs on the plan on the CPU ({@link CpuTraining}, {@link CpuInference}): the plan is switched
 * on, the graph runs on our oneDNN code, oneDNN loads, the batch is an image batch, the graph lowers, and the
 * plan's buffers fit in the memory they may take. Says why not, once per reason.
 */
final class CpuPlans {
    /** {@code false}: every network runs on DL4J's layers (with the fast path's helpers). */
    static final String PROPERTY = "redtest.cpu.plan";
    /** Bytes a plan's buffers may take, overriding {@link #memory()}'s default. */
    static final String MEMORY_PROPERTY = "redtest.cpu.planMemoryBytes";
    private static final Logger LOG = LoggerFactory.getLogger(CpuPlans.class);
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();
    private static final double GIB = 1024.0 * 1024 * 1024;

    private CpuPlans() {
    }

    /**
     * The plan of {@code graph} for batches of {@code shape} (n x C x H x W; null: not an image batch), or null
     * where DL4J's layers run it. {@code bytes}: what the plan's session holds for n samples.
     */
    static ExecutionPlan lower(ComputationGraph graph, long[] shape, ToLongFunction<ExecutionPlan> bytes, String what) {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true")) || !FastCpuPath.appliesTo(graph)
                || !OneDnnKernels.available()) {
            return null;
        }
        if (shape == null) {
            log(what, "DL4J's layers with oneDNN helpers: the plan takes image batches (n x C x H x W)");
            return null;
        }
        ExecutionPlan plan;
        try {
            plan = GraphLowering.lower(graph, new SampleShape((int) shape[1], (int) shape[2], (int) shape[3]));
        } catch (UnsupportedGraphException e) {
            log(what, "DL4J's layers with oneDNN helpers: " + e.getMessage());
            return null;
        }
        long needed = bytes.applyAsLong(plan);
        long available = memory();
        if (needed > available) {
            log(what, String.format("DL4J's layers with oneDNN helpers: the plan would hold %.1f GiB at batch size %d, "
                    + "more than the %.1f GiB it may take (-D%s)", needed / GIB, shape[0], available / GIB, MEMORY_PROPERTY));
            return null;
        }
        return plan;
    }

    /**
     * What a plan's buffers may take: {@code -Dredtest.cpu.planMemoryBytes}, else the physical memory less the
     * Java heap's limit and 2 GiB for everything else.
     */
    static long memory() {
        String given = System.getProperty(MEMORY_PROPERTY);
        if (given != null) {
            try {
                return Long.parseLong(given.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + MEMORY_PROPERTY + " takes a number of bytes, got '" + given + "'");
            }
        }
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long total = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : 0;
        return total - Runtime.getRuntime().maxMemory() - (long) (2 * GIB);
    }

    /** {@code what}: "training" or "inference". */
    static void log(String what, String message) {
        if (LOGGED.add(what + message)) {
            LOG.info("CPU {}: {}", what, message);
        }
    }
}
