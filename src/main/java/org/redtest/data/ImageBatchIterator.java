package org.redtest.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.redtest.RedTestException;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Mini-batches of an {@link ImageDataset}: features float32 NCHW {@code [b, C, H, W]} (normalised,
 * optionally augmented), labels one-hot float32 {@code [b, numClasses]}; the last batch may be partial.
 *
 * <p><b>Epochs.</b> The iterator is always positioned inside an explicit epoch {@code e} (0 after
 * construction). The shuffle order and every image's augmentation in epoch {@code e} depend only on
 * {@code (seed, e)}, so a resumed run reproduces the batches of an interrupted one exactly.
 * <ul>
 *   <li>{@link #setEpoch(int)} moves to the start of epoch {@code e} (use it when resuming);</li>
 *   <li>{@link #nextEpoch()} moves to the start of epoch {@code epoch() + 1};</li>
 *   <li>{@link #reset()} rewinds to the start of the <em>current</em> epoch, replaying the same batches.
 *       It never advances the epoch, because DL4J calls it whenever it finds the iterator exhausted
 *       (before {@code fit} and evaluation), which is not a reliable epoch boundary.</li>
 * </ul>
 * A training loop therefore calls {@code setEpoch(e)} before each {@code net.fit(iterator)}.
 */
public final class ImageBatchIterator implements DataSetIterator {

    private static final long serialVersionUID = 1L;
    private static final long EPOCH_STRIDE = 1_000_003L;

    private final ImageDataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final Augmentation augmentation;
    private final long seed;
    private final float[][] table;
    private final byte[] scratch;

    private int epoch;
    private int cursor;
    private int[] order;
    private Augmentation.Params[] params;
    private DataSetPreProcessor preProcessor;

    /** {@code augment} selects the paper's {@link Augmentation#CIFAR} (4-pixel crop + flip). */
    public ImageBatchIterator(ImageDataset data, int batchSize, boolean shuffle, boolean augment,
                              ChannelNormalization normalization, long seed) {
        this(data, batchSize, shuffle, augment ? Augmentation.CIFAR : null, normalization, seed);
    }

    /** {@code augmentation} may be null for none. */
    public ImageBatchIterator(ImageDataset data, int batchSize, boolean shuffle, Augmentation augmentation,
                              ChannelNormalization normalization, long seed) {
        if (data == null || normalization == null) {
            throw new IllegalArgumentException("data and normalization are required");
        }
        if (batchSize < 1) {
            throw new RedTestException("batch size must be at least 1, got " + batchSize);
        }
        if (normalization.channels() != data.channels()) {
            throw new RedTestException("normalisation has " + normalization.channels() + " channels but dataset "
                    + data.name() + " has " + data.channels());
        }
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.augmentation = augmentation;
        this.seed = seed;
        this.table = normalization.lookupTable();
        this.scratch = new byte[data.imageBytes()];
        setEpoch(0);
    }

    /** Positions the iterator at the start of epoch {@code e}. */
    public void setEpoch(int e) {
        if (e < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + e);
        }
        epoch = e;
        int n = data.size();
        SplittableRandom rng = new SplittableRandom(seed * EPOCH_STRIDE + e);
        order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (shuffle) {
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        // drawn up front (after the shuffle, from the same stream) so a batch depends only on its position
        params = null;
        if (augmentation != null) {
            params = new Augmentation.Params[n];
            for (int i = 0; i < n; i++) {
                params[i] = augmentation.draw(rng);
            }
        }
        cursor = 0;
    }

    /** Moves to the start of the following epoch. */
    public void nextEpoch() {
        setEpoch(epoch + 1);
    }

    public int epoch() {
        return epoch;
    }

    public ImageDataset dataset() {
        return data;
    }

    /** Batches per epoch, counting the last partial one. */
    public int numBatches() {
        return (data.size() + batchSize - 1) / batchSize;
    }

    @Override
    public boolean hasNext() {
        return cursor < data.size();
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch " + epoch + " of " + data.name() + " is exhausted");
        }
        if (num < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + num);
        }
        int b = Math.min(num, data.size() - cursor);
        int bytes = data.imageBytes();
        int plane = data.height() * data.width();
        int k = data.numClasses();
        byte[] pixels = data.pixels();
        float[] features = new float[b * bytes];
        float[] labels = new float[b * k];
        for (int i = 0; i < b; i++) {
            int pos = cursor + i;
            int idx = order[pos];
            if (params != null) {
                Augmentation.apply(params[pos], pixels, idx * bytes, scratch, 0,
                        data.channels(), data.height(), data.width());
                ChannelNormalization.apply(table, scratch, 0, plane, features, i * bytes);
            } else {
                ChannelNormalization.apply(table, pixels, idx * bytes, plane, features, i * bytes);
            }
            labels[i * k + data.labels()[idx]] = 1f;
        }
        cursor += b;
        INDArray f = Nd4j.create(features, new long[]{b, data.channels(), data.height(), data.width()}, 'c');
        INDArray l = Nd4j.create(labels, new long[]{b, k}, 'c');
        DataSet ds = new DataSet(f, l);
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    @Override
    public int inputColumns() {
        return data.imageBytes();
    }

    @Override
    public int totalOutcomes() {
        return data.numClasses();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return true;
    }

    /** Rewinds to the start of the current epoch (same order, same augmentation); see the class doc. */
    @Override
    public void reset() {
        cursor = 0;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }
}
