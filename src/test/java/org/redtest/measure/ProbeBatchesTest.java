package org.redtest.measure;

import org.junit.jupiter.api.Test;
import org.redtest.config.Sampling;
import org.redtest.RedTestException;
import org.redtest.data.ImageDataset;
import org.redtest.testing.TinyData;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProbeBatchesTest {
    private static final ImageDataset DATA = TinyData.learnable(100, 1, 4, 5, 1);

    @Test
    void firstSamplingTakesTheFirstImagesInOrder() {
        List<ImageDataset> b = ProbeBatches.select(DATA, 3, 10, Sampling.FIRST, 0);
        assertEquals(3, b.size());
        assertArrayEquals(java.util.Arrays.copyOfRange(DATA.labels(), 10, 20), b.get(1).labels());
    }

    @Test
    void randomSamplingIsSeededAndDisjoint() {
        List<ImageDataset> a = ProbeBatches.select(DATA, 2, 40, Sampling.RANDOM, 7);
        List<ImageDataset> same = ProbeBatches.select(DATA, 2, 40, Sampling.RANDOM, 7);
        List<ImageDataset> other = ProbeBatches.select(DATA, 2, 40, Sampling.RANDOM, 8);
        assertArrayEquals(a.get(0).pixels(), same.get(0).pixels());
        assertFalse(java.util.Arrays.equals(a.get(0).pixels(), other.get(0).pixels()));
        assertFalse(java.util.Arrays.equals(a.get(0).pixels(), a.get(1).pixels()));
    }

    @Test
    void fewerImagesThanAskedUsesWhatFits() {
        assertEquals(2, ProbeBatches.select(DATA, 10, 40, Sampling.FIRST, 0).size());
        List<ImageDataset> one = ProbeBatches.select(DATA.firstN(30), 10, 256, Sampling.FIRST, 0);
        assertEquals(1, one.size());
        assertEquals(30, one.get(0).size());
    }

    @Test
    void tooFewSamplesIsAnError() {
        var e = assertThrows(RedTestException.class, () -> ProbeBatches.select(DATA.firstN(3), 1, 256, Sampling.FIRST, 0));
        assertTrue(e.getMessage().contains("too few samples"), e.getMessage());
    }
}
