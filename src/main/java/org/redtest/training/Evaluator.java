package org.redtest.training;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.redtest.data.ImageBatchIterator;
import org.redtest.engine.Engines;
import org.redtest.engine.InferenceSession;

/**
 * Top-1 / top-5 accuracy (ties and non-finite scores judged as {@link TopKCount} says) and loss of a graph over a (non-augmented) iterator, in inference mode, on the
 * process's engine.
 */
public final class Evaluator {
    private Evaluator() {
    }

    public static EvaluationResult evaluate(ComputationGraph graph, ImageBatchIterator data) {
        try (InferenceSession inference = Engines.current().inference(graph)) {
            return evaluate(inference, data);
        }
    }

    private static EvaluationResult evaluate(InferenceSession inference, ImageBatchIterator data) {
        long start = System.nanoTime();
        data.reset();
        int samples = 0;
        long top1 = 0;
        long top5 = 0;
        double lossSum = 0;
        while (data.hasNext()) {
            DataSet batch = data.next();
            INDArray probabilities = inference.output(batch.getFeatures());
            float[][] p = probabilities.castTo(DataType.FLOAT).toFloatMatrix();
            int[] labels = batch.getLabels().argMax(1).toIntVector();
            for (int i = 0; i < p.length; i++) {
                float target = p[i][labels[i]];
                int rank = TopKCount.rank(p[i], labels[i]);
                top1 += rank < 1 ? 1 : 0;
                top5 += rank < 5 ? 1 : 0;
                lossSum += -Math.log(Math.max(target, 1e-12));
            }
            samples += p.length;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new EvaluationResult(samples, 100.0 * top1 / samples, 100.0 * top5 / samples, lossSum / samples, seconds);
    }
}
