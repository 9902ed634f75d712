package org.redtest.bench;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.redtest.engine.ExecutionEngine;
import org.redtest.engine.InferenceSession;
import org.redtest.engine.TrainingSession;

/**
 * Training and inference images per second of a graph on one fixed random batch: one untimed step
 * (helpers, workspaces and JIT warm up), then {@code batches} timed ones. The PyTorch peer does the
 * same, so the two rates are comparable. Both run on the engine given, as RedTest's training and
 * inference do (on the CPU: inference on the trained graph's folded copy).
 */
public final class ThroughputMeter {
    public record Rates(double trainImgPerS, double inferImgPerS) {
    }

    private ThroughputMeter() {
    }

    /** A batch of {@code size} random 3x32x32 images with labels cycling through 10 classes. */
    public static DataSet cifarBatch(int size) {
        return randomBatch(size, 3);
    }

    /** Random 32x32 images with {@code channels} channels (1: Fashion-MNIST as we pad it) and one-hot labels over 10 classes. */
    public static DataSet randomBatch(int size, int channels) {
        INDArray x = Nd4j.rand(DataType.FLOAT, size, channels, 32, 32);
        INDArray y = Nd4j.zeros(DataType.FLOAT, size, 10);
        for (int i = 0; i < size; i++) {
            y.putScalar(i, i % 10, 1.0);
        }
        return new DataSet(x, y);
    }

    public static Rates measure(ExecutionEngine engine, ComputationGraph g, DataSet batch, int batches) {
        int size = batch.numExamples();
        double train;
        try (TrainingSession training = engine.training(g)) {
            training.fit(batch);
            long t0 = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                training.fit(batch);
            }
            train = batches * (double) size / ((System.nanoTime() - t0) / 1e9);
        }
        try (InferenceSession inference = engine.inference(g)) {
            inference.output(batch.getFeatures());
            long t0 = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                inference.output(batch.getFeatures());
            }
            double infer = batches * (double) size / ((System.nanoTime() - t0) / 1e9);
            return new Rates(train, infer);
        }
    }
}
