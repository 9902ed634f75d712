package org.redtest.runtime;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which activations of a graph may stay in oneDNN's channel-blocked layout ({@code nChw16c} or
 * {@code nChw8c}) between layers instead of plain NCHW. Converting every convolution's and batch
 * norm's input and output between the two layouts took about a third of a ResNet training step.
 *
 * <p>A blocked activation has the NCHW array's shape and length (the channel count is a multiple of
 * the block), only its elements are ordered differently, so elementwise layers (ReLU, additions,
 * scaling) compute the right values on it unchanged. An activation is kept blocked only when every
 * layer that writes or reads it is one of ours that knows the layout (convolution, batch norm) or
 * elementwise; since an elementwise layer's output has its input's layout, activations joined by
 * elementwise layers are decided together. Anything read by another layer (pooling, concatenation,
 * a measurement tap, a dense layer), a graph input or output stays plain NCHW, so what leaves the
 * graph, and what DL4J layers of their own read, is unchanged.
 *
 * <p>Gradients have their activation's layout. Only the fast path's own layers ever see a blocked
 * array; {@code -Dredtest.fastCpuPath.blocked=false} keeps every activation plain (for code that
 * inspects a training graph's inner activations, e.g. through {@code feedForward}).
 */
final class BlockedLayouts {
    static final String PROPERTY = "redtest.fastCpuPath.blocked";

    private BlockedLayouts() {
    }

    static boolean enabled() {
        return Boolean.parseBoolean(System.getProperty(PROPERTY, "true"));
    }

    /**
     * The names of the vertices whose outputs may be blocked. {@code ours} tells which layers run
     * the fast path's own convolution and batch-norm helpers; {@code block} is the channel block.
     */
    static Set<String> of(ComputationGraph graph, Set<String> ours, int block) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        Map<String, List<String>> inputs = conf.getVertexInputs();
        Map<String, List<String>> readers = new HashMap<>();
        inputs.forEach((vertex, ins) -> ins.forEach(in -> readers.computeIfAbsent(in, k -> new ArrayList<>()).add(vertex)));
        Map<String, GraphVertex> vertices = conf.getVertices();

        // activations joined by elementwise vertices share one layout: group them
        Groups groups = new Groups();
        vertices.forEach((name, v) -> {
            groups.add(name);
            if (isElementwise(v, graph, name)) {
                inputs.getOrDefault(name, List.of()).forEach(in -> groups.union(name, in));
            }
        });
        conf.getNetworkInputs().forEach(groups::add);

        Set<String> plainRoots = new HashSet<>();
        for (String in : conf.getNetworkInputs()) {
            plainRoots.add(groups.root(in));
        }
        for (String out : conf.getNetworkOutputs()) {
            plainRoots.add(groups.root(out));
        }
        Map<String, Boolean> fourD = new HashMap<>();
        for (var e : vertices.entrySet()) {
            String name = e.getKey();
            boolean writable = ours.contains(name)
                    ? channels(e.getValue()) % block == 0 && isFourDimensional(name, vertices, inputs, graph, fourD)
                    : isElementwise(e.getValue(), graph, name);
            boolean readable = readers.getOrDefault(name, List.of()).stream()
                    .allMatch(r -> ours.contains(r) || isElementwise(vertices.get(r), graph, r));
            if (!writable || !readable) {
                plainRoots.add(groups.root(name));
            }
        }
        // a group needs at least one of our layers writing it (else nothing would produce the layout)
        Set<String> rootsWithWriter = new HashSet<>();
        ours.forEach(name -> rootsWithWriter.add(groups.root(name)));
        Set<String> blocked = new HashSet<>();
        for (String name : vertices.keySet()) {
            String root = groups.root(name);
            if (!plainRoots.contains(root) && rootsWithWriter.contains(root)) {
                blocked.add(name);
            }
        }
        return blocked;
    }

    /**
     * True for a convolution's output, and for what BN and elementwise vertices make of one: batch
     * norm also runs on dense activations (as n x c x 1 x 1), which are never blocked.
     */
    private static boolean isFourDimensional(String name, Map<String, GraphVertex> vertices,
                                             Map<String, List<String>> inputs, ComputationGraph graph,
                                             Map<String, Boolean> memo) {
        Boolean known = memo.get(name);
        if (known != null) {
            return known;
        }
        GraphVertex v = vertices.get(name);
        if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof ConvolutionLayer) {
            return true;
        }
        boolean passesShapeOn = v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BatchNormalization
                || v != null && isElementwise(v, graph, name);
        List<String> ins = inputs.getOrDefault(name, List.of());
        boolean result = passesShapeOn && !ins.isEmpty() && isFourDimensional(ins.get(0), vertices, inputs, graph, memo);
        memo.put(name, result);
        return result;
    }

    private static long channels(GraphVertex v) {
        var layer = ((LayerVertex) v).getLayerConf().getLayer();
        return layer instanceof ConvolutionLayer c ? c.getNOut() : ((BatchNormalization) layer).getNOut();
    }

    /** Vertices whose output element i depends only on their inputs' element i. */
    private static boolean isElementwise(GraphVertex v, ComputationGraph graph, String name) {
        if (v instanceof ElementWiseVertex || v instanceof ScaleVertex) {
            return true;
        }
        if (v instanceof LayerVertex) {
            Layer layer = graph.getLayer(name);
            return layer instanceof LeanReluLayer;
        }
        return false;
    }

    /** Convolutions whose helper can take blocked arrays: NCHW, no dilation, explicit padding. */
    static boolean convSupported(ConvolutionLayer c) {
        return c.getCnn2dDataFormat() == CNN2DFormat.NCHW && c.getConvolutionMode() != ConvolutionMode.Same
                && c.getDilation()[0] == 1 && c.getDilation()[1] == 1;
    }

    /** Union-find over vertex names. */
    private static final class Groups {
        private final Map<String, String> parent = new HashMap<>();

        void add(String name) {
            parent.putIfAbsent(name, name);
        }

        String root(String name) {
            add(name);
            String p = parent.get(name);
            if (p.equals(name)) {
                return name;
            }
            String r = root(p);
            parent.put(name, r);
            return r;
        }

        void union(String a, String b) {
            parent.put(root(a), root(b));
        }
    }
}
