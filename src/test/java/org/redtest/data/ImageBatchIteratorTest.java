package org.redtest.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.AsyncDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageBatchIteratorTest {

    private static final ImageDataset DATA = TestData.synthetic(23, 3, 6, 4, 11);
    private static final ChannelNormalization NORM = ChannelNormalization.fromData(DATA);

    /** All batches of the iterator's current epoch as (features, labels) float arrays. */
    private static List<float[][]> epoch(ImageBatchIterator it) {
        List<float[][]> out = new ArrayList<>();
        while (it.hasNext()) {
            DataSet ds = it.next();
            out.add(new float[][]{ds.getFeatures().data().asFloat(), ds.getLabels().data().asFloat()});
        }
        return out;
    }

    private static void assertSameBatches(List<float[][]> a, List<float[][]> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i)[0], b.get(i)[0], "features of batch " + i);
            assertArrayEquals(a.get(i)[1], b.get(i)[1], "labels of batch " + i);
        }
    }

    @Test
    void plainIterationShapesLabelsAndValues() {
        ImageBatchIterator it = new ImageBatchIterator(DATA, 10, false, false, NORM, 1);
        assertEquals(3, it.numBatches());
        assertEquals(108, it.inputColumns());
        assertEquals(4, it.totalOutcomes());
        assertEquals(10, it.batch());
        assertTrue(it.resetSupported());
        assertTrue(it.asyncSupported());

        float[][] table = NORM.lookupTable();
        int seen = 0;
        List<Long> batchSizes = new ArrayList<>();
        while (it.hasNext()) {
            DataSet ds = it.next();
            long b = ds.getFeatures().size(0);
            batchSizes.add(b);
            assertArrayEquals(new long[]{b, 3, 6, 6}, ds.getFeatures().shape());
            assertArrayEquals(new long[]{b, 4}, ds.getLabels().shape());
            assertEquals(DataType.FLOAT, ds.getFeatures().dataType());
            float[] f = ds.getFeatures().data().asFloat();
            float[] l = ds.getLabels().data().asFloat();
            for (int i = 0; i < b; i++) {
                int idx = seen + i;
                for (int k = 0; k < 4; k++) {
                    assertEquals(k == DATA.labels()[idx] ? 1f : 0f, l[i * 4 + k]);
                }
                for (int p = 0; p < 108; p++) {
                    int c = p / 36;
                    assertEquals(table[c][DATA.pixels()[idx * 108 + p] & 0xFF], f[i * 108 + p]);
                }
            }
            // NCHW indexing agrees with the flat layout
            assertEquals(f[36 + 6 * 2 + 3], ds.getFeatures().getFloat(0, 1, 2, 3));
            seen += (int) b;
        }
        assertEquals(List.of(10L, 10L, 3L), batchSizes, "last partial batch included");
        assertEquals(23, seen);
    }

    @Test
    void sameSeedAndEpochGiveIdenticalBatches() {
        ImageBatchIterator a = new ImageBatchIterator(DATA, 8, true, true, NORM, 5);
        ImageBatchIterator b = new ImageBatchIterator(DATA, 8, true, true, NORM, 5);
        a.setEpoch(3);
        b.setEpoch(3);
        assertSameBatches(epoch(a), epoch(b));
    }

    @Test
    void epochsDifferAndSetEpochReproducesThem() {
        ImageBatchIterator it = new ImageBatchIterator(DATA, 8, true, true, NORM, 5);
        List<float[][]> e0 = epoch(it);
        it.nextEpoch();
        assertEquals(1, it.epoch());
        List<float[][]> e1 = epoch(it);
        assertFalse(Arrays.equals(e0.get(0)[1], e1.get(0)[1]) && Arrays.equals(e0.get(1)[1], e1.get(1)[1]),
                "different epochs give a different order");

        it.setEpoch(0);
        assertSameBatches(e0, epoch(it));
        // reset() replays the current epoch rather than advancing
        it.reset();
        assertEquals(0, it.epoch());
        assertSameBatches(e0, epoch(it));

        ImageBatchIterator resumed = new ImageBatchIterator(DATA, 8, true, true, NORM, 5);
        resumed.setEpoch(1);
        assertSameBatches(e1, epoch(resumed));

        ImageBatchIterator otherSeed = new ImageBatchIterator(DATA, 8, true, true, NORM, 6);
        assertNotEquals(Arrays.toString(e0.get(0)[0]), Arrays.toString(epoch(otherSeed).get(0)[0]));
    }

    @Test
    void shuffleIsAPermutationAndAugmentationKeepsLabels() {
        ImageBatchIterator it = new ImageBatchIterator(DATA, 23, true, true, NORM, 9);
        DataSet ds = it.next();
        assertFalse(it.hasNext());
        float[] l = ds.getLabels().data().asFloat();
        int[] counts = new int[4];
        for (int i = 0; i < 23; i++) {
            float rowSum = 0;
            for (int k = 0; k < 4; k++) {
                rowSum += l[i * 4 + k];
                if (l[i * 4 + k] == 1f) {
                    counts[k]++;
                }
            }
            assertEquals(1f, rowSum);
        }
        assertArrayEquals(DATA.classCounts(), counts);
        assertThrows(java.util.NoSuchElementException.class, it::next);
    }

    @Test
    void dl4jAsyncWrapperSeesTheSameBatches() {
        ImageBatchIterator direct = new ImageBatchIterator(DATA, 5, true, true, NORM, 2);
        direct.setEpoch(4);
        List<float[][]> expected = epoch(direct);

        // fit()/evaluate() wrap the iterator like this; an exhausted iterator is reset() first
        ImageBatchIterator wrapped = new ImageBatchIterator(DATA, 5, true, true, NORM, 2);
        wrapped.setEpoch(4);
        epoch(wrapped);
        AsyncDataSetIterator async = new AsyncDataSetIterator(wrapped, 2, true);
        List<float[][]> got = new ArrayList<>();
        while (async.hasNext()) {
            DataSet ds = async.next();
            got.add(new float[][]{ds.getFeatures().data().asFloat(), ds.getLabels().data().asFloat()});
        }
        async.shutdown();
        assertSameBatches(expected, got);
    }

    @Test
    void unshuffledUnaugmentedEpochsAreIdentical() {
        ImageBatchIterator it = new ImageBatchIterator(DATA, 7, false, false, NORM, 1);
        List<float[][]> e0 = epoch(it);
        it.nextEpoch();
        assertSameBatches(e0, epoch(it));
    }
}
