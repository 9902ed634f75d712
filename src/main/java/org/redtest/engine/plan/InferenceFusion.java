package org.redtest.engine.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The steps an inference pass runs fused, on kernels that fuse ({@link Kernels#fusesInference}): a batch norm
 * that alone reads a convolution is folded into it (weights scaled, a bias added, from the running statistics),
 * and a ReLU that alone reads such a batch norm, or a sum, is applied as the convolution or the sum writes its
 * output. Two or three passes over an activation become one. A step is fused away only when nothing else reads
 * it and it is not the plan's output, so every activation anyone reads keeps its value (up to float rounding).
 */
final class InferenceFusion {
    /**
     * A convolution, the batch norm folded into it, the sum that adds another step's output ({@code addend}) to
     * it (or null) and the ReLU it applies (or null); writes {@code last}'s output.
     */
    record ConvGroup(Step.Conv conv, Step.BatchNorm batchNorm, Step.Add add, String addend, Step.Relu relu) {
        Step last() {
            return relu != null ? relu : add != null ? add : batchNorm;
        }
    }

    /** A sum and the ReLU applied as it writes. */
    record SumGroup(Step.Add sum, Step.Relu relu) {
    }

    final Map<String, ConvGroup> convs = new HashMap<>();
    final Map<String, SumGroup> sums = new HashMap<>();
    /** Steps computed inside a group. */
    final Set<String> fusedAway = new HashSet<>();
    /** The steps whose buffers the groups write. */
    private final Set<String> groupOutputs = new HashSet<>();

    InferenceFusion(ExecutionPlan plan) {
        Map<String, List<Step>> readers = new HashMap<>();
        for (Step step : plan.steps()) {
            for (String in : step.inputs()) {
                readers.computeIfAbsent(in, k -> new ArrayList<>()).add(step);
            }
        }
        String output = plan.output().name();
        Map<String, Integer> order = new HashMap<>();
        for (Step step : plan.steps()) {
            order.put(step.name(), order.size());
        }
        for (Step step : plan.steps()) {
            Step only = onlyReader(step, readers, output);
            if (step instanceof Step.Conv c && only instanceof Step.BatchNorm b) {
                Step next = onlyReader(b, readers, output);
                Step.Add add = null;
                String addend = null;
                if (next instanceof Step.Add a && a.inputs().size() == 2) {
                    String other = a.inputs().get(0).equals(b.name()) ? a.inputs().get(1) : a.inputs().get(0);
                    // the addend must be ready when the convolution runs
                    if (!other.equals(b.name()) && order.getOrDefault(other, -1) < order.get(c.name())) {
                        add = a;
                        addend = other;
                        next = onlyReader(a, readers, output);
                    }
                }
                Step.Relu r = next instanceof Step.Relu relu ? relu : null;
                ConvGroup group = new ConvGroup(c, b, add, addend, r);
                convs.put(c.name(), group);
                groupOutputs.add(group.last().name());
                fusedAway.add(b.name());
                if (add != null) {
                    fusedAway.add(add.name());
                }
                if (r != null) {
                    fusedAway.add(r.name());
                }
            } else if (step instanceof Step.Add a && only instanceof Step.Relu r && !fusedAway.contains(a.name())) {
                sums.put(a.name(), new SumGroup(a, r));
                groupOutputs.add(r.name());
                fusedAway.add(r.name());
            }
        }
    }

    /** Whether the step's output buffer goes unused: a group's first or middle step (its last one holds the result). */
    boolean writesNoBuffer(Step step) {
        return (fusedAway.contains(step.name()) || convs.containsKey(step.name()) || sums.containsKey(step.name()))
                && !groupOutputs.contains(step.name());
    }

    /** The single step reading {@code step}, or null when none, several, or {@code step} is the output. */
    private static Step onlyReader(Step step, Map<String, List<Step>> readers, String output) {
        List<Step> r = readers.getOrDefault(step.name(), List.of());
        return r.size() == 1 && !step.name().equals(output) ? r.get(0) : null;
    }
}
