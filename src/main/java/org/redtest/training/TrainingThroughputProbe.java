package org.redtest.training;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.redtest.engine.Engines;
import org.redtest.engine.TrainingSession;

import java.util.function.Supplier;

/**
 * Training images per second of a model, from a few SGD steps of a fresh copy of it on one random
 * batch of the run's shape: one untimed step (helpers, workspaces and JIT warm up), then timed steps
 * for about two seconds. The run's own model is not touched. The batch is at most 32 images, so that
 * a slow model still answers in seconds (one step of ResNet-20 at batch 256 takes several on 2
 * cores); per image, CPU training is about as fast at 32 as at bigger batches. Data loading and
 * augmentation are left out.
 */
public final class TrainingThroughputProbe {
    static final int WARM_UP_STEPS = 1;
    static final int MAX_TIMED_STEPS = 5;
    static final long TARGET_NANOS = 2_000_000_000L;
    static final int MAX_BATCH = 32;

    private TrainingThroughputProbe() {
    }

    /** The probe's batch for a run of {@code runBatchSize} over {@code trainImages} images. */
    public static int batchSize(int runBatchSize, int trainImages) {
        return Math.max(1, Math.min(MAX_BATCH, Math.min(runBatchSize, trainImages)));
    }

    /** The most images a probe trains on: a run smaller than this is not worth estimating. */
    public static long maxImages(int batchSize) {
        return (long) (WARM_UP_STEPS + MAX_TIMED_STEPS) * batchSize;
    }

    public static double imagesPerSecond(Supplier<ComputationGraph> freshModel, int batchSize, int channels,
                                         int height, int width, int classes) {
        ComputationGraph graph = freshModel.get();
        DataSet batch = randomBatch(batchSize, channels, height, width, classes);
        try (TrainingSession session = Engines.current().training(graph)) {
            return imagesPerSecond(session, batch, batchSize);
        }
    }

    private static double imagesPerSecond(TrainingSession session, DataSet batch, int batchSize) {
        for (int i = 0; i < WARM_UP_STEPS; i++) {
            session.fit(batch);
        }
        long start = System.nanoTime();
        int steps = 0;
        do {
            session.fit(batch);
            steps++;
        } while (steps < MAX_TIMED_STEPS && System.nanoTime() - start < TARGET_NANOS);
        return steps * (double) batchSize / ((System.nanoTime() - start) / 1e9);
    }

    private static DataSet randomBatch(int size, int channels, int height, int width, int classes) {
        INDArray x = Nd4j.rand(DataType.FLOAT, size, channels, height, width);
        INDArray y = Nd4j.zeros(DataType.FLOAT, size, classes);
        for (int i = 0; i < size; i++) {
            y.putScalar(i, i % classes, 1.0);
        }
        return new DataSet(x, y);
    }
}
