package org.redtest.zoo;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/** Latency: median wall time of a batch-1 forward pass after warm-up, in seconds. */
public final class LatencyMeter {
    private LatencyMeter() {
    }

    public static double medianSeconds(ComputationGraph graph, Shape input, int warmup, int runs) {
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, input.channels(), input.height(), input.width());
        for (int i = 0; i < warmup; i++) {
            graph.outputSingle(false, x);
        }
        double[] times = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            graph.outputSingle(false, x);
            times[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(times);
        return runs % 2 == 1 ? times[runs / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2;
    }

    /**
     * Median latencies of two graphs measured in alternating rounds, so that machine noise (other
     * load, frequency changes) affects both alike: the figures behind a latency reduction.
     */
    public static double[] sideBySide(ComputationGraph a, ComputationGraph b, Shape input, int rounds, int runsPerRound) {
        double[] ta = new double[rounds];
        double[] tb = new double[rounds];
        medianSeconds(a, input, 10, 1);
        medianSeconds(b, input, 10, 1);
        for (int r = 0; r < rounds; r++) {
            ta[r] = medianSeconds(a, input, 2, runsPerRound);
            tb[r] = medianSeconds(b, input, 2, runsPerRound);
        }
        Arrays.sort(ta);
        Arrays.sort(tb);
        return new double[]{ta[rounds / 2], tb[rounds / 2]};
    }
}
