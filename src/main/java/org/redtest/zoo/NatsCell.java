package org.redtest.zoo;

import org.redtest.RedTestException;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One cell of the NATS-Bench topology space: 4 nodes, node j (1..3) sums op(i->j)(node i) over i < j.
 * The 6 edges are kept in arch-string order: 0->1, 0->2, 1->2, 0->3, 1->3, 2->3.
 *
 * <p>Index: the 6 ops as base-5 digits, the first edge most significant, ops numbered in
 * {@link NatsOp} order; so index 0 is all {@code none} and 15624 all {@code avg_pool_3x3}.
 */
public record NatsCell(List<NatsOp> edges) {
    public static final int EDGES = 6;
    public static final int SPACE_SIZE = 15625;
    /** {from, to} of each edge, in arch-string order. */
    public static final int[][] EDGE_NODES = {{0, 1}, {0, 2}, {1, 2}, {0, 3}, {1, 3}, {2, 3}};
    private static final Pattern EDGE = Pattern.compile("([a-z0-9_]+)~(\\d)");

    public NatsCell {
        edges = List.copyOf(edges);
        if (edges.size() != EDGES) {
            throw new IllegalArgumentException("a NATS cell has 6 edges");
        }
    }

    /** Parses {@code |op~0|+|op~0|op~1|+|op~0|op~1|op~2|}. */
    public static NatsCell parse(String arch) {
        String[] nodes = arch.trim().split("\\+");
        if (nodes.length != 3) {
            throw invalid(arch, "expected 3 node groups separated by '+'");
        }
        List<NatsOp> ops = new ArrayList<>();
        for (int j = 0; j < 3; j++) {
            String group = nodes[j];
            if (!group.startsWith("|") || !group.endsWith("|")) {
                throw invalid(arch, "node group '" + group + "' must be enclosed in '|'");
            }
            String[] parts = group.substring(1, group.length() - 1).split("\\|");
            if (parts.length != j + 1) {
                throw invalid(arch, "node " + (j + 1) + " needs " + (j + 1) + " inputs, got " + parts.length);
            }
            for (int i = 0; i < parts.length; i++) {
                Matcher m = EDGE.matcher(parts[i]);
                if (!m.matches() || Integer.parseInt(m.group(2)) != i) {
                    throw invalid(arch, "edge '" + parts[i] + "' must read op~" + i);
                }
                ops.add(NatsOp.fromLabel(m.group(1)));
            }
        }
        return new NatsCell(ops);
    }

    public static NatsCell fromIndex(int index) {
        if (index < 0 || index >= SPACE_SIZE) {
            throw new RedTestException("NATS cell index must be in 0.." + (SPACE_SIZE - 1) + ", got " + index);
        }
        NatsOp[] ops = new NatsOp[EDGES];
        for (int e = EDGES - 1; e >= 0; e--) {
            ops[e] = NatsOp.values()[index % 5];
            index /= 5;
        }
        return new NatsCell(List.of(ops));
    }

    public int index() {
        int index = 0;
        for (NatsOp op : edges) {
            index = index * 5 + op.ordinal();
        }
        return index;
    }

    public NatsOp op(int from, int to) {
        for (int e = 0; e < EDGES; e++) {
            if (EDGE_NODES[e][0] == from && EDGE_NODES[e][1] == to) {
                return edges.get(e);
            }
        }
        throw new IllegalArgumentException("no edge " + from + "->" + to);
    }

    public String arch() {
        StringBuilder s = new StringBuilder();
        for (int j = 1; j <= 3; j++) {
            if (j > 1) {
                s.append('+');
            }
            s.append('|');
            for (int i = 0; i < j; i++) {
                s.append(op(i, j).label()).append('~').append(i).append('|');
            }
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return arch();
    }

    private static RedTestException invalid(String arch, String why) {
        return new RedTestException("invalid NATS arch string '" + arch + "': " + why
                + " (format |op~0|+|op~0|op~1|+|op~0|op~1|op~2|)");
    }
}
