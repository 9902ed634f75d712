package org.redtest.onnx;

import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.NodeProto;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the graph alone says about its tensors: which node makes and which read each, and which are float
 * activations (the only ones worth measuring): a cheap forward pass over the node list, which ONNX keeps in
 * topological order.
 */
final class OnnxGraph {
    /** Ops whose output is not float whatever their input. */
    private static final Set<String> NON_FLOAT_OUTPUT = Set.of("Shape", "Size", "NonZero", "ArgMax", "ArgMin",
            "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "Not", "And", "Or", "Xor", "IsNaN", "IsInf");

    private final GraphProto graph;
    private final Map<String, NodeProto> producer = new HashMap<>();
    private final Map<String, List<NodeProto>> readers = new HashMap<>();
    private final Set<String> constants = new HashSet<>();
    private final Set<String> floatActivations = new LinkedHashSet<>();

    OnnxGraph(GraphProto graph, String imageInput) {
        this.graph = graph;
        graph.getInitializerList().forEach(t -> constants.add(t.getName()));
        Set<String> floats = new HashSet<>();
        floats.add(imageInput);
        for (NodeProto node : graph.getNodeList()) {
            node.getInputList().forEach(in -> readers.computeIfAbsent(in, k -> new ArrayList<>()).add(node));
            boolean constant = node.getOpType().equals("Constant")
                    || (node.getInputCount() > 0 && node.getInputList().stream().allMatch(constants::contains));
            boolean isFloat = !NON_FLOAT_OUTPUT.contains(node.getOpType()) && node.getInputCount() > 0
                    && floats.contains(node.getInput(0))
                    && (!node.getOpType().equals("Cast") || intAttribute(node, "to", 0) == OnnxModel.FLOAT);
            for (String out : node.getOutputList()) {
                producer.put(out, node);
                if (constant) {
                    constants.add(out);
                } else if (isFloat && !out.isEmpty()) {
                    floats.add(out);
                    floatActivations.add(out);
                }
            }
        }
    }

    GraphProto proto() {
        return graph;
    }

    /** Float tensors computed from the image, in graph order. */
    Set<String> floatActivations() {
        return floatActivations;
    }

    NodeProto producer(String tensor) {
        return producer.get(tensor);
    }

    List<NodeProto> readers(String tensor) {
        return readers.getOrDefault(tensor, List.of());
    }

    /** Whether the tensor is computed from the image (not a weight or a constant). */
    boolean isActivation(String tensor) {
        return floatActivations.contains(tensor);
    }

    static long intAttribute(NodeProto node, String name, long fallback) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getI();
            }
        }
        return fallback;
    }
}
