package org.redtest.engine;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.redtest.zoo.Shape;

import org.apache.commons.math3.stat.descriptive.rank.Percentile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Batch-1 forward latency on the process's engine: the median wall time after warm-up, in seconds. */
public final class LatencyMeter {
    private LatencyMeter() {
    }

    public static double medianSeconds(ComputationGraph graph, Shape input, int warmup, int runs) {
        try (InferenceSession inference = Engines.current().inference(graph)) {
            return median(inference, input, warmup, runs);
        }
    }

    private static double median(InferenceSession inference, Shape input, int warmup, int runs) {
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, input.channels(), input.height(), input.width());
        for (int i = 0; i < warmup; i++) {
            inference.output(x);
        }
        double[] times = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            inference.output(x);
            times[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(times);
        return runs % 2 == 1 ? times[runs / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2;
    }

    /**
     * A batch-1 latency: the median over rounds, half the interquartile range of the rounds' medians, and those
     * medians in round order (empty when not timed in rounds): paired with another graph's, round by round, they
     * show whether a difference holds in every round or only on average.
     */
    public record Latency(double medianSeconds, double spreadSeconds, double[] roundSeconds) {
        public static final Latency UNMEASURED = new Latency(Double.NaN, Double.NaN, new double[0]);

        public Latency {
            roundSeconds = roundSeconds.clone();
        }

        @Override
        public double[] roundSeconds() {
            return roundSeconds.clone();
        }
    }

    /**
     * Latencies of several graphs timed in alternating rounds (each round times every graph once), so that
     * machine noise (other load, frequency changes) affects all alike and every graph is compared with the
     * same timing of the first: the figures behind latency reductions, with their spread.
     */
    public static List<Latency> inRounds(List<ComputationGraph> graphs, Shape input, int rounds, int runsPerRound) {
        double[][] medians = new double[graphs.size()][rounds];
        ExecutionEngine engine = Engines.current();
        List<InferenceSession> inference = graphs.stream().map(engine::inference).toList();
        try {
            inference.forEach(g -> median(g, input, 10, 1));
            for (int r = 0; r < rounds; r++) {
                for (int g = 0; g < graphs.size(); g++) {
                    medians[g][r] = median(inference.get(g), input, 2, runsPerRound);
                }
            }
        } finally {
            inference.forEach(InferenceSession::close);
        }
        List<Latency> latencies = new ArrayList<>();
        for (double[] m : medians) {
            Percentile p = new Percentile();
            p.setData(m);
            latencies.add(new Latency(p.evaluate(50), (p.evaluate(75) - p.evaluate(25)) / 2, m));
        }
        return latencies;
    }
}
