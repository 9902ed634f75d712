package org.redtest.bench;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.redtest.config.TrainingConfig;
import org.redtest.engine.Device;
import org.redtest.engine.Engines;
import org.redtest.engine.cpu.FastCpuPath;
import org.redtest.engine.cuda.CudaEngine;
import org.redtest.engine.plan.JavaKernels;
import org.redtest.engine.plan.KernelCases;
import org.redtest.engine.plan.StepCheck;
import org.redtest.training.Trainer;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The GPU engine's checks and rates, for {@code bench gpu-ops}, {@code gpu-step} and {@code gpu-peer}: every
 * kernel against the plain-Java reference, whole training steps against DL4J on the CPU (both in exact FP32),
 * and training and inference images per second (TF32 as configured) to set beside PyTorch on the same GPU.
 */
public final class GpuChecks {
    private GpuChecks() {
    }

    /** Every kernel operation on the GPU (exact FP32) against the Java reference; returns the number over tolerance. */
    public static int ops(PrintWriter out) {
        CudaEngine gpu = new CudaEngine(false);
        out.println("GPU kernels (exact FP32) against the plain-Java reference, " + gpu.describe());
        out.printf("%-52s %-20s %12s %10s  %s%n", "operation", "output", "largest diff", "scale", "verdict");
        List<KernelCases.Result> results = KernelCases.compare(new JavaKernels(), gpu.kernels());
        int failed = 0;
        for (KernelCases.Result r : results) {
            boolean ok = r.within(StepCheck.TOLERANCE);
            failed += ok ? 0 : 1;
            out.printf("%-52s %-20s %12.3e %10.3g  %s%n", r.operation(), r.output(), r.largest(), r.scale(), ok ? "OK" : "FAIL");
        }
        out.printf("%d of %d outputs within %.0e of the reference (relative to their scale)%n", results.size() - failed,
                results.size(), StepCheck.TOLERANCE);
        out.flush();
        return failed;
    }

    /**
     * Two training steps of {@code spec} on the GPU (exact FP32) against DL4J's own layers on the CPU, from the same
     * parameters, on one random batch; prints the worst comparisons and returns how many exceed their tolerance.
     */
    public static int step(String spec, int batchSize, int size, PrintWriter out) {
        CudaEngine gpu = new CudaEngine(false);
        NetworkBlueprint bp = ModelSpec.parse(spec).blueprint(new Shape(3, size, size), 10);
        ComputationGraph reference = referenceGraph(bp);
        ComputationGraph planned = referenceGraph(bp);
        Nd4j.getRandom().setSeed(5);
        INDArray features = Nd4j.rand(DataType.FLOAT, batchSize, 3, size, size).muli(2).subi(0.5);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, batchSize, 10);
        for (int i = 0; i < batchSize; i++) {
            labels.putScalar(i, (i * 3) % 10, 1.0);
        }
        long start = System.nanoTime();
        List<StepCheck.Difference> differences = StepCheck.run(reference, planned, new DataSet(features, labels), 2,
                gpu::kernels);
        out.printf("%s, batch %d of 3x%dx%d: two training steps on the GPU (exact FP32) against DL4J on the CPU, %.1f s%n",
                bp.spec(), batchSize, size, size, (System.nanoTime() - start) / 1e9);
        List<StepCheck.Difference> sorted = new ArrayList<>(differences);
        sorted.sort(Comparator.comparingDouble((StepCheck.Difference d) -> d.largest() / (d.scale() * d.tolerance())).reversed());
        long failed = differences.stream().filter(d -> !d.within()).count();
        out.printf("%-60s %12s %10s %9s  %s%n", "compared (worst first)", "largest diff", "scale", "tolerance", "verdict");
        for (StepCheck.Difference d : sorted.subList(0, Math.min(12, sorted.size()))) {
            out.printf("%-60s %12.3e %10.3g %9.0e  %s%n", d.what(), d.largest(), d.scale(), d.tolerance(),
                    d.within() ? "OK" : "FAIL");
        }
        out.printf("%d of %d comparisons within tolerance (a ReLU input within ~1e-6 of zero can flip a few gradients)%n",
                differences.size() - failed, differences.size());
        out.flush();
        return (int) failed;
    }

    /** Training and inference images per second of each model at {@code batchSize} on the process's GPU engine. */
    public static Map<String, ThroughputMeter.Rates> rates(List<String> models, int batchSize, int batches, PrintWriter out) {
        var engine = Engines.of(Device.CUDA);
        out.println("our GPU engine: " + engine.describe());
        out.printf("%-12s %14s %14s%n", "model", "train img/s", "infer img/s");
        Map<String, ThroughputMeter.Rates> rates = new LinkedHashMap<>();
        DataSet batch = ThroughputMeter.cifarBatch(batchSize);
        for (String model : models) {
            NetworkBlueprint bp = ModelSpec.parse(model).blueprint(new Shape(3, 32, 32), 10);
            TrainingConfig t = TrainingConfig.defaults();
            ComputationGraph graph = Dl4jGraphFactory.create(bp, Trainer.graphSettings(1, t));
            ThroughputMeter.Rates r = ThroughputMeter.measure(engine, graph, batch, batches);
            rates.put(model, r);
            out.printf("%-12s %14.1f %14.1f%n", model, r.trainImgPerS(), r.inferImgPerS());
            out.flush();
        }
        return rates;
    }

    /** DL4J's own layer code, without dropout (its masks come from ND4J's generator, the GPU's from its own). */
    private static ComputationGraph referenceGraph(NetworkBlueprint bp) {
        TrainingConfig t = TrainingConfig.defaults();
        ComputationGraph g = FastCpuPath.buildOn(FastCpuPath.LayerPath.STOCK,
                () -> Dl4jGraphFactory.create(bp, Trainer.graphSettings(5, t)));
        for (Layer layer : g.getLayers()) {
            if (layer.conf().getLayer() instanceof DropoutLayer d) {
                d.setIDropout(null);
            }
        }
        return g;
    }
}
