package org.redtest.doctor;

import org.bytedeco.javacpp.Loader;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.redtest.engine.cpu.CpuAcceleration;
import org.redtest.engine.Device;
import org.redtest.engine.Engines;
import org.redtest.engine.TrainingSession;
import org.redtest.engine.cpu.FastCpuPath;
import org.redtest.runtime.SoftwareVersions;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.GraphSettings;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * What this machine's DL4J can do, in one call: backend and versions, GPUs and whether the loaded
 * CUDA natives carry code for them, which layer helpers run, and a tiny forward/backward of a ResNet
 * and a NATS cell on the accelerated path compared with DL4J's plain layer code on the same backend.
 * Each finding is a {@link Check} with a verdict, so a person (or a script) sees at once what works.
 */
public final class Doctor {
    public enum Verdict { OK, WARN, FAIL, INFO }

    public record Check(String name, Verdict verdict, String detail) {
    }

    public record Report(Map<String, String> versions, List<Map<String, Object>> gpus, List<Check> checks) {
        public boolean healthy() {
            return checks.stream().noneMatch(c -> c.verdict() == Verdict.FAIL);
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
        String backend = versions.get("nd4j_backend");
        List<Map<String, Object>> gpus = gpus();
        if ("CPU".equalsIgnoreCase(backend)) {
            CpuAcceleration.Status status = CpuAcceleration.status();
            checks.add(new Check("backend", Verdict.OK, "ND4J CPU backend, " + status.threads() + " threads"));
            checks.add(new Check("cpu helpers", status.oneDnnHelpersActive() ? Verdict.OK : Verdict.WARN,
                    status.describe()));
            checks.add(fastPathCheck());
            checks.add(new Check("gpu", Verdict.INFO, "no GPU in use: this is the CPU build (build with -Pcuda for "
                    + "ND4J's CUDA backend)" + (nvidiaSmiPresent() ? "; nvidia-smi is present on this machine" : "")));
        } else {
            checks.add(new Check("backend", Verdict.OK, "ND4J " + backend + " backend"));
            checks.add(gpus.isEmpty() ? new Check("gpu", Verdict.FAIL, "the CUDA backend found no device")
                    : new Check("gpu", Verdict.OK, gpus.size() + " device(s): " + gpus));
            checks.addAll(nativeCodeChecks(gpus));
            checks.add(new Check("gpu helpers", Verdict.INFO, "DL4J 1.0.0-M2.1 publishes no cuDNN layer helpers for "
                    + "CUDA 11.6 (no deeplearning4j-cuda-11.6 artifact): layers run on libnd4j's CUDA ops"));
        }
        for (String spec : SMOKE_MODELS) {
            checks.add(smokeStep(spec));
        }
        return new Report(versions, gpus, checks);
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

    /** One training step of a tiny graph on the accelerated path and on DL4J's plain layer code. */
    static Check smokeStep(String spec) {
        String name = "step " + spec.split("[:\\[]")[0];
        try {
            NetworkBlueprint bp = ModelSpec.parse(spec).blueprint(new Shape(3, 8, 8), 4);
            Nd4j.getRandom().setSeed(3);
            INDArray x = Nd4j.rand(DataType.FLOAT, 8, 3, 8, 8).subi(0.5);
            INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 4);
            for (int i = 0; i < 8; i++) {
                y.putScalar(i, i % 4, 1.0);
            }
            double[] accelerated = lossAndStepNorm(Device.CPU, graph(bp, false), x, y);
            double[] plain = lossAndStepNorm(Device.DL4J, graph(bp, true), x, y);
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

    /** The loss of one training step on {@code device}'s engine and the norm of the parameter change it made. */
    private static double[] lossAndStepNorm(Device device, ComputationGraph g, INDArray x, INDArray y) {
        INDArray before = g.params().dup();
        try (TrainingSession session = Engines.of(device).training(g)) {
            double loss = session.fit(new DataSet(x, y));
            session.synchronize();
            return new double[]{loss, g.params().sub(before).norm2Number().doubleValue()};
        }
    }

    /** Devices as ND4J's CUDA backend reports them (empty on the CPU backend). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> gpus() {
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        Object devices = env.get("cuda.devicesInformation");
        List<Map<String, Object>> out = new ArrayList<>();
        if (devices instanceof List<?> list) {
            for (Object d : list) {
                if (d instanceof Map<?, ?> m) {
                    Map<String, Object> gpu = new LinkedHashMap<>();
                    gpu.put("name", m.get("cuda.deviceName"));
                    gpu.put("compute_capability", m.get("cuda.deviceMajor") + "." + m.get("cuda.deviceMinor"));
                    gpu.put("memory_gib", m.get("cuda.totalMemory") instanceof Number n
                            ? Math.round(n.doubleValue() / (1L << 30) * 10) / 10.0 : m.get("cuda.totalMemory"));
                    out.add(gpu);
                }
            }
        }
        return out;
    }

    /** Whether libnd4jcuda has SASS or PTX for each device's architecture. */
    static List<Check> nativeCodeChecks(List<Map<String, Object>> gpus) {
        Optional<Path> library = loadedLibrary("libnd4jcuda.so");
        if (library.isEmpty()) {
            return List.of(new Check("native code", Verdict.WARN, "libnd4jcuda.so not found in JavaCPP's cache; "
                    + "cannot tell which GPUs it supports"));
        }
        CudaFatbin.Code code;
        try {
            code = CudaFatbin.read(library.get());
        } catch (IOException e) {
            return List.of(new Check("native code", Verdict.WARN, "cannot read " + library.get() + ": " + e.getMessage()));
        }
        List<Check> checks = new ArrayList<>();
        for (Map<String, Object> gpu : gpus) {
            String[] cc = String.valueOf(gpu.get("compute_capability")).split("\\.");
            int major = Integer.parseInt(cc[0]);
            int minor = Integer.parseInt(cc[1]);
            boolean runs = code.runsOn(major, minor);
            checks.add(new Check("native code", runs ? Verdict.OK : Verdict.FAIL, gpu.get("name") + " is sm_" + major
                    + minor + "; " + library.get().getFileName() + " has " + code.describe()
                    + (runs ? "" : ". ND4J's kernels cannot run on this GPU (\"no kernel image\"): use a GPU of a listed "
                    + "architecture, or an ND4J build compiled for sm_" + major + minor + " or with PTX")));
        }
        return checks;
    }

    private static Optional<Path> loadedLibrary(String fileName) {
        try (Stream<Path> files = Files.walk(Loader.getCacheDir().toPath())) { // where JavaCPP unpacked the natives
            return files.filter(p -> p.getFileName().toString().equals(fileName)).findFirst();
        } catch (IOException e) {
            return Optional.empty();
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
