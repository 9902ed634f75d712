package org.redtest.zoo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network as plain data: its nodes in topological order and its measured units. Params and FLOPs
 * are sums over the nodes, so counting never needs DL4J and never disagrees with the built graph.
 */
public record NetworkBlueprint(String spec, Family family, Shape input, int classes,
                               List<Node> nodes, List<Unit> units) {
    public static final String INPUT = "input";

    public NetworkBlueprint {
        nodes = List.copyOf(nodes);
        units = List.copyOf(units);
    }

    public long params() {
        return nodes.stream().mapToLong(Node::params).sum();
    }

    public long flops() {
        return nodes.stream().mapToLong(Node::flops).sum();
    }

    public List<String> unitNames() {
        return units.stream().map(Unit::name).toList();
    }

    public Map<String, Node> nodesByName() {
        Map<String, Node> byName = new LinkedHashMap<>();
        nodes.forEach(n -> byName.put(n.name(), n));
        return byName;
    }

    /** The name of the last node: the network's output. */
    public String outputName() {
        return nodes.get(nodes.size() - 1).name();
    }
}
