package org.redtest.engine.cpu;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.pooling.GlobalPoolingLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.nd4j.linalg.api.buffer.DataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Collections;
import java.util.WeakHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Our CPU training path on top of DL4J's oneDNN layer helpers, installed on a built graph (so
 * restored checkpoints get it too), for graphs whose layers run on those helpers: not on the stock
 * path (helpers disabled) nor on the CUDA backend, where nothing is changed.
 * <ul>
 *   <li>Every convolution layer gets {@link OneDnnConvHelper} (oneDNN called directly, primitives
 *       built once per shape).</li>
 *   <li>Every batch-norm layer gets {@link OneDnnBatchNormHelper} (the training pass as oneDNN
 *       primitives), or {@link FastBatchNormHelper} (Java loops) where oneDNN's Java bindings do not
 *       load. DL4J picks its helper classes by fixed names, so the swaps are done on built layers.</li>
 *   <li>Every plain-ReLU activation layer becomes a {@link LeanReluLayer} (one pass each way instead
 *       of a copy and a pass), and every element-wise sum vertex a {@link LeanSumVertex} (one pass per
 *       extra input instead of a copy and an addition each).</li>
 *   <li>Each convolution's forward output is kept for its backward pass: by our helper, which hands
 *       DL4J the output array itself, or where DL4J's helper runs by DL4J's cache
 *       ({@link CacheMode#DEVICE}, a copy). Without either, DL4J's default {@link CacheMode#NONE} runs
 *       every convolution's forward pass twice per training step, once more inside its backward pass.</li>
 * </ul>
 * {@code -Dredtest.fastCpuPath=false} keeps DL4J's own helpers and cache mode.
 */
public final class FastCpuPath {
    public static final String PROPERTY = "redtest.fastCpuPath";
    private static final Logger LOG = LoggerFactory.getLogger(FastCpuPath.class);
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();
    /** Graphs {@link #install} has seen (by identity; a graph that is gone is forgotten). */
    private static final Set<ComputationGraph> INSTALLED =
            Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private static final Field HELPER;
    private static final Field CONV_HELPER;
    private static final Field VERTEX_LAYER;
    private static final Field GRAPH_LAYERS;
    private static final Field GRAPH_VERTICES_BY_NAME;
    /** Diagnostic switch: {@code false} keeps DL4J's convolution helper while the rest of the fast path stays. */
    public static final String CONV_PROPERTY = "redtest.fastCpuPath.conv";
    /** Diagnostic switch: {@code false} runs batch norm's training pass in Java loops instead of oneDNN. */
    public static final String BN_PROPERTY = "redtest.fastCpuPath.oneDnnBn";

    static {
        try {
            HELPER = BatchNormalization.class.getDeclaredField("helper");
            HELPER.setAccessible(true);
            CONV_HELPER = ConvolutionLayer.class.getDeclaredField("helper");
            CONV_HELPER.setAccessible(true);
            VERTEX_LAYER = LayerVertex.class.getDeclaredField("layer");
            VERTEX_LAYER.setAccessible(true);
            GRAPH_LAYERS = ComputationGraph.class.getDeclaredField("layers");
            GRAPH_LAYERS.setAccessible(true);
            GRAPH_VERTICES_BY_NAME = ComputationGraph.class.getDeclaredField("verticesMap");
            GRAPH_VERTICES_BY_NAME.setAccessible(true);
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private FastCpuPath() {
    }

    /** Which layer code a graph runs; chosen when its layers are created (see {@link #buildOn}). */
    public enum LayerPath {
        /** DL4J's own layer code, no helpers at all. */
        STOCK(true, false),
        /** DL4J's oneDNN layer helpers alone. */
        DL4J_HELPERS(false, false),
        /** DL4J's helpers with this class's fast path installed on top. */
        FAST(false, true);

        private final boolean helpersDisabled;
        private final boolean fastPath;

        LayerPath(boolean helpersDisabled, boolean fastPath) {
            this.helpersDisabled = helpersDisabled;
            this.fastPath = fastPath;
        }
    }

    /**
     * Builds graphs on a chosen layer path (for comparisons: benchmarks, {@code doctor}, tests). DL4J reads
     * its helper switch when a layer is created, so the switches are set around {@code build} and restored.
     */
    public static <T> T buildOn(LayerPath path, Supplier<T> build) {
        return SystemProperties.with(CpuAcceleration.HELPERS_DISABLE_PROPERTY, String.valueOf(path.helpersDisabled),
                () -> SystemProperties.with(PROPERTY, String.valueOf(path.fastPath), build));
    }

    public static boolean enabled() {
        return Boolean.parseBoolean(System.getProperty(PROPERTY, "true"));
    }

    /**
     * Installs the fast path on {@code graph} in place (when enabled and applicable) and returns the graph.
     * A graph is installed once; later calls return it as it is.
     */
    public static ComputationGraph install(ComputationGraph graph) {
        if (!INSTALLED.add(graph)) {
            return graph;
        }
        if (!enabled() || !runsOnOneDnnHelpers(graph)) {
            logOnce("DL4J's own layer path (" + (enabled() ? "no oneDNN helpers in this graph" : "-D" + PROPERTY
                    + "=false") + ")");
            return graph;
        }
        boolean oneDnn = oneDnnLoads();
        boolean oneDnnBn = oneDnn && Boolean.parseBoolean(System.getProperty(BN_PROPERTY, "true"));
        boolean oneDnnConv = oneDnn && Boolean.parseBoolean(System.getProperty(CONV_PROPERTY, "true"));
        DataType type = graph.getConfiguration().getDataType();
        for (Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (layer instanceof BatchNormalization bn && bn.getHelper() != null
                    && bn.getHelper().getClass() == MKLDNNBatchNormHelper.class) {
                setHelper(HELPER, bn, oneDnnBn ? new OneDnnBatchNormHelper(type, name) : new FastBatchNormHelper(type));
            } else if (oneDnnConv && layer instanceof ConvolutionLayer c && c.getHelper() != null
                    && c.getHelper().getClass() == MKLDNNConvHelper.class) {
                var conf = (org.deeplearning4j.nn.conf.layers.ConvolutionLayer) c.conf().getLayer();
                setHelper(CONV_HELPER, c, new OneDnnConvHelper(c, type, conf.hasBias(),
                        LeanReluLayer.isPlainRelu(conf.getActivationFn())));
            }
        }
        boolean blocked = oneDnnConv && oneDnnBn && BlockedLayouts.enabled() && OneDnn.preferredChannelBlock() > 0;
        replaceLayers(graph, oneDnn, blocked);
        if (oneDnn) {
            replaceSums(graph);
        }
        if (oneDnnBn) {
            moveReluIntoBatchNorm(graph);
        }
        markNetworkInputReaders(graph);
        int blockedActivations = blocked ? keepBlocked(graph) : 0;
        CacheMode cache = oneDnnConv ? CacheMode.NONE : CacheMode.DEVICE; // see OneDnnConvHelper.keepForBackward
        graph.getConfiguration().setCacheMode(cache);
        graph.setCacheMode(cache);
        logOnce("fast CPU path: " + (oneDnnConv ? "direct oneDNN convolutions" : "DL4J's oneDNN convolutions")
                + " + " + (oneDnnBn ? "direct oneDNN batch norm" : "batch norm in Java loops")
                + (oneDnn ? " + oneDNN ReLU and sums" : " + one-pass ReLU") + " + forward outputs kept for backward"
                + (blockedActivations > 0 ? " + activations kept channel-blocked between layers" : "")
                + " (-D" + PROPERTY + "=false for DL4J's own)");
        return graph;
    }

    /**
     * Tells our convolution and BN helpers which of their inputs and outputs stay channel-blocked
     * ({@link BlockedLayouts}); returns how many activations do.
     */
    private static int keepBlocked(ComputationGraph graph) {
        int block = OneDnn.preferredChannelBlock();
        if (block == 0) {
            return 0;
        }
        Set<String> blocked = BlockedLayouts.of(graph, block);
        int tag = OneDnn.blockedTag(block);
        var inputs = graph.getConfiguration().getVertexInputs();
        for (Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            List<String> ins = inputs.get(name);
            int in = ins != null && ins.size() == 1 && blocked.contains(ins.get(0)) ? tag : OneDnn.PLAIN;
            int out = blocked.contains(name) ? tag : OneDnn.PLAIN;
            if (layer instanceof BatchNormalization bn && bn.getHelper() instanceof OneDnnBatchNormHelper h) {
                h.useLayouts(in, out);
            } else if (layer instanceof ConvolutionLayer c && c.getHelper() instanceof OneDnnConvHelper h) {
                h.useLayouts(in, out);
            } else if (layer instanceof LayoutAdaptingSubsampling s) {
                s.layouts.use(in, out);
            } else if (layer instanceof LayoutAdaptingGlobalPooling p) {
                p.layouts.use(in, OneDnn.PLAIN);
            }
        }
        return blocked.size();
    }

    private static void setHelper(Field field, Layer layer, Object helper) {
        try {
            field.set(layer, helper);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot replace the helper of layer " + layer.conf().getLayer().getLayerName(), e);
        }
    }

    /** True when the graph has no BN layers or they all run on DL4J's oneDNN helper. */
    /** Whether {@code graph} trains on our oneDNN code: the fast path is on and its layers use the oneDNN helpers. */
    static boolean appliesTo(ComputationGraph graph) {
        return enabled() && runsOnOneDnnHelpers(graph);
    }

    private static boolean runsOnOneDnnHelpers(ComputationGraph graph) {
        boolean anyBn = false;
        for (Layer layer : graph.getLayers()) {
            if (layer instanceof BatchNormalization bn) {
                anyBn = true;
                if (!(bn.getHelper() instanceof MKLDNNBatchNormHelper)) {
                    return false;
                }
            }
        }
        return anyBn || CpuAcceleration.status().oneDnnHelpersActive();
    }

    /**
     * Swaps DL4J's layer objects for ours with the same configuration (no parameters): every plain
     * ReLU for a {@link LeanReluLayer}, and with blocked layouts the pooling layers for ones that can
     * read them. DL4J creates layers from their configuration by fixed classes, so this is done on
     * the built graph.
     */
    private static void replaceLayers(ComputationGraph graph, boolean oneDnn, boolean blocked) {
        DataType type = graph.getConfiguration().getDataType();
        try {
            Layer[] layers = (Layer[]) GRAPH_LAYERS.get(graph);
            for (GraphVertex vertex : graph.getVertices()) {
                if (!(vertex instanceof LayerVertex lv) || lv.getLayer() == null) {
                    continue;
                }
                Layer old = lv.getLayer();
                Layer ours = null;
                if (old.getClass() == org.deeplearning4j.nn.layers.ActivationLayer.class
                        && LeanReluLayer.isPlainRelu((org.deeplearning4j.nn.layers.ActivationLayer) old)) {
                    ours = new LeanReluLayer(old.conf(), type, oneDnn);
                } else if (blocked && old.getClass() == SubsamplingLayer.class) {
                    ours = new LayoutAdaptingSubsampling(old.conf(), type);
                } else if (blocked && old.getClass() == GlobalPoolingLayer.class) {
                    ours = new LayoutAdaptingGlobalPooling(old.conf(), type);
                }
                if (ours == null) {
                    continue;
                }
                ours.setIndex(old.getIndex());
                ours.setListeners(old.getListeners());
                VERTEX_LAYER.set(lv, ours);
                for (int i = 0; i < layers.length; i++) {
                    if (layers[i] == old) {
                        layers[i] = ours;
                    }
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot replace the ReLU and pooling layers", e);
        }
    }

    /** Tells the oneDNN convolutions that read a network input directly (their input gradient has no reader). */
    private static void markNetworkInputReaders(ComputationGraph graph) {
        var conf = graph.getConfiguration();
        for (Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (layer instanceof ConvolutionLayer c && c.getHelper() instanceof OneDnnConvHelper h
                    && conf.getNetworkInputs().containsAll(conf.getVertexInputs().get(name))
                    && conf.getVertices().get(name) instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv
                    && lv.getPreProcessor() == null && c.layerConf().getIDropout() == null) {
                h.readsNetworkInput();
            }
        }
    }

    /**
     * Lets each oneDNN batch norm whose output a {@link LeanReluLayer} alone reads apply the ReLU in its own
     * forward pass in training (one pass over the activation fewer); the ReLU layer then hands on its input.
     */
    private static void moveReluIntoBatchNorm(ComputationGraph graph) {
        VertexReaders readers = new VertexReaders(graph.getConfiguration());
        for (Layer layer : graph.getLayers()) {
            if (layer instanceof BatchNormalization bn && bn.getHelper() instanceof OneDnnBatchNormHelper h) {
                String reader = readers.onlyReader(layer.conf().getLayer().getLayerName());
                if (reader != null && graph.getLayer(reader) instanceof LeanReluLayer relu) {
                    h.applyFollowingRelu();
                    relu.appliedBy(h);
                }
            }
        }
    }

    /**
     * Swaps DL4J's element-wise sum vertices for {@link LeanSumVertex}es (same inputs, one pass per extra
     * input; one gradient array for all inputs where {@link SumGradientSharing} allows). DL4J instantiates
     * vertices from their configuration by fixed classes, so this is done on the built graph, in both places
     * it keeps them.
     */
    @SuppressWarnings("unchecked")
    private static void replaceSums(ComputationGraph graph) {
        DataType type = graph.getConfiguration().getDataType();
        var confs = graph.getConfiguration().getVertices();
        SumGradientSharing sharing = new SumGradientSharing(graph, new VertexReaders(graph.getConfiguration()));
        try {
            GraphVertex[] vertices = graph.getVertices();
            var byName = (java.util.Map<String, GraphVertex>) GRAPH_VERTICES_BY_NAME.get(graph);
            for (int i = 0; i < vertices.length; i++) {
                GraphVertex v = vertices[i];
                if (v.getClass() != org.deeplearning4j.nn.graph.vertex.impl.ElementWiseVertex.class
                        || !(confs.get(v.getVertexName()) instanceof org.deeplearning4j.nn.conf.graph.ElementWiseVertex c)
                        || c.getOp() != org.deeplearning4j.nn.conf.graph.ElementWiseVertex.Op.Add) {
                    continue;
                }
                LeanSumVertex lean = new LeanSumVertex(graph, v.getVertexName(), v.getVertexIndex(), v.getInputVertices(),
                        v.getOutputVertices(), type, false, sharing.safe(v.getVertexName()));
                vertices[i] = lean;
                byName.put(v.getVertexName(), lean);
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot replace the sum vertices", e);
        }
    }

    private static boolean oneDnnLoads() {
        try {
            OneDnn.ensureLoaded();
            return true;
        } catch (RuntimeException | LinkageError e) {
            logOnce("oneDNN's Java bindings cannot be loaded (" + e + "); convolutions stay on DL4J's helper");
            return false;
        }
    }

    /** Tells {@code graph}'s oneDNN convolutions that its weights never change (an inference copy's). */
    static void freezeWeights(ComputationGraph graph) {
        for (Layer layer : graph.getLayers()) {
            if (layer instanceof ConvolutionLayer c && c.getHelper() instanceof OneDnnConvHelper h) {
                h.freezeWeights();
            }
        }
    }

    /** How many of {@code graph}'s convolution layers call oneDNN directly. */
    public static long directConvolutionCount(ComputationGraph graph) {
        return count(graph, l -> l instanceof ConvolutionLayer c && c.getHelper() instanceof OneDnnConvHelper);
    }

    /** How many of {@code graph}'s BN layers run on {@link FastBatchNormHelper} (or its oneDNN subclass). */
    public static long installedCount(ComputationGraph graph) {
        return count(graph, l -> l instanceof BatchNormalization bn && bn.getHelper() instanceof FastBatchNormHelper);
    }

    /** How many of {@code graph}'s convolution and BN layers read or write channel-blocked arrays. */
    public static long blockedLayerCount(ComputationGraph graph) {
        return count(graph, l -> l instanceof ConvolutionLayer c && c.getHelper() instanceof OneDnnConvHelper h
                && h.keepsBlocked() || l instanceof BatchNormalization bn && bn.getHelper() instanceof OneDnnBatchNormHelper b
                && b.keepsBlocked());
    }

    /** How many of {@code graph}'s vertices are {@link LeanSumVertex}es. */
    public static long leanSumCount(ComputationGraph graph) {
        return Arrays.stream(graph.getVertices()).filter(v -> v instanceof LeanSumVertex).count();
    }

    /** How many of {@code graph}'s layers are {@link LeanReluLayer}s. */
    public static long leanReluCount(ComputationGraph graph) {
        return count(graph, l -> l instanceof LeanReluLayer);
    }

    private static long count(ComputationGraph graph, Predicate<Layer> which) {
        return Arrays.stream(graph.getLayers()).filter(which).count();
    }

    private static void logOnce(String message) {
        if (LOGGED.add(message)) { // once per process and path, not per graph
            LOG.info(message);
        }
    }
}
