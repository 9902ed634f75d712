package org.redtest.runtime;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;

import java.lang.reflect.Field;

/**
 * Gives every batch-norm layer that runs on DL4J's oneDNN helper the {@link BatchStatisticsHelper}
 * instead. DL4J picks its helper class by a fixed name, so the swap happens on the built graph;
 * layers without a helper (stock path, CUDA) are left as they are. {@code -Dredtest.fastBatchNorm=false}
 * keeps DL4J's own helper.
 */
public final class FastBatchNorm {
    public static final String PROPERTY = "redtest.fastBatchNorm";
    private static final Field HELPER;

    static {
        try {
            HELPER = BatchNormalization.class.getDeclaredField("helper");
            HELPER.setAccessible(true);
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private FastBatchNorm() {
    }

    public static boolean enabled() {
        return Boolean.parseBoolean(System.getProperty(PROPERTY, "true"));
    }

    /** Swaps the helpers of {@code graph}'s BN layers in place (when enabled) and returns the graph. */
    public static ComputationGraph install(ComputationGraph graph) {
        if (!enabled()) {
            return graph;
        }
        for (Layer layer : graph.getLayers()) {
            if (layer instanceof BatchNormalization bn && bn.getHelper() != null
                    && bn.getHelper().getClass() == MKLDNNBatchNormHelper.class) {
                try {
                    HELPER.set(bn, new BatchStatisticsHelper(graph.getConfiguration().getDataType()));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot replace the batch-norm helper of layer "
                            + bn.conf().getLayer().getLayerName(), e);
                }
            }
        }
        return graph;
    }

    /** How many of {@code graph}'s BN layers use the fast statistics. */
    public static long installedCount(ComputationGraph graph) {
        long count = 0;
        for (Layer layer : graph.getLayers()) {
            if (layer instanceof BatchNormalization bn && bn.getHelper() instanceof BatchStatisticsHelper) {
                count++;
            }
        }
        return count;
    }
}
