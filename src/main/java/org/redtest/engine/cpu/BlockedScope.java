package org.redtest.engine.cpu;

/**
 * Where the fast path may keep activations channel-blocked ({@link BlockedLayouts}): only inside
 * this scope, on this thread. RedTest opens it around its own training, evaluation, measurement and
 * timing, where no one else reads a graph's inner activations; outside it every layer reads and
 * writes plain NCHW, so a user's {@code feedForward}, {@code output(layers, ...)} or listener sees
 * DL4J's usual arrays. A forward and backward pass must run entirely inside or outside it.
 * <pre>{@code
 * try (BlockedScope ignored = BlockedScope.open()) {
 *     graph.fit(batch);
 * }
 * }</pre>
 */
public final class BlockedScope implements AutoCloseable {
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
    private boolean closed;

    private BlockedScope() {
        DEPTH.get()[0]++;
    }

    public static BlockedScope open() {
        return new BlockedScope();
    }

    /** True on a thread inside an open scope. */
    static boolean active() {
        return DEPTH.get()[0] > 0;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            DEPTH.get()[0]--;
        }
    }
}
