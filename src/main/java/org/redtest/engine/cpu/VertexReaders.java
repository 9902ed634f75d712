package org.redtest.engine.cpu;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Which vertices read each vertex's output in a graph configuration: where one vertex's work can move into another's. */
final class VertexReaders {
    private final ComputationGraphConfiguration conf;
    private final Map<String, List<String>> readers = new HashMap<>();

    VertexReaders(ComputationGraphConfiguration conf) {
        this.conf = conf;
        conf.getVertexInputs().forEach((vertex, inputs) ->
                inputs.forEach(in -> readers.computeIfAbsent(in, k -> new ArrayList<>()).add(vertex)));
    }

    /** Every vertex that reads {@code name}'s output (once per input it takes it as). */
    List<String> of(String name) {
        return readers.getOrDefault(name, List.of());
    }

    /**
     * The layer that alone reads {@code name}'s output, when it reads nothing else and has no preprocessor, and
     * {@code name} is no network output (a caller reads those); else null.
     */
    String onlyReader(String name) {
        List<String> r = readers.getOrDefault(name, List.of());
        if (r.size() != 1 || conf.getNetworkOutputs().contains(name)) {
            return null;
        }
        String reader = r.get(0);
        boolean single = conf.getVertexInputs().get(reader).size() == 1;
        boolean plain = conf.getVertices().get(reader) instanceof LayerVertex lv && lv.getPreProcessor() == null;
        return single && plain ? reader : null;
    }
}
