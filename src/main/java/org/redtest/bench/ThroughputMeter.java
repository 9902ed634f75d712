package org.redtest.bench;

import org.redtest.engine.cpu.BlockedScope;
import org.redtest.engine.cpu.InferenceGraph;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training and inference images per second of a graph on one fixed random batch: one untimed step
 * (helpers, workspaces and JIT warm up), then {@code batches} timed ones. The PyTorch peer does the
 * same, so the two rates are comparable. Inference runs as RedTest's does, on the trained graph's
 * {@link InferenceGraph}.
 */
public final class ThroughputMeter {
    public record Rates(double trainImgPerS, double inferImgPerS) {
    }

    private ThroughputMeter() {
    }

    /** A batch of {@code size} random 3x32x32 images with labels cycling through 10 classes. */
    public static DataSet cifarBatch(int size) {
        INDArray x = Nd4j.rand(DataType.FLOAT, size, 3, 32, 32);
        INDArray y = Nd4j.zeros(DataType.FLOAT, size, 10);
        for (int i = 0; i < size; i++) {
            y.putScalar(i, i % 10, 1.0);
        }
        return new DataSet(x, y);
    }

    public static Rates measure(ComputationGraph g, DataSet batch, int batches) {
        try (BlockedScope ignored = BlockedScope.open()) {
            return timed(g, batch, batches);
        }
    }

    private static Rates timed(ComputationGraph g, DataSet batch, int batches) {
        int size = batch.numExamples();
        g.fit(batch);
        long t0 = System.nanoTime();
        for (int i = 0; i < batches; i++) {
            g.fit(batch);
        }
        double train = batches * (double) size / ((System.nanoTime() - t0) / 1e9);
        try (InferenceGraph inference = InferenceGraph.of(g)) {
            ComputationGraph forward = inference.graph();
            forward.outputSingle(false, batch.getFeatures());
            t0 = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                forward.outputSingle(false, batch.getFeatures());
            }
            double infer = batches * (double) size / ((System.nanoTime() - t0) / 1e9);
            return new Rates(train, infer);
        }
    }
}
