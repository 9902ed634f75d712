package org.redtest.engine.cpu;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.redtest.engine.TrainingSession;
import org.redtest.engine.plan.ExecutionPlan;
import org.redtest.engine.plan.GraphLowering;
import org.redtest.engine.plan.PlanTrainingSession;
import org.redtest.engine.plan.SampleShape;
import org.redtest.engine.plan.UnsupportedGraphException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Training on the CPU. When prepared, or at the first batch, the graph is lowered to a plan and trained on
 * {@link OneDnnKernels}: parameters, gradients and optimiser state in flat native buffers, each activation in
 * the layout its channel count gets ({@link ActivationLayout}) from layer to layer, the optimiser as a few
 * passes over the whole parameter buffer, none of DL4J's per-layer bookkeeping. A graph the plan cannot express (or {@code -Dredtest.cpu.plan=false}) trains
 * on DL4J's layers with our oneDNN helpers instead ({@code fallback}), as does one whose plan would not fit in
 * memory (the plan keeps every activation and its gradient in buffers of their own, which grows with depth
 * times batch size: ResNet-56 at batch 128 holds about 2 GiB). The graph stays the model of record:
 * {@link #synchronize} writes everything back into it.
 */
final class CpuTraining implements TrainingSession {
    /** {@code false}: train on DL4J's layers (with the fast path's helpers) even where the plan applies. */
    static final String PROPERTY = "redtest.cpu.plan";
    private static final Logger LOG = LoggerFactory.getLogger(CpuTraining.class);
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();
    private final ComputationGraph graph;
    private final Supplier<TrainingSession> fallback;
    private TrainingSession session;
    private OneDnnKernels kernels;

    CpuTraining(ComputationGraph graph, Supplier<TrainingSession> fallback) {
        this.graph = graph;
        this.fallback = fallback;
    }

    static boolean enabled() {
        return Boolean.parseBoolean(System.getProperty(PROPERTY, "true"));
    }

    @Override
    public double fit(DataSet batch) {
        if (session == null) {
            INDArray f = batch.getFeatures();
            choose(f.rank() == 4 ? f.shape() : null);
        }
        return session.fit(batch);
    }

    @Override
    public void prepare(int batchSize, int channels, int height, int width) {
        if (session == null) {
            choose(new long[]{batchSize, channels, height, width});
        }
        session.prepare(batchSize, channels, height, width);
    }

    /** The plan where it applies to batches of {@code shape} (n x C x H x W; null: not an image batch), else DL4J's layers. */
    private void choose(long[] shape) {
        if (enabled() && FastCpuPath.appliesTo(graph) && OneDnnKernels.available() && fitsPlan(shape)) {
            kernels = new OneDnnKernels(graph.getConfiguration().getDefaultConfiguration().getSeed()
                    + graph.getConfiguration().getIterationCount());
            PlanTrainingSession planned = new PlanTrainingSession(graph, () -> kernels);
            try {
                planned.prepare((int) shape[0], (int) shape[1], (int) shape[2], (int) shape[3]); // may refuse, changes nothing
                session = planned;
                log("the plan on oneDNN kernels");
                return;
            } catch (UnsupportedGraphException e) {
                planned.close();
                kernels.close();
                kernels = null;
                log("DL4J's layers with oneDNN helpers: " + e.getMessage());
            }
        }
        session = fallback.get();
    }

    /** Whether the graph lowers to a plan for batches of {@code shape}, and the plan's buffers fit in memory. */
    private boolean fitsPlan(long[] shape) {
        if (shape == null) {
            log("DL4J's layers with oneDNN helpers: the plan takes image batches (n x C x H x W)");
            return false;
        }
        int n = (int) shape[0];
        ExecutionPlan plan;
        try {
            plan = GraphLowering.lower(graph, new SampleShape((int) shape[1], (int) shape[2], (int) shape[3]));
        } catch (UnsupportedGraphException e) {
            log("DL4J's layers with oneDNN helpers: " + e.getMessage());
            return false;
        }
        long needed = plan.trainingBytes(n);
        long available = planMemory();
        if (needed > available) {
            log(String.format("DL4J's layers with oneDNN helpers: the plan would hold %.1f GiB at batch size %d, "
                    + "more than the %.1f GiB it may take (-D%s)", needed / GIB, n, available / GIB, MEMORY_PROPERTY));
            return false;
        }
        return true;
    }

    private static final double GIB = 1024.0 * 1024 * 1024;

    /** Bytes a plan's buffers may take, overriding {@link #planMemory()}'s default. */
    static final String MEMORY_PROPERTY = "redtest.cpu.planMemoryBytes";

    /**
     * What a plan's buffers may take: {@code -Dredtest.cpu.planMemoryBytes}, else the physical memory less the
     * Java heap's limit and 2 GiB for everything else.
     */
    static long planMemory() {
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

    /** Whether the batches so far trained on the plan (false before the first batch; for tests). */
    boolean onPlan() {
        return session instanceof PlanTrainingSession;
    }

    private static void log(String what) {
        if (LOGGED.add(what)) {
            LOG.info("CPU training: {}", what);
        }
    }

    @Override
    public void synchronize() {
        if (session != null) {
            session.synchronize();
        }
    }

    @Override
    public boolean parametersFinite() {
        return session == null || session.parametersFinite();
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
            session = null;
        }
        if (kernels != null) {
            kernels.close();
            kernels = null;
        }
    }
}
