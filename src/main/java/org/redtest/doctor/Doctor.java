package org.redtest.doctor;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.redtest.engine.cpu.CpuAcceleration;
import org.redtest.engine.Device;
import org.redtest.engine.DeviceUnavailableException;
import org.redtest.engine.Engines;
import org.redtest.engine.ExecutionEngine;
import org.redtest.engine.cuda.CudaEngine;
import org.redtest.engine.TrainingSession;
import org.redtest.engine.cpu.FastCpuPath;
import org.redtest.provenance.SoftwareVersions;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.GraphSettings;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What this machine can run, in one call: versions, the CPU engine (oneDNN helpers, the fast path), the GPU
 * engine (device, driver and library versions, or why there is none), and one training step of a tiny ResNet
 * and NATS cell on each available engine compared with DL4J's plain layer code. Each finding is a
 * {@link Check} with a verdict, so a person (or a script) sees at once what works.
 */
public final class Doctor {
    public enum Verdict { OK, WARN, FAIL, INFO }

    public record Check(String name, Verdict verdict, String detail) {
    }

    /**
     * {@code deviceUnavailable}: the device this process was asked to use ({@code --device}, {@code -Dredtest.device})
     * cannot run here (a GPU asked for on a machine without one).
     */
    public record Report(Map<String, String> versions, List<Map<String, Object>> gpus, List<Check> checks,
                         boolean deviceUnavailable) {
        public boolean healthy() {
            return !deviceUnavailable && checks.stream().noneMatch(c -> c.verdict() == Verdict.FAIL);
        }
    }

    /** Tiny graphs of each family the doctor trains one step on. */
    static final List<String> SMOKE_MODELS = List.of("resnet:1-1-1",
            "nats[C=4,N=1]:|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|avg_pool_3x3~0|nor_conv_3x3~1|skip_connect~2|");
    private static final double TOLERANCE = 1e-3;

    private Doctor() {
    }

    public static Report examine() {
        Map<String, String> versions = SoftwareVersions.collect();
        List<Check> checks = new ArrayList<>();
        CpuAcceleration.Status status = CpuAcceleration.status();
        checks.add(new Check("backend", Verdict.OK, "ND4J " + versions.get("nd4j_backend") + " backend (the model of "
                + "record), " + status.threads() + " threads"));
        checks.add(new Check("cpu helpers", status.oneDnnHelpersActive() ? Verdict.OK : Verdict.WARN, status.describe()));
        checks.add(fastPathCheck());
        for (String spec : SMOKE_MODELS) {
            checks.add(smokeStep(Engines.of(Device.CPU), spec));
        }
        boolean gpuWanted = Engines.chosen() == Device.CUDA;
        List<Map<String, Object>> gpus = new ArrayList<>();
        boolean deviceUnavailable = false;
        try {
            CudaEngine gpu = (CudaEngine) Engines.of(Device.CUDA);
            gpus.add(gpu.gpuFacts());
            checks.add(new Check("gpu", Verdict.OK, gpu.describe()));
            CudaEngine exact = new CudaEngine(false); // TF32 would blur a comparison at 1e-3
            for (String spec : SMOKE_MODELS) {
                checks.add(smokeStep(exact, spec));
            }
        } catch (DeviceUnavailableException e) {
            deviceUnavailable = gpuWanted;
            checks.add(new Check("gpu", gpuWanted ? Verdict.FAIL : Verdict.INFO, e.getMessage()
                    + (gpuWanted ? "" : "; networks run on the CPU")
                    + (nvidiaSmiPresent() ? " (nvidia-smi is present on this machine)" : "")));
        } catch (RuntimeException | LinkageError e) {
            checks.add(new Check("gpu", Verdict.FAIL, "the GPU engine failed to open: " + e));
        }
        return new Report(versions, gpus, checks, deviceUnavailable);
    }

    /** Which parts of the fast CPU path a ResNet gets here. */
    static Check fastPathCheck() {
        if (!FastCpuPath.enabled()) {
            return new Check("fast cpu path", Verdict.WARN, "switched off (-D" + FastCpuPath.PROPERTY + "=false)");
        }
        NetworkBlueprint bp = ModelSpec.parse(SMOKE_MODELS.get(0)).blueprint(new Shape(3, 8, 8), 4);
        ComputationGraph g = graph(bp, false);
        Engines.of(Device.CPU).training(g).close(); // installs the fast path
        long conv = FastCpuPath.directConvolutionCount(g);
        long bn = FastCpuPath.installedCount(g);
        long relu = FastCpuPath.leanReluCount(g);
        String detail = String.format("in a small ResNet: %d direct oneDNN convolution(s), %d fast batch norm(s), "
                + "%d one-pass ReLU(s)", conv, bn, relu);
        return new Check("fast cpu path", conv > 0 && bn > 0 && relu > 0 ? Verdict.OK : Verdict.WARN, detail);
    }

    /** One training step of a tiny graph on {@code engine} and on DL4J's plain layer code. */
    static Check smokeStep(ExecutionEngine engine, String spec) {
        String name = "step " + spec.split("[:\\[]")[0] + (engine.device() == Device.CPU ? "" : " " + engine.device());
        try {
            NetworkBlueprint bp = ModelSpec.parse(spec).blueprint(new Shape(3, 8, 8), 4);
            Nd4j.getRandom().setSeed(3);
            INDArray x = Nd4j.rand(DataType.FLOAT, 8, 3, 8, 8).subi(0.5);
            INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 4);
            for (int i = 0; i < 8; i++) {
                y.putScalar(i, i % 4, 1.0);
            }
            double[] accelerated = lossAndStepNorm(engine, graph(bp, false), x, y);
            double[] plain = lossAndStepNorm(Engines.of(Device.DL4J), graph(bp, true), x, y);
            double diff = Math.max(Math.abs(accelerated[0] - plain[0]) / Math.max(1, Math.abs(plain[0])),
                    Math.abs(accelerated[1] - plain[1]) / Math.max(1, Math.abs(plain[1])));
            String detail = String.format("loss %.6f, step norm %.6f; DL4J's plain layers: %.6f, %.6f "
                    + "(relative difference %.1e)", accelerated[0], accelerated[1], plain[0], plain[1], diff);
            if (!Double.isFinite(accelerated[0]) || !Double.isFinite(accelerated[1])) {
                return new Check(name, Verdict.FAIL, "non-finite result: " + detail);
            }
            return new Check(name, diff <= TOLERANCE ? Verdict.OK : Verdict.FAIL, detail);
        } catch (RuntimeException | LinkageError e) {
            return new Check(name, Verdict.FAIL, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static ComputationGraph graph(NetworkBlueprint bp, boolean plain) {
        GraphSettings settings = new GraphSettings(5, new Nesterovs(0.05, 0.9), 5e-4);
        if (!plain) {
            return Dl4jGraphFactory.create(bp, settings);
        }
        return FastCpuPath.buildOn(FastCpuPath.LayerPath.STOCK, () -> Dl4jGraphFactory.create(bp, settings));
    }

    /** The loss of one training step on {@code engine} and the norm of the parameter change it made. */
    private static double[] lossAndStepNorm(ExecutionEngine engine, ComputationGraph g, INDArray x, INDArray y) {
        INDArray before = g.params().dup();
        try (TrainingSession session = engine.training(g)) {
            double loss = session.fit(new DataSet(x, y));
            session.synchronize();
            return new double[]{loss, g.params().sub(before).norm2Number().doubleValue()};
        }
    }

    private static boolean nvidiaSmiPresent() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nvidia-smi"))) {
                return true;
            }
        }
        return false;
    }
}
