package org.redtest.zoo;

import java.util.List;

/** One named operation of a network: its inputs, its output shape, and its cost (Params, FLOPs). */
public record Node(String name, Op op, List<String> inputs, Shape output, long params, long flops) {
    public Node {
        inputs = List.copyOf(inputs);
    }
}
