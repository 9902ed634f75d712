package org.redtest.engine.cpu;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
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
 * scaling) compute the right values on it unchanged; so do concatenations and subsets of whole
 * channel blocks, since each image's blocks are contiguous and in channel order. Those layers pass
 * their input's layout on, so activations joined through them are decided together. Our
 * convolution and batch norm read and write either layout; the pooling layers are swapped for ones
 * that rewrite blocked arrays around DL4J's code (one conversion at a stage's end or a measurement
 * tap instead of two at every layer of a residual stream). Anything read by another layer (a dense
 * layer, a concatenation of partial blocks), every graph input and output stays plain NCHW, so what
 * leaves the graph is unchanged.
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

    /** The names of the vertices of {@code graph} whose outputs may be blocked with {@code block} channels per block. */
    static Set<String> of(ComputationGraph graph, int block) {
        return new Analysis(graph, block).blocked();
    }

    /** Convolutions whose helper can take blocked arrays: NCHW, no dilation, explicit padding. */
    static boolean convSupported(ConvolutionLayer c) {
        return c.getCnn2dDataFormat() == CNN2DFormat.NCHW && c.getConvolutionMode() != ConvolutionMode.Same
                && c.getDilation()[0] == 1 && c.getDilation()[1] == 1;
    }

    /** How a vertex treats layouts. */
    private enum Role {
        /** Reads and writes either layout: our convolution and BN, the layout-adapting pooling layers. */
        CONVERTER,
        /** Its output has its inputs' layout: elementwise layers, concatenations and subsets of whole blocks. */
        PASS_THROUGH,
        /** Reads and writes plain NCHW only. */
        PLAIN_ONLY
    }

    private static final class Analysis {
        private final ComputationGraph graph;
        private final int block;
        private final Map<String, GraphVertex> vertices;
        private final Map<String, List<String>> inputs;
        private final Map<String, Long> channels = new HashMap<>();
        private final Map<String, Boolean> fourD = new HashMap<>();

        Analysis(ComputationGraph graph, int block) {
            this.graph = graph;
            this.block = block;
            this.vertices = graph.getConfiguration().getVertices();
            this.inputs = graph.getConfiguration().getVertexInputs();
        }

        Set<String> blocked() {
            ComputationGraphConfiguration conf = graph.getConfiguration();
            Map<String, List<String>> readers = new HashMap<>();
            inputs.forEach((vertex, ins) -> ins.forEach(in -> readers.computeIfAbsent(in, k -> new ArrayList<>()).add(vertex)));
            Map<String, Role> roles = new HashMap<>();
            vertices.keySet().forEach(name -> roles.put(name, role(name)));

            Groups groups = new Groups();
            conf.getNetworkInputs().forEach(groups::add);
            roles.forEach((name, role) -> {
                groups.add(name);
                if (role == Role.PASS_THROUGH) {
                    inputs.getOrDefault(name, List.of()).forEach(in -> groups.union(name, in));
                }
            });
            Set<String> plainRoots = new HashSet<>();
            conf.getNetworkInputs().forEach(in -> plainRoots.add(groups.root(in)));
            conf.getNetworkOutputs().forEach(out -> plainRoots.add(groups.root(out)));
            // a group needs one of our layers writing it (else nothing would produce the layout)
            Set<String> rootsWithWriter = new HashSet<>();
            roles.forEach((name, role) -> {
                boolean writable = role == Role.PASS_THROUGH
                        || role == Role.CONVERTER && isFourDimensional(name) && channels(name) > 0
                        && channels(name) % block == 0;
                boolean readable = readers.getOrDefault(name, List.of()).stream()
                        .allMatch(r -> roles.get(r) != Role.PLAIN_ONLY);
                if (!writable || !readable) {
                    plainRoots.add(groups.root(name));
                }
                if (role == Role.CONVERTER) {
                    rootsWithWriter.add(groups.root(name));
                }
            });
            Set<String> blocked = new HashSet<>();
            for (String name : vertices.keySet()) {
                String root = groups.root(name);
                if (!plainRoots.contains(root) && rootsWithWriter.contains(root)) {
                    blocked.add(name);
                }
            }
            return blocked;
        }

        private Role role(String name) {
            GraphVertex v = vertices.get(name);
            List<String> ins = inputs.getOrDefault(name, List.of());
            if (v instanceof LayerVertex) {
                Layer layer = graph.getLayer(name);
                if (layer instanceof org.deeplearning4j.nn.layers.convolution.ConvolutionLayer c
                        && c.getHelper() instanceof OneDnnConvHelper && convSupported((ConvolutionLayer) c.conf().getLayer())
                        || layer instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization bn
                        && bn.getHelper() instanceof OneDnnBatchNormHelper
                        || layer instanceof LayoutAdaptingSubsampling || layer instanceof LayoutAdaptingGlobalPooling) {
                    return Role.CONVERTER;
                }
                return layer instanceof LeanReluLayer ? Role.PASS_THROUGH : Role.PLAIN_ONLY;
            }
            if (v instanceof ElementWiseVertex || v instanceof ScaleVertex) {
                return Role.PASS_THROUGH;
            }
            if (v instanceof MergeVertex m && m.getMergeAxis() == 1 && !ins.isEmpty() && ins.stream()
                    .allMatch(in -> isFourDimensional(in) && channels(in) > 0 && channels(in) % block == 0)) {
                return Role.PASS_THROUGH;
            }
            if (v instanceof SubsetVertex sv && ins.size() == 1 && isFourDimensional(ins.get(0))
                    && sv.getFrom() % block == 0 && (sv.getTo() + 1) % block == 0) {
                return Role.PASS_THROUGH;
            }
            return Role.PLAIN_ONLY;
        }

        /** The channel count of a vertex's 4-d output, or -1 when not known. */
        private long channels(String name) {
            Long known = channels.get(name);
            if (known != null) {
                return known;
            }
            GraphVertex v = vertices.get(name);
            List<String> ins = inputs.getOrDefault(name, List.of());
            long c = -1;
            if (v instanceof LayerVertex lv) {
                var layer = lv.getLayerConf().getLayer();
                if (layer instanceof ConvolutionLayer conv) {
                    c = conv.getNOut();
                } else if (layer instanceof BatchNormalization bn) {
                    c = bn.getNOut();
                } else if (!ins.isEmpty() && (layer instanceof SubsamplingLayer || layer instanceof ActivationLayer)) {
                    c = channels(ins.get(0));
                }
            } else if ((v instanceof ElementWiseVertex || v instanceof ScaleVertex) && !ins.isEmpty()) {
                c = channels(ins.get(0));
            } else if (v instanceof MergeVertex) {
                c = 0;
                for (String in : ins) {
                    long ci = channels(in);
                    c = ci < 0 || c < 0 ? -1 : c + ci;
                }
            } else if (v instanceof SubsetVertex sv) {
                c = sv.getTo() - sv.getFrom() + 1;
            }
            channels.put(name, c);
            return c;
        }

        /**
         * True for a convolution's output and for what BN, pooling and pass-through vertices make of
         * one: batch norm also runs on dense activations (as n x c x 1 x 1), which are never blocked.
         */
        private boolean isFourDimensional(String name) {
            Boolean known = fourD.get(name);
            if (known != null) {
                return known;
            }
            GraphVertex v = vertices.get(name);
            List<String> ins = inputs.getOrDefault(name, List.of());
            boolean result;
            if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof ConvolutionLayer) {
                result = true;
            } else {
                boolean passesShapeOn = v instanceof LayerVertex lv
                        && (lv.getLayerConf().getLayer() instanceof BatchNormalization
                        || lv.getLayerConf().getLayer() instanceof SubsamplingLayer
                        || lv.getLayerConf().getLayer() instanceof ActivationLayer)
                        || v instanceof ElementWiseVertex || v instanceof ScaleVertex || v instanceof MergeVertex
                        || v instanceof SubsetVertex;
                result = passesShapeOn && !ins.isEmpty() && isFourDimensional(ins.get(0));
            }
            fourD.put(name, result);
            return result;
        }
    }

    /** Union-find over vertex names. */
    private static final class Groups {
        private final Map<String, String> parent = new HashMap<>();

        void add(String name) {
            parent.putIfAbsent(name, name);
        }

        String root(String name) {
            add(name);
            String r = name;
            while (!parent.get(r).equals(r)) {
                r = parent.get(r);
            }
            for (String n = name; !n.equals(r); ) { // path compression, without recursion for deep graphs
                String next = parent.get(n);
                parent.put(n, r);
                n = next;
            }
            return r;
        }

        void union(String a, String b) {
            parent.put(root(a), root(b));
        }
    }
}
