package org.redtest.engine.cpu;

import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a sum vertex may hand every input the same gradient array in the backward pass instead of a copy each.
 *
 * <p>DL4J's backward pass runs the vertices in reverse topological order. A vertex read by several others
 * keeps the first gradient it gets and adds the later ones into it in place. A shared array is therefore
 * changed when an input keeps it as its first gradient and a reader of that input further up the graph
 * (a "late" reader: its backward pass runs after the sum's) adds into it. Sharing is safe when at most one
 * input can be changed so, every late reader of that input runs its backward pass after every other
 * input's (which read the array then), and the other inputs are layers (a layer's backward pass makes new
 * arrays; a graph vertex may hand on views of the array). A CIFAR ResNet's identity blocks qualify: the
 * block's input is changed by its first convolution's gradient only after the second batch norm read it.
 */
final class SumGradientSharing {
    private final ComputationGraph graph;
    private final VertexReaders readers;
    /** Each vertex's position in the graph's topological order (the forward pass's order). */
    private final Map<String, Integer> steps = new HashMap<>();

    SumGradientSharing(ComputationGraph graph, VertexReaders readers) {
        this.graph = graph;
        this.readers = readers;
        int[] order = graph.topologicalSortOrder();
        for (int i = 0; i < order.length; i++) {
            steps.put(graph.getVertices()[order[i]].getVertexName(), i);
        }
    }

    boolean safe(String sum) {
        List<String> inputs = graph.getConfiguration().getVertexInputs().get(sum);
        if (inputs == null || inputs.size() < 2 || new HashSet<>(inputs).size() != inputs.size()) {
            return false;
        }
        int sumStep = steps.get(sum);
        String changed = null;
        for (String input : inputs) {
            boolean earlyReader = readers.of(input).stream().anyMatch(r -> !r.equals(sum) && steps.get(r) > sumStep);
            boolean lateReader = readers.of(input).stream().anyMatch(r -> !r.equals(sum) && steps.get(r) < sumStep);
            if (lateReader && !earlyReader) {
                if (changed != null) {
                    return false;
                }
                changed = input;
            }
        }
        Set<String> others = new HashSet<>(inputs);
        if (changed != null) {
            others.remove(changed);
        }
        for (String other : others) {
            if (!(graph.getConfiguration().getVertices().get(other) instanceof LayerVertex)) {
                return false;
            }
        }
        if (changed == null) {
            return true;
        }
        int firstOther = others.stream().mapToInt(steps::get).min().orElse(Integer.MAX_VALUE);
        String input = changed;
        return readers.of(input).stream().filter(r -> !r.equals(sum)).allMatch(r -> steps.get(r) < firstOther);
    }
}
