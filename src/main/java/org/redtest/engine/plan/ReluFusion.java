package org.redtest.engine.plan;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The ReLUs a training executor runs inside the batch norm or the sum that alone feeds them, on kernels that
 * fuse them ({@link Kernels#fusesTrainingRelu}): the producer writes max(., 0) straight into the ReLU's buffer,
 * and the backward pass masks the ReLU's gradient as part of the producer's own (batch norm) or as it hands
 * the gradient to the sum's inputs. One pass over the activation less each way, and the producer's own output
 * and gradient buffers are never needed.
 */
final class ReluFusion {
    /** Producer (batch norm or sum) name to the ReLU it runs. */
    private final Map<String, Step.Relu> reluAfter = new HashMap<>();
    private final Set<String> fusedRelus = new HashSet<>();

    ReluFusion(ExecutionPlan plan) {
        Map<String, Integer> readers = new HashMap<>();
        Map<String, Step> onlyReader = new HashMap<>();
        for (Step step : plan.steps()) {
            for (String in : step.inputs()) {
                readers.merge(in, 1, Integer::sum);
                onlyReader.put(in, step);
            }
        }
        for (Step step : plan.steps()) {
            if ((step instanceof Step.BatchNorm || step instanceof Step.Add) && readers.getOrDefault(step.name(), 0) == 1
                    && !step.name().equals(plan.output().name())
                    && onlyReader.get(step.name()) instanceof Step.Relu relu) {
                reluAfter.put(step.name(), relu);
                fusedRelus.add(relu.name());
            }
        }
    }

    /** The ReLU {@code step} runs, or null. */
    Step.Relu reluAfter(Step step) {
        return reluAfter.get(step.name());
    }

    /** Whether {@code step} is a ReLU its producer runs. */
    boolean fused(Step step) {
        return fusedRelus.contains(step.name());
    }

    /** Whether nobody reads {@code step}'s own output and gradient buffers (its ReLU's hold them). */
    boolean writesNoBuffer(Step step) {
        return reluAfter.containsKey(step.name());
    }
}
