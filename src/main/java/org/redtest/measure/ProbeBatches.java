package org.redtest.measure;

import org.redtest.RedTestException;
import org.redtest.config.Sampling;
import org.redtest.data.ImageDataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The images a measurement uses: the first {@code batches} batches of the split, or a seeded random
 * sample of that many. With fewer images than asked, as many full batches as fit are used (and a
 * smaller split gives one batch of everything), with a warning; fewer than 4 images is an error.
 */
public final class ProbeBatches {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeBatches.class);

    private ProbeBatches() {
    }

    public static List<ImageDataset> select(ImageDataset data, int batches, int batchSize, Sampling sampling, long seed) {
        if (data.size() < 4) {
            throw new RedTestException("too few samples: " + data.name() + " has " + data.size()
                    + " images, unbiased CKA needs at least 4");
        }
        int size = Math.min(batchSize, data.size());
        int count = Math.min(batches, data.size() / size);
        if (count < batches || size < batchSize) {
            LOG.warn("{} has {} images: measuring {} batch(es) of {} instead of {} of {}", data.name(), data.size(),
                    count, size, batches, batchSize);
        }
        int[] order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (sampling == Sampling.RANDOM) {
            Random r = new Random(seed);
            for (int i = order.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        List<ImageDataset> out = new ArrayList<>(count);
        for (int b = 0; b < count; b++) {
            int[] idx = new int[size];
            System.arraycopy(order, b * size, idx, 0, size);
            out.add(data.select(idx));
        }
        return out;
    }
}
