package org.redtest.engine.plan;

import org.redtest.RedTestException;

/** The graph has a vertex or setting the plan-based engines cannot run; the message names it. */
public final class UnsupportedGraphException extends RedTestException {
    public UnsupportedGraphException(String vertex, String what) {
        super("RedTest's plan engine (GPU engine, CPU training) cannot run vertex '" + vertex + "': " + what
                + " (it runs the networks RedTest builds: convolutions, batch norm, ReLU, sums, pooling, dropout, "
                + "dense layers and a softmax classifier)");
    }
}
