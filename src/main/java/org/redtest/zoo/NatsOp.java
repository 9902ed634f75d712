package org.redtest.zoo;

import org.redtest.RedTestException;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The five edge operations of the NATS-Bench topology space, in NATS-Bench's own order. */
public enum NatsOp {
    NONE("none"), SKIP_CONNECT("skip_connect"), NOR_CONV_1X1("nor_conv_1x1"),
    NOR_CONV_3X3("nor_conv_3x3"), AVG_POOL_3X3("avg_pool_3x3");

    private final String label;

    NatsOp(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static NatsOp fromLabel(String label) {
        for (NatsOp op : values()) {
            if (op.label.equals(label)) {
                return op;
            }
        }
        throw new RedTestException("unknown NATS operation '" + label + "' (known: "
                + Arrays.stream(values()).map(NatsOp::label).collect(Collectors.joining(", ")) + ")");
    }
}
