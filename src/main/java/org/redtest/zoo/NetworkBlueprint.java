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

    /**
     * The nodes the output depends on, in order. A NATS node whose out-edges are all {@code none}
     * is dead: NATS-Bench keeps and counts its ops ({@link #params()} does too), but it takes no
     * part in the output, so the DL4J graph leaves it out (DL4J cannot backpropagate into it).
     */
    public List<Node> liveNodes() {
        Map<String, Node> byName = nodesByName();
        java.util.Set<String> live = new java.util.HashSet<>();
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(List.of(outputName()));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (live.add(name) && byName.containsKey(name)) {
                todo.addAll(byName.get(name).inputs());
            }
        }
        return nodes.stream().filter(n -> live.contains(n.name())).toList();
    }

    /** The name of the last node: the network's output. */
    public String outputName() {
        return nodes.get(nodes.size() - 1).name();
    }
}
