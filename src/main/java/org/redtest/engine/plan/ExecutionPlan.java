package org.redtest.engine.plan;

import org.nd4j.linalg.learning.config.Nesterovs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A graph lowered to device-independent steps ({@link GraphLowering}): what to compute in which order,
 * the parameters in one flat buffer (those with L2 regularisation first, so the optimiser treats them as one
 * range), the batch-norm statistics in another, and the backward schedule: which steps propagate a gradient
 * and whether each gradient they write into an input is the first one written there or adds to it.
 */
public final class ExecutionPlan {
    private final String input;
    private final SampleShape inputShape;
    private final List<Step> steps;
    private final List<ParamSlot> params;
    /** By layer, then key: looked up on every step of every pass, so without building a name. */
    private final Map<String, Map<String, ParamSlot>> byLayer = new HashMap<>();
    private final long paramCount;
    private final long regularizedCount;
    private final Nesterovs optimizer;
    private final double l2;
    private final List<BatchNormState> batchNorms;
    private final Map<String, BatchNormState> batchNormByLayer = new LinkedHashMap<>();
    private final long stateCount;
    private final Set<String> backward;
    private final Map<String, boolean[]> accumulate;

    ExecutionPlan(String input, SampleShape inputShape, List<Step> steps, List<ParamSlot> params, Nesterovs optimizer,
                  double l2, List<BatchNormState> batchNorms) {
        this.input = input;
        this.inputShape = inputShape;
        this.steps = List.copyOf(steps);
        this.params = List.copyOf(params);
        this.params.forEach(p -> byLayer.computeIfAbsent(p.layer(), l -> new HashMap<>()).put(p.key(), p));
        this.paramCount = params.stream().mapToLong(ParamSlot::length).sum();
        this.regularizedCount = params.stream().filter(ParamSlot::regularized).mapToLong(ParamSlot::length).sum();
        this.optimizer = optimizer;
        this.l2 = l2;
        this.batchNorms = List.copyOf(batchNorms);
        this.batchNorms.forEach(b -> batchNormByLayer.put(b.layer(), b));
        this.stateCount = 2L * batchNorms.stream().mapToLong(BatchNormState::channels).sum();
        Set<String> flowing = new HashSet<>();
        Map<String, boolean[]> acc = new LinkedHashMap<>();
        flowing.add(output().name());
        List<Step> reversed = new ArrayList<>(steps);
        Collections.reverse(reversed);
        Set<String> back = new HashSet<>();
        for (Step s : reversed) {
            if (!flowing.contains(s.name())) {
                continue; // nothing reads a gradient from this step (it only feeds zeros): it has none to pass on
            }
            back.add(s.name());
            boolean[] flags = new boolean[s.inputs().size()];
            for (int i = 0; i < flags.length; i++) {
                String in = s.inputs().get(i);
                if (in.equals(input) || !passesGradient(s)) {
                    continue;
                }
                flags[i] = !flowing.add(in); // already written by a later reader: add to it
            }
            acc.put(s.name(), flags);
        }
        this.backward = Set.copyOf(back);
        this.accumulate = acc;
    }

    private static boolean passesGradient(Step s) {
        return !(s instanceof Step.Scale scale && scale.factor() == 0);
    }

    public String input() {
        return input;
    }

    public SampleShape inputShape() {
        return inputShape;
    }

    /** In topological order; the last one is the network's output. */
    public List<Step> steps() {
        return steps;
    }

    public Step output() {
        return steps.get(steps.size() - 1);
    }

    public List<ParamSlot> params() {
        return params;
    }

    public ParamSlot param(String layer, String key) {
        Map<String, ParamSlot> slots = byLayer.get(layer);
        return slots == null ? null : slots.get(key);
    }

    public long paramCount() {
        return paramCount;
    }

    /** The parameters with L2 regularisation are the first {@code regularizedCount()} of the flat buffer. */
    public long regularizedCount() {
        return regularizedCount;
    }

    /** The graph's optimiser (learning-rate and momentum schedules); null for a graph without parameters. */
    public Nesterovs optimizer() {
        return optimizer;
    }

    public double l2() {
        return l2;
    }

    public List<BatchNormState> batchNorms() {
        return batchNorms;
    }

    public BatchNormState batchNorm(String layer) {
        return batchNormByLayer.get(layer);
    }

    public long stateCount() {
        return stateCount;
    }

    /** True when the step's output receives a gradient (and so the step runs backward). */
    public boolean runsBackward(Step step) {
        return backward.contains(step.name());
    }

    /**
     * Whether the gradient {@code step} writes into its {@code i}-th input adds to one already there. Inputs that
     * get no gradient from it (the network input, a zeroing step's input) are false and skipped.
     */
    public boolean accumulates(Step step, int i) {
        return accumulate.get(step.name())[i];
    }

    /** True when {@code step} passes a gradient to its {@code i}-th input. */
    public boolean feedsGradient(Step step, int i) {
        return !step.inputs().get(i).equals(input) && passesGradient(step);
    }

    /**
     * Bytes a training {@link PlanExecutor} holds for batches of {@code n}: parameters, gradients and optimiser
     * state, and per step an activation and (where it runs backward) its gradient. Every activation is kept for
     * the backward pass, so this grows with depth times batch size.
     */
    public long trainingBytes(int n) {
        long values = 5 * paramCount() + stateCount() + (long) n * inputShape.size();
        long largest = 0;
        for (Step step : steps) {
            long size = (long) n * step.out().size();
            values += runsBackward(step) ? 2 * size : size;
            largest = Math.max(largest, size);
        }
        return 4 * (values + largest); // the largest once more: scratch for accumulated gradients
    }

    /** Bytes an inference {@link PlanExecutor} holds at most for batches of {@code n} (an activation per step). */
    public long inferenceBytes(int n) {
        long values = 2 * paramCount() + stateCount() + (long) n * inputShape.size();
        for (Step step : steps) {
            values += (long) n * step.out().size();
        }
        return 4 * values;
    }
}
