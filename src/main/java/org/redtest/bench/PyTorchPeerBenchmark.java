package org.redtest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.redtest.RedTestException;
import org.redtest.config.TrainingConfig;
import org.redtest.training.Trainer;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.engine.Engines;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Our training and inference rates beside PyTorch's on the same machine, model, batch, optimiser
 * (SGD, Nesterov 0.9, weight decay 5e-4) and loss. Rounds alternate who goes first; each figure is
 * the median over rounds. PyTorch runs as a child process of {@code python} (Debian's
 * {@code python3-torch}) with as many threads as ND4J uses, in three variants: eager NCHW, eager
 * channels_last and (inference only) a frozen TorchScript module. For inference, ONNX Runtime runs the
 * PyTorch peer's model exported to ONNX (in this process, through its Java binding: the engine people deploy
 * CNNs with on CPUs). Without PyTorch the benchmark says so and prints our figures alone. The table ends with
 * the best peer of each column and our ratio to it.
 */
public final class PyTorchPeerBenchmark {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PyTorchPeerBenchmark.class);
    public static final String SCRIPT_RESOURCE = "/org/redtest/bench/pytorch_peer.py";
    public static final String OURS = "ours (CPU engine)";

    /** Median rates per variant (ours and PyTorch's), in img/s; a variant's train rate may be NaN. */
    public record ModelResult(String model, double forwardGflop, Map<String, ThroughputMeter.Rates> rates) {
    }

    public record Result(double peakGflops, String pytorch, List<ModelResult> models) {
    }

    private final List<String> models;
    private final int batchSize;
    private final int batches;
    private final int rounds;
    private final String python;

    public PyTorchPeerBenchmark(List<String> models, int batchSize, int batches, int rounds, String python) {
        if (batchSize < 1 || batches < 1 || rounds < 1) {
            throw new RedTestException("batch size, batches and rounds must be at least 1");
        }
        models.forEach(m -> ModelSpec.parse(m)); // an unknown model fails before anything runs
        this.models = List.copyOf(models);
        this.batchSize = batchSize;
        this.batches = batches;
        this.rounds = rounds;
        this.python = python;
    }

    public Result run(PrintWriter out) {
        int threads = Nd4j.getEnvironment().maxThreads();
        String torchVersion = pytorchVersion();
        double peak = MatmulPeak.gflops(2048, 5);
        out.printf("batch %d, %d timed batches per figure, median of %d round(s), %d threads; "
                + "matrix-multiply peak %.1f GFLOP/s (ND4J sgemm 2048^3)%n", batchSize, batches, rounds, threads, peak);
        out.println(torchVersion == null
                ? "PyTorch peer: SKIPPED, " + python + " cannot import torch (on Debian: apt-get install python3-torch); "
                + "our figures alone"
                : "PyTorch peer: torch " + torchVersion + " via " + python);
        out.flush();
        Path script = torchVersion == null ? null : extractScript();
        List<ModelResult> results = new ArrayList<>();
        try {
            for (String model : models) {
                results.add(runModel(model, threads, script, out));
            }
        } finally {
            deleteQuietly(script);
        }
        printTable(results, peak, out);
        return new Result(peak, torchVersion, results);
    }

    private ModelResult runModel(String model, int threads, Path script, PrintWriter out) {
        NetworkBlueprint blueprint = ModelSpec.parse(model).blueprint(new Shape(3, 32, 32), 10);
        TrainingConfig t = TrainingConfig.defaults();
        ComputationGraph graph = Dl4jGraphFactory.create(blueprint, Trainer.graphSettings(1, t));
        DataSet batch = ThroughputMeter.cifarBatch(batchSize);
        Map<String, List<ThroughputMeter.Rates>> samples = new LinkedHashMap<>();
        Path onnx = script == null ? null : exportPeerModel(script, model);
        try (OnnxRuntimePeer ort = onnx == null ? null : new OnnxRuntimePeer(onnx, threads)) {
            for (int round = 0; round < rounds; round++) {
                // who goes first alternates, so that a machine growing busier or quieter favours nobody
                List<Runnable> order = new ArrayList<>();
                order.add(() -> samples.computeIfAbsent(OURS, k -> new ArrayList<>())
                        .add(ThroughputMeter.measure(Engines.current(), graph, batch, batches)));
                if (script != null) {
                    order.add(() -> runPeer(script, model, threads).forEach((variant, r) ->
                            samples.computeIfAbsent(variant, k -> new ArrayList<>()).add(r)));
                }
                if (ort != null) {
                    order.add(() -> samples.computeIfAbsent(OnnxRuntimePeer.VARIANT, k -> new ArrayList<>())
                            .add(new ThroughputMeter.Rates(Double.NaN, ort.inferImgPerS(batchSize, batches))));
                }
                if (round % 2 == 1) {
                    java.util.Collections.reverse(order);
                }
                order.forEach(Runnable::run);
                out.printf("%s round %d/%d done%n", model, round + 1, rounds);
                out.flush();
            }
        } finally {
            deleteQuietly(onnx);
        }
        Map<String, ThroughputMeter.Rates> medians = new LinkedHashMap<>();
        medians.put(OURS, median(samples.get(OURS)));
        samples.forEach((variant, list) -> medians.putIfAbsent(variant, median(list)));
        return new ModelResult(model, 2.0 * blueprint.flops() / 1e9, medians);
    }

    /** The PyTorch peer's model as ONNX, written by the peer script; null (ONNX Runtime left out) if that fails. */
    private Path exportPeerModel(Path script, String model) {
        try {
            Path file = Files.createTempFile("redtest-peer-" + model, ".onnx");
            List<String> command = List.of(python, script.toString(), "export", model, String.valueOf(batchSize), file.toString());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0 || Files.size(file) == 0) {
                p.destroyForcibly();
                LOG.warn("ONNX Runtime peer left out: the PyTorch peer could not export {} to ONNX ({})", model,
                        text.strip().lines().reduce((a, b) -> b).orElse("no output"));
                deleteQuietly(file);
                return null;
            }
            return file;
        } catch (IOException e) {
            LOG.warn("ONNX Runtime peer left out: {}", e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedTestException("interrupted while the PyTorch peer exported " + model);
        }
    }

    private static ThroughputMeter.Rates median(List<ThroughputMeter.Rates> rates) {
        return new ThroughputMeter.Rates(median(rates.stream().mapToDouble(ThroughputMeter.Rates::trainImgPerS).toArray()),
                median(rates.stream().mapToDouble(ThroughputMeter.Rates::inferImgPerS).toArray()));
    }

    static double median(double[] values) {
        double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static void printTable(List<ModelResult> results, double peak, PrintWriter out) {
        out.println();
        out.printf("%-10s %-34s %12s %8s %9s %12s %8s %9s%n", "model", "variant", "train img/s", "of peak",
                "ours/it", "infer img/s", "of peak", "ours/it");
        for (ModelResult m : results) {
            ThroughputMeter.Rates ours = m.rates().get(OURS);
            for (Map.Entry<String, ThroughputMeter.Rates> e : m.rates().entrySet()) {
                ThroughputMeter.Rates r = e.getValue();
                boolean isOurs = e.getKey().equals(OURS);
                out.printf("%-10s %-34s %12s %8s %9s %12s %8s %9s%n", m.model(), e.getKey(),
                        number(r.trainImgPerS(), "%.1f"), percent(r.trainImgPerS() * 3 * m.forwardGflop() / peak),
                        isOurs ? "" : number(ours.trainImgPerS() / r.trainImgPerS(), "%.2fx"),
                        number(r.inferImgPerS(), "%.1f"), percent(r.inferImgPerS() * m.forwardGflop() / peak),
                        isOurs ? "" : number(ours.inferImgPerS() / r.inferImgPerS(), "%.2fx"));
            }
        }
        out.println("(of peak: effective GFLOP/s, 2 flops per multiply-add and training = 3x the forward pass, "
                + "over the sgemm rate; ours/it > 1 means we are faster)");
        for (ModelResult m : results) {
            ThroughputMeter.Rates ours = m.rates().get(OURS);
            bestPeer(m, ThroughputMeter.Rates::trainImgPerS).ifPresent(b -> out.printf("%s training: best peer %s, %.1f img/s; ours %.2fx%n",
                    m.model(), b.getKey(), b.getValue().trainImgPerS(), ours.trainImgPerS() / b.getValue().trainImgPerS()));
            bestPeer(m, ThroughputMeter.Rates::inferImgPerS).ifPresent(b -> out.printf("%s inference: best peer %s, %.1f img/s; ours %.2fx%n",
                    m.model(), b.getKey(), b.getValue().inferImgPerS(), ours.inferImgPerS() / b.getValue().inferImgPerS()));
        }
        out.flush();
    }

    /** The fastest peer (not ours) in one column, if any peer has a figure there. */
    static java.util.Optional<Map.Entry<String, ThroughputMeter.Rates>> bestPeer(ModelResult m,
                                                                               java.util.function.ToDoubleFunction<ThroughputMeter.Rates> column) {
        return m.rates().entrySet().stream()
                .filter(e -> !e.getKey().equals(OURS) && !Double.isNaN(column.applyAsDouble(e.getValue())))
                .max(java.util.Comparator.comparingDouble(e -> column.applyAsDouble(e.getValue())));
    }

    private static String number(double v, String format) {
        return Double.isNaN(v) ? "-" : String.format(format, v);
    }

    private static String percent(double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format("%.1f%%", 100 * fraction);
    }

    /** torch's version, or null when {@code python} is missing or cannot import torch. */
    String pytorchVersion() {
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch; print(torch.__version__)")
                    .redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            String[] lines = text.split("\n");
            return lines[lines.length - 1].trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static Path extractScript() {
        try (InputStream in = PyTorchPeerBenchmark.class.getResourceAsStream(SCRIPT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + SCRIPT_RESOURCE);
            }
            Path file = Files.createTempFile("redtest-pytorch-peer", ".py");
            Files.write(file, in.readAllBytes());
            return file;
        } catch (IOException e) {
            throw new RedTestException("cannot write the PyTorch peer script to a temporary file: " + e.getMessage(), e);
        }
    }

    private Map<String, ThroughputMeter.Rates> runPeer(Path script, String model, int threads) {
        List<String> command = List.of(python, script.toString(), model, String.valueOf(batchSize),
                String.valueOf(batches), String.valueOf(threads));
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new RedTestException("the PyTorch peer failed (exit code " + p.exitValue() + "): "
                        + String.join(" ", command));
            }
            Map<String, ThroughputMeter.Rates> rates = new LinkedHashMap<>();
            ObjectMapper json = new ObjectMapper();
            for (String line : text.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = json.readTree(line);
                if (node.has("variant")) {
                    rates.put("PyTorch " + node.get("variant").asText(), new ThroughputMeter.Rates(
                            node.get("train").isNull() ? Double.NaN : node.get("train").asDouble(),
                            node.get("infer").asDouble()));
                }
            }
            return rates;
        } catch (IOException e) {
            throw new RedTestException("cannot run the PyTorch peer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedTestException("interrupted while the PyTorch peer ran");
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file; the OS cleans it up
            }
        }
    }
}
