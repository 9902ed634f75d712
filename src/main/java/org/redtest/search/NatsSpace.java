package org.redtest.search;

import org.redtest.RedTestException;
import org.redtest.zoo.NatsCell;
import org.redtest.zoo.NatsOp;

import java.util.Random;
import java.util.stream.IntStream;

/**
 * The NATS-Bench topology search space: all 5^6 = 15,625 cells. A cell is addressed by its arch
 * string (the interchange format) or by its index (see {@link NatsCell}: six base-5 digits, the
 * first edge most significant, ops in NATS-Bench order), and the two round-trip.
 */
public final class NatsSpace {
    public static final int SIZE = NatsCell.SPACE_SIZE;

    private NatsSpace() {
    }

    public static IntStream indices() {
        return IntStream.range(0, SIZE);
    }

    /** {@code k} distinct indices drawn uniformly with a seed (a partial Fisher-Yates shuffle). */
    public static int[] sample(int k, long seed) {
        if (k < 1 || k > SIZE) {
            throw new RedTestException("sample size must be between 1 and " + SIZE + ", got " + k);
        }
        int[] all = indices().toArray();
        Random r = new Random(seed);
        for (int i = 0; i < k; i++) {
            int j = i + r.nextInt(SIZE - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return java.util.Arrays.copyOf(all, k);
    }

    /**
     * A cell with no path of non-{@code none} edges from its input (node 0) to its output (node 3):
     * its output does not depend on its input, so the network cannot learn; such candidates are
     * recorded as degenerate instead of trained.
     */
    public static boolean isDegenerate(NatsCell cell) {
        boolean[] reached = new boolean[4];
        reached[0] = true;
        for (int j = 1; j <= 3; j++) {
            for (int i = 0; i < j; i++) {
                if (reached[i] && cell.op(i, j) != NatsOp.NONE) {
                    reached[j] = true;
                }
            }
        }
        return !reached[3];
    }
}
