package org.redtest.search;

import org.junit.jupiter.api.Test;
import org.redtest.zoo.NatsCell;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NatsSpaceTest {
    @Test
    void everyIndexRoundTripsThroughItsArchString() {
        Set<String> archs = new HashSet<>();
        NatsSpace.indices().forEach(i -> {
            String arch = NatsCell.fromIndex(i).arch();
            assertEquals(i, NatsCell.parse(arch).index());
            archs.add(arch);
        });
        assertEquals(15625, archs.size());
        assertEquals(0, NatsCell.parse("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|").index());
        assertEquals(15624, NatsCell.parse("|avg_pool_3x3~0|+|avg_pool_3x3~0|avg_pool_3x3~1|+|avg_pool_3x3~0|avg_pool_3x3~1|avg_pool_3x3~2|").index());
    }

    @Test
    void samplesAreSeededAndDistinct() {
        int[] a = NatsSpace.sample(80, 1);
        assertArrayEquals(a, NatsSpace.sample(80, 1));
        assertFalse(Arrays.equals(a, NatsSpace.sample(80, 2)));
        assertEquals(80, Arrays.stream(a).distinct().count());
        assertEquals(15625, Arrays.stream(NatsSpace.sample(15625, 3)).distinct().count());
    }

    @Test
    void degenerateCellsHaveNoPathFromInputToOutput() {
        assertTrue(NatsSpace.isDegenerate(NatsCell.parse("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|")));
        assertTrue(NatsSpace.isDegenerate(NatsCell.parse("|none~0|+|none~0|skip_connect~1|+|none~0|nor_conv_3x3~1|skip_connect~2|")));
        assertFalse(NatsSpace.isDegenerate(NatsCell.parse("|none~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|")));
        assertFalse(NatsSpace.isDegenerate(NatsCell.parse("|nor_conv_1x1~0|+|none~0|avg_pool_3x3~1|+|none~0|none~1|nor_conv_3x3~2|")));
        // every edge has 5 ops; a path needs one of 0->3, 0->1->3, 0->2->3, 0->1->2->3 alive
        long degenerate = NatsSpace.indices().filter(i -> NatsSpace.isDegenerate(NatsCell.fromIndex(i))).count();
        assertEquals(bruteForceDegenerate(), degenerate);
    }

    /** Counts cells whose output cannot be reached, by enumerating which edges are not none. */
    private static long bruteForceDegenerate() {
        long count = 0;
        for (int mask = 0; mask < 64; mask++) {
            boolean e01 = (mask & 1) != 0, e02 = (mask & 2) != 0, e12 = (mask & 4) != 0;
            boolean e03 = (mask & 8) != 0, e13 = (mask & 16) != 0, e23 = (mask & 32) != 0;
            boolean n1 = e01;
            boolean n2 = e02 || (n1 && e12);
            boolean n3 = e03 || (n1 && e13) || (n2 && e23);
            if (!n3) {
                count += (long) Math.pow(4, Integer.bitCount(mask));
            }
        }
        return count;
    }
}
