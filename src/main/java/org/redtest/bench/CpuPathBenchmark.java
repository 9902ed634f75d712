package org.redtest.bench;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.redtest.config.TrainingConfig;
import org.redtest.engine.Device;
import org.redtest.engine.Engines;
import org.redtest.engine.InferenceSession;
import org.redtest.engine.cpu.FastCpuPath;
import org.redtest.training.Trainer;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;

import java.io.PrintWriter;

/**
 * Stock DL4J (layer helpers off), DL4J's oneDNN helpers alone, and our path ({@link FastCpuPath}),
 * side by side in one process: training and
 * inference img/s, effective GFLOP/s (2 flops per multiply-accumulate, training = 3x forward) and
 * their fraction of the matrix-multiply rate measured in the same run, plus the largest output
 * difference between stock and ours on the same weights.
 */
public final class CpuPathBenchmark {
    public record Figures(double trainImgPerS, double inferImgPerS) {
    }

    /**
     * Each path's figures ({@code stock} and {@code oneDnnHelpers} null when skipped), the peak and the
     * forward GFLOP per image.
     */
    public record Result(double peakGflops, double forwardGflop, Figures stock, Figures oneDnnHelpers, Figures ours,
                         double maxDifference) {
        public double trainFractionOfPeak() {
            return ours.trainImgPerS() * 3 * forwardGflop / peakGflops;
        }

        public double inferFractionOfPeak() {
            return ours.inferImgPerS() * forwardGflop / peakGflops;
        }
    }

    private final NetworkBlueprint blueprint;
    private final int batchSize;
    private final int batches;
    private final boolean oursOnly;
    private final int channels;

    /**
     * {@code oursOnly} skips the (slow) stock path, e.g. to profile ours; {@code channels} of the 32x32 input
     * (3 as CIFAR, 1 as Fashion-MNIST).
     */
    public CpuPathBenchmark(String model, int batchSize, int batches, boolean oursOnly, int channels) {
        this.blueprint = ModelSpec.parse(model).blueprint(new Shape(channels, 32, 32), 10);
        this.channels = channels;
        this.batchSize = batchSize;
        this.batches = batches;
        this.oursOnly = oursOnly;
    }

    public Result run(PrintWriter out) {
        double peak = MatmulPeak.gflops(2048, 5);
        DataSet batch = ThroughputMeter.randomBatch(batchSize, channels);
        INDArray x = batch.getFeatures();

        ComputationGraph fast = graph(FastCpuPath.LayerPath.FAST);
        double forwardGflop = 2.0 * blueprint.flops() / 1e9;
        out.printf("model %s, input %dx32x32, batch %d, %d timed batches; matrix-multiply peak %.1f GFLOP/s (ND4J sgemm 2048^3)%n",
                blueprint.spec(), channels, batchSize, batches, peak);
        out.printf("%-22s %12s %12s %10s %12s %12s %10s%n", "path", "train img/s", "GFLOP/s", "of peak",
                "infer img/s", "GFLOP/s", "of peak");
        if (oursOnly) {
            Figures f = measure(Device.CPU, fast, batch);
            row(out, OURS, f, forwardGflop, peak);
            out.flush();
            return new Result(peak, forwardGflop, null, null, f, Double.NaN);
        }
        ComputationGraph stock = graph(FastCpuPath.LayerPath.STOCK);
        ComputationGraph helpersOnly = graph(FastCpuPath.LayerPath.DL4J_HELPERS);
        INDArray stockOut = output(Device.DL4J, stock, x);
        INDArray fastOut = output(Device.CPU, fast, x);
        double maxDiff = stockOut.sub(fastOut).amaxNumber().doubleValue();
        Figures s = measure(Device.DL4J, stock, batch);
        Figures h = measure(Device.DL4J, helpersOnly, batch);
        Figures f = measure(Device.CPU, fast, batch);
        row(out, "stock DL4J (no helpers)", s, forwardGflop, peak);
        row(out, "DL4J oneDNN helpers", h, forwardGflop, peak);
        row(out, OURS, f, forwardGflop, peak);
        out.printf("speed-up over stock: training %.1fx, inference %.1fx; fast path over DL4J's helpers: "
                        + "training %.2fx; max |output difference| %.2e%n", f.trainImgPerS() / s.trainImgPerS(),
                f.inferImgPerS() / s.inferImgPerS(), f.trainImgPerS() / h.trainImgPerS(), maxDiff);
        out.flush();
        return new Result(peak, forwardGflop, s, h, f, maxDiff);
    }

    private static final String OURS = "ours (CPU engine)";

    private static void row(PrintWriter out, String name, Figures f, double forwardGflop, double peak) {
        double train = f.trainImgPerS() * 3 * forwardGflop;
        double infer = f.inferImgPerS() * forwardGflop;
        out.printf("%-22s %12.1f %12.1f %9.1f%% %12.1f %12.1f %9.1f%%%n", name, f.trainImgPerS(), train,
                100 * train / peak, f.inferImgPerS(), infer, 100 * infer / peak);
    }

    private ComputationGraph graph(FastCpuPath.LayerPath path) {
        TrainingConfig t = TrainingConfig.defaults();
        return FastCpuPath.buildOn(path, () ->
                Dl4jGraphFactory.create(blueprint, Trainer.graphSettings(1, t)));
    }

    /** {@code g}'s output for {@code x} on {@code device}'s engine. */
    private static INDArray output(Device device, ComputationGraph g, INDArray x) {
        try (InferenceSession inference = Engines.of(device).inference(g)) {
            return inference.output(x.dup());
        }
    }

    private Figures measure(Device device, ComputationGraph g, DataSet batch) {
        ThroughputMeter.Rates r = ThroughputMeter.measure(Engines.of(device), g, batch, batches);
        return new Figures(r.trainImgPerS(), r.inferImgPerS());
    }
}
