package org.redtest.onnx;

import onnx.Onnx.NodeProto;
import org.redtest.RedTestException;
import org.redtest.zoo.Family;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which tensors of an imported graph are its units (docs/method.md, "Units", for our own families): given by
 * name, or found by {@code auto} from the graph alone. Auto, in order of preference: the units our own export
 * recorded in the model's metadata; else the output of every residual addition (an Add of two activations of
 * rank 4), taken after its ReLU when one ReLU alone reads it; else, for a plain chain, the output of every ReLU
 * (or ReLU6 / Clip) that follows a convolution, directly or through a batch norm.
 */
public final class OnnxUnits {
    /** Metadata keys our export writes: the unit tensors (comma-separated) and the family. */
    public static final String UNITS_KEY = "redtest.units";
    public static final String FAMILY_KEY = "redtest.family";

    /** Ops whose outputs {@code --units list} offers. */
    private static final Set<String> LISTED = Set.of("Conv", "BatchNormalization", "Relu", "Clip", "LeakyRelu",
            "HardSwish", "Sigmoid", "Add", "Sum", "Mul", "Concat", "MaxPool", "AveragePool", "GlobalAveragePool",
            "Gemm", "MatMul", "Flatten", "Identity");
    private static final Set<String> ACTIVATIONS = Set.of("Relu", "Clip", "LeakyRelu", "HardSwish");

    private OnnxUnits() {
    }

    /** The tensors {@code --units list} shows (and auto chooses from), in graph order. */
    public static List<String> candidates(OnnxModel model) {
        OnnxGraph graph = new OnnxGraph(model.graph(), model.input().name());
        List<String> out = new ArrayList<>();
        for (NodeProto node : model.graph().getNodeList()) {
            if (LISTED.contains(node.getOpType()) && node.getOutputCount() > 0 && graph.isActivation(node.getOutput(0))) {
                out.add(node.getOutput(0));
            }
        }
        return out;
    }

    /** Tensors named by the user: each must be an activation of the graph. */
    public static UnitChoice named(OnnxModel model, List<String> names) {
        OnnxGraph graph = new OnnxGraph(model.graph(), model.input().name());
        Set<String> unique = new LinkedHashSet<>(names);
        if (unique.size() != names.size()) {
            throw new RedTestException("--units names a tensor twice: " + names);
        }
        for (String name : names) {
            if (!graph.isActivation(name)) {
                throw new RedTestException("unit '" + name + "' is not an activation tensor of " + model.file()
                        + (graph.producer(name) == null ? " (no node outputs it)" : " (it is not computed from the image)")
                        + "; bin/redtest msrs --onnx " + model.file() + " --units list shows the candidates");
            }
        }
        if (names.size() < 2) {
            throw new RedTestException("--units needs at least 2 tensors to compare, got " + names.size());
        }
        return new UnitChoice(names, "named", null);
    }

    /** Auto's choice; {@code shapes} holds the candidates' shapes (rank 4 tells feature maps apart). */
    public static UnitChoice auto(OnnxModel model, Map<String, long[]> shapes) {
        var recorded = model.metadata(UNITS_KEY);
        if (recorded.isPresent()) {
            List<String> tensors = Arrays.asList(recorded.get().split(","));
            Double gamma = model.metadata(FAMILY_KEY).map(f -> Family.valueOf(f.toUpperCase(Locale.ROOT)).defaultGamma())
                    .orElse(null);
            return new UnitChoice(tensors, "the units recorded by redtest export", gamma);
        }
        OnnxGraph graph = new OnnxGraph(model.graph(), model.input().name());
        List<String> residual = new ArrayList<>();
        List<String> plain = new ArrayList<>();
        for (NodeProto node : model.graph().getNodeList()) {
            String op = node.getOpType();
            if ((op.equals("Add") || op.equals("Sum")) && node.getInputCount() == 2
                    && node.getInputList().stream().allMatch(graph::isActivation) && rank(shapes, node.getOutput(0)) == 4) {
                List<NodeProto> readers = graph.readers(node.getOutput(0));
                boolean reluAfter = readers.size() == 1 && ACTIVATIONS.contains(readers.get(0).getOpType());
                residual.add(reluAfter ? readers.get(0).getOutput(0) : node.getOutput(0));
            } else if (ACTIVATIONS.contains(op) && rank(shapes, node.getOutput(0)) == 4 && followsConv(graph, node)) {
                plain.add(node.getOutput(0));
            }
        }
        if (residual.size() >= 2) {
            return new UnitChoice(residual, "auto: the output of each residual addition (after its ReLU when one follows)",
                    Family.RESNET.defaultGamma());
        }
        if (plain.size() >= 2) {
            return new UnitChoice(plain, "auto: the output of each conv(-BN)-ReLU of a plain chain",
                    Family.VGG.defaultGamma());
        }
        throw new RedTestException("auto found no units in " + model.file() + " (no residual additions and no "
                + "conv-ReLU chain); name them with --units NAME,NAME,... (--units list shows the candidates)");
    }

    private static boolean followsConv(OnnxGraph graph, NodeProto activation) {
        NodeProto before = graph.producer(activation.getInput(0));
        if (before != null && before.getOpType().equals("BatchNormalization")) {
            before = graph.producer(before.getInput(0));
        }
        return before != null && before.getOpType().equals("Conv");
    }

    private static int rank(Map<String, long[]> shapes, String tensor) {
        long[] s = shapes.get(tensor);
        return s == null ? -1 : s.length;
    }
}
