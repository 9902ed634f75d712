package org.redtest.engine.plan;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Training steps of one network on a plan's kernels beside DL4J's own code on the CPU, from the same
 * parameters: the inference output before, and after each step the cross-entropy, the L2 term, every
 * parameter gradient, every parameter and batch-norm statistic and the Nesterov velocity, then the inference
 * output after. Each comparison is the largest absolute difference with the scale it is judged against
 * (the larger of 1 and the largest reference value). The plan tests assert it with the Java kernels; {@code bench
 * gpu-step} prints it for the GPU.
 */
public final class StepCheck {
    /** What every comparison is judged against, relative to its scale: FP32 rounding of whole training steps. */
    public static final double TOLERANCE = 1e-4;

    /** One comparison: what, the largest difference, the scale and the tolerance relative to it. */
    public record Difference(String what, double largest, double scale, double tolerance) {
        public Difference(String what, double largest, double scale) {
            this(what, largest, scale, TOLERANCE);
        }

        public boolean within() {
            return largest <= tolerance * scale;
        }
    }

    private StepCheck() {
    }

    /**
     * Runs {@code steps} steps of {@code batch} on {@code reference} (DL4J) and {@code planned} (a copy with the
     * same parameters, on the kernels). Both graphs are trained in place.
     */
    public static List<Difference> run(ComputationGraph reference, ComputationGraph planned, DataSet batch, int steps,
                                       Supplier<Kernels> kernels) {
        List<Difference> out = new ArrayList<>();
        INDArray features = batch.getFeatures();
        int n = (int) features.size(0);
        try (PlanInferenceSession inference = new PlanInferenceSession(planned, kernels)) {
            out.add(difference("output before training", reference.outputSingle(false, features), inference.output(features)));
        }
        try (PlanTrainingSession session = new PlanTrainingSession(planned, kernels)) {
            // prepared as the trainer prepares it: its warm-up pass must change nothing compared below
            SampleShape shape = PlanInputs.shapeOf(features);
            session.prepare(n, shape.channels(), shape.height(), shape.width());
            for (int step = 0; step < steps; step++) {
                reference.setInputs(features);
                reference.setLabels(batch.getLabels());
                reference.computeGradientAndScore();
                double referenceL2 = reference.calcRegularizationScore(true);
                double referenceCrossEntropy = reference.score() - referenceL2;
                Map<String, INDArray> gradients = new HashMap<>(); // copies: fit() overwrites them with the update
                reference.gradient().gradientForVariable().forEach((k, v) -> gradients.put(k, v.dup('c')));
                Map<String, INDArray> before = new HashMap<>();
                for (Layer layer : reference.getLayers()) {
                    layer.paramTable().forEach((k, v) -> before.put(layer.conf().getLayer().getLayerName() + "_" + k, v.dup('c')));
                }
                reference.fit(batch);

                double loss = session.fit(batch);
                ExecutionPlan plan = session.executor().plan();
                // the L2 term in double from the parameters before the step: DL4J sums its squares in float
                double l2 = 0;
                for (ParamSlot slot : plan.params()) {
                    if (slot.regularized()) {
                        double norm = before.get(slot.variable()).castTo(DataType.DOUBLE).norm2Number().doubleValue();
                        l2 += 0.5 * plan.l2() * norm * norm;
                    }
                }
                String at = " at step " + (step + 1);
                out.add(new Difference("cross-entropy" + at, Math.abs(referenceCrossEntropy - (loss - l2)),
                        Math.max(1, Math.abs(referenceCrossEntropy))));
                // DL4J sums the squares of millions of weights in float: 3.8e-4 off for VGG-11
                out.add(new Difference("L2 term" + at, Math.abs(referenceL2 - l2), Math.max(1, Math.abs(referenceL2)), 1e-3));
                float[] planned1 = session.executor().parameterGradients();
                for (ParamSlot slot : plan.params()) {
                    // DL4J's gradient is the sum over the batch (its updater divides, then adds the L2 term);
                    // the plan's is the mean with the L2 term added
                    INDArray expected = gradients.get(slot.variable()).div(n);
                    if (slot.regularized()) {
                        expected.addi(before.get(slot.variable()).mul(plan.l2()));
                    }
                    out.add(difference("gradient of " + slot.variable() + at, expected, slice(planned1, slot)));
                }
                session.synchronize();
                for (Layer layer : reference.getLayers()) {
                    String name = layer.conf().getLayer().getLayerName();
                    for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                        out.add(difference(name + "_" + p.getKey() + " after step " + (step + 1), p.getValue(),
                                planned.getLayer(name).paramTable().get(p.getKey())));
                    }
                }
                out.add(difference("Nesterov velocity after step " + (step + 1), reference.getUpdater().getStateViewArray(),
                        planned.getUpdater().getStateViewArray()));
                if (reference.getConfiguration().getIterationCount() != planned.getConfiguration().getIterationCount()) {
                    out.add(new Difference("iteration count", Double.POSITIVE_INFINITY, 1));
                }
            }
        }
        try (PlanInferenceSession inference = new PlanInferenceSession(planned, kernels)) {
            out.add(difference("output after training", reference.outputSingle(false, features), inference.output(features)));
        }
        return out;
    }

    /** The comparison closest to (or furthest past) its tolerance. */
    public static Difference worst(List<Difference> differences) {
        return differences.stream().max(java.util.Comparator.comparingDouble(
                d -> d.largest() / Math.max(1e-300, d.scale() * d.tolerance()))).orElseThrow();
    }

    private static INDArray slice(float[] values, ParamSlot slot) {
        float[] part = new float[slot.length()];
        System.arraycopy(values, (int) slot.offset(), part, 0, part.length);
        return Nd4j.create(part, slot.shape(), 'c');
    }

    static Difference difference(String what, INDArray expected, INDArray actual) {
        if (expected.length() != actual.length()) {
            return new Difference(what + " (size " + actual.length() + " for " + expected.length() + ")",
                    Double.POSITIVE_INFINITY, 1);
        }
        INDArray e = expected.castTo(DataType.DOUBLE).reshape(expected.length());
        INDArray a = actual.castTo(DataType.DOUBLE).reshape(expected.length());
        double largest = e.sub(a).amaxNumber().doubleValue();
        return new Difference(what, Double.isNaN(largest) ? Double.POSITIVE_INFINITY : largest,
                Math.max(1, e.amaxNumber().doubleValue()));
    }
}
