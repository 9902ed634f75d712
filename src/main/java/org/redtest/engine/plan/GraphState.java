package org.redtest.engine.plan;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.NesterovsUpdater;

import java.util.HashMap;
import java.util.Map;

/**
 * Moves a graph's training state between DL4J's arrays and a {@link PlanExecutor}'s buffers: parameters (DL4J
 * shapes, C order), batch-norm running statistics (DL4J may store the variance as log10 of the standard
 * deviation) and the Nesterov velocity from DL4J's updater state, laid out as DL4J lays out each parameter.
 * Checkpoints are written from the graph, so a run trained on one engine resumes on any other.
 */
public final class GraphState {
    private GraphState() {
    }

    /** Loads parameters and running statistics, and the velocity when {@code withUpdater} (training). */
    public static void load(ComputationGraph graph, PlanExecutor executor, boolean withUpdater) {
        ExecutionPlan plan = executor.plan();
        Kernels k = executor.kernels();
        for (ParamSlot slot : plan.params()) {
            k.upload(floats(graph.getLayer(slot.layer()).paramTable().get(slot.key())),
                    executor.params.slice(slot.offset(), slot.length()));
        }
        for (BatchNormState bn : plan.batchNorms()) {
            Map<String, INDArray> table = graph.getLayer(bn.layer()).paramTable();
            k.upload(floats(table.get(BatchNormalizationParamInitializer.GLOBAL_MEAN)),
                    executor.state.slice(bn.meanOffset(), bn.channels()));
            float[] variance = floats(table.get(bn.logStd() ? BatchNormalizationParamInitializer.GLOBAL_LOG_STD
                    : BatchNormalizationParamInitializer.GLOBAL_VAR));
            if (bn.logStd()) {
                for (int i = 0; i < variance.length; i++) {
                    double std = Math.pow(10, variance[i]);
                    variance[i] = (float) (std * std);
                }
            }
            k.upload(variance, executor.state.slice(bn.varianceOffset(), bn.channels()));
        }
        if (withUpdater) {
            velocities(graph).forEach((variable, state) -> {
                ParamSlot slot = slotOf(plan, variable);
                if (slot != null) {
                    k.upload(floats(state), executor.velocity.slice(slot.offset(), slot.length()));
                }
            });
        }
    }

    /** Writes parameters, running statistics and (when {@code withUpdater}) the velocity back into the graph. */
    public static void store(PlanExecutor executor, ComputationGraph graph, boolean withUpdater) {
        ExecutionPlan plan = executor.plan();
        Kernels k = executor.kernels();
        if (plan.paramCount() > 0) {
            float[] params = k.download(executor.params.slice(0, plan.paramCount()));
            for (ParamSlot slot : plan.params()) {
                assign(graph.getLayer(slot.layer()).paramTable().get(slot.key()), params, slot.offset());
            }
        }
        if (plan.stateCount() > 0) {
            float[] state = k.download(executor.state.slice(0, plan.stateCount()));
            for (BatchNormState bn : plan.batchNorms()) {
                Map<String, INDArray> table = graph.getLayer(bn.layer()).paramTable();
                assign(table.get(BatchNormalizationParamInitializer.GLOBAL_MEAN), state, bn.meanOffset());
                float[] variance = new float[bn.channels()];
                System.arraycopy(state, (int) bn.varianceOffset(), variance, 0, variance.length);
                if (bn.logStd()) {
                    for (int i = 0; i < variance.length; i++) {
                        variance[i] = (float) (0.5 * Math.log10(variance[i]));
                    }
                }
                assign(table.get(bn.logStd() ? BatchNormalizationParamInitializer.GLOBAL_LOG_STD
                        : BatchNormalizationParamInitializer.GLOBAL_VAR), variance, 0);
            }
        }
        if (withUpdater && plan.paramCount() > 0) {
            float[] velocity = k.download(executor.velocity.slice(0, plan.paramCount()));
            velocities(graph).forEach((variable, state) -> {
                ParamSlot slot = slotOf(plan, variable);
                if (slot != null) {
                    assign(state, velocity, slot.offset());
                }
            });
        }
    }

    private static ParamSlot slotOf(ExecutionPlan plan, String variable) {
        int cut = variable.lastIndexOf('_');
        return plan.param(variable.substring(0, cut), variable.substring(cut + 1));
    }

    /**
     * Each parameter's Nesterov velocity, by {@code layer_key}: a view of DL4J's updater state with the
     * parameter's own shape and strides. A block's state is laid out as the block's slice of the flat
     * parameter vector, and each parameter array is a strided view of that vector (dense weights in F order).
     */
    private static Map<String, INDArray> velocities(ComputationGraph graph) {
        Map<String, INDArray> out = new HashMap<>();
        long paramsBase = graph.params().offset();
        for (UpdaterBlock block : graph.getUpdater().getUpdaterBlocks()) {
            INDArray view = block.getUpdaterView();
            if (view == null || view.isEmpty()) {
                continue; // the running statistics' no-op updater
            }
            if (!(block.getGradientUpdater() instanceof NesterovsUpdater)) {
                throw new IllegalStateException("not a Nesterov updater: " + block.getGradientUpdater());
            }
            for (UpdaterBlock.ParamState p : block.getLayersAndVariablesInBlock()) {
                String layer = p.getLayer().getConfig().getLayerName();
                INDArray param = graph.getLayer(layer).paramTable().get(p.getParamName());
                long within = param.offset() - paramsBase - block.getParamOffsetStart();
                out.put(layer + "_" + p.getParamName(), Nd4j.create(view.data(), param.shape(), param.stride(),
                        view.offset() + within, param.ordering()));
            }
        }
        return out;
    }

    /** The array's values in C order, as floats. */
    static float[] floats(INDArray array) {
        return array.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    private static void assign(INDArray target, float[] values, long offset) {
        float[] part = new float[(int) target.length()];
        System.arraycopy(values, (int) offset, part, 0, part.length);
        target.assign(Nd4j.create(part, target.shape(), 'c').castTo(target.dataType()));
    }
}
