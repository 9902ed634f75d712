package org.redtest.bench;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.redtest.config.Sampling;
import org.redtest.data.DataLoader;
import org.redtest.data.DataSpec;
import org.redtest.data.ImageDataset;
import org.redtest.data.LoadedData;
import org.redtest.measure.ProbeBatches;
import org.redtest.measure.RedundancyMeasurement;
import org.redtest.similarity.MsrsSummary;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.GraphSettings;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak resident memory of the whole process (VmHWM: Java heap, ND4J off-heap buffers, native code)
 * while measuring MSRS of a deep model at batch 256 on real Fashion-MNIST test images (untrained
 * weights: training ResNet-1202 is beyond a CPU; the memory profile does not depend on the weights).
 */
public final class MsrsMemoryBenchmark {
    private MsrsMemoryBenchmark() {
    }

    /** What one run measured: the MSRS (to show the work was done) and the process's peak resident memory. */
    public record Result(String model, int units, long params, double msrs, double seconds, double peakGib,
                         double heapLimitGib) {
    }

    public static Result run(String model, int batches, int batchSize, PrintWriter out) {
        LoadedData data = DataLoader.load(new DataSpec(DataSpec.FASHION_MNIST, null, 1, null, null, null, false));
        ImageDataset test = data.test();
        NetworkBlueprint bp = ModelSpec.parse(model).blueprint(new Shape(test.channels(), test.height(), test.width()),
                test.numClasses());
        out.printf("%s: %d units, %,d params; before: %s%n", bp.spec(), bp.units().size(), bp.params(), memory());
        out.flush();
        ComputationGraph graph = Dl4jGraphFactory.create(bp, GraphSettings.inference(1));
        tameResidualBranches(graph);
        long t0 = System.nanoTime();
        MsrsSummary s = RedundancyMeasurement.measure(graph, bp, ProbeBatches.select(test, batches, batchSize, Sampling.FIRST, 0),
                data.normalization(), 100, bp.family().defaultGamma());
        double seconds = (System.nanoTime() - t0) / 1e9;
        double heapLimit = Runtime.getRuntime().maxMemory() / Math.pow(1024, 3);
        out.printf("MSRS %.2f over %d batch(es) of %d in %.1f s%n", s.mean(), s.batches(), batchSize, seconds);
        out.printf("peak process memory %s (target <= 4 GiB); JVM heap limit %.1f GiB%n", memory(), heapLimit);
        out.flush();
        return new Result(bp.spec(), bp.units().size(), bp.params(), s.mean(), seconds, statusKilobytes("VmHWM:") / 1048576.0,
                heapLimit);
    }

    /**
     * An untrained 600-block ResNet's activations overflow float32 at inference (fresh BN statistics
     * normalise nothing, so every block adds its branch's full variance). Scaling each block's last
     * BN by 0.1 keeps them finite; values do not change what is measured here, which is memory.
     */
    private static void tameResidualBranches(ComputationGraph graph) {
        for (var layer : graph.getLayers()) {
            if (layer.conf().getLayer().getLayerName().endsWith(".bn2")) {
                layer.getParam("gamma").assign(0.1);
            }
        }
    }

    /** VmHWM (peak resident set) and VmRSS of this process, from /proc. */
    public static String memory() {
        long hwm = statusKilobytes("VmHWM:");
        long rss = statusKilobytes("VmRSS:");
        return hwm < 0 ? "unknown (no /proc/self/status)"
                : String.format("%.2f GiB peak (VmHWM), %.2f GiB now", hwm / 1048576.0, rss / 1048576.0);
    }

    /** A kB figure of /proc/self/status, -1 where there is none. */
    private static long statusKilobytes(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return kilobytes(line);
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static long kilobytes(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
