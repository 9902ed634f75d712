package org.redtest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.redtest.config.ConfigLoader;
import org.redtest.config.ExperimentConfig;
import org.redtest.data.DataLoader;
import org.redtest.data.LoadedData;
import org.redtest.engine.cpu.CpuAcceleration;
import org.redtest.search.CandidateEngine;
import org.redtest.search.CandidateEngines;
import org.redtest.search.CandidateEvaluator;
import org.redtest.storage.CandidateOutcome;
import org.redtest.search.CandidateRunner;
import org.redtest.search.NatsSpace;
import org.redtest.storage.CandidateStatus;
import org.redtest.storage.CandidateStore;
import org.redtest.storage.ResultsDatabase;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.engine.Engines;
import org.redtest.zoo.GraphSettings;
import org.redtest.zoo.NatsArchitecture;
import org.redtest.zoo.NatsCell;
import org.redtest.zoo.Shape;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * benchmarks/spark-engine.sh: the figures of the cluster plan (docs/cluster.md), measured in one run.
 * (1) The same NATS candidates (by default those of configs/nas-reduced.yaml) on the local engine (one at a time, 2 ND4J threads) and on Spark
 * local[2] (two at a time, 1 thread each): the same total threads, each engine in a JVM of its own
 * (ND4J's thread count is per process). Candidates per hour side by side, and each engine's overhead
 * per candidate: the time a task slot sits idle between candidates (see idlePerCandidate).
 * (2) The driver's database write rate: 15,625 synthetic outcomes claimed and recorded as the
 * driver records real ones. (3) The CPU cost of one candidate at NATS-Bench scale (C=16, N=5,
 * 32x32x3 images, 12 epochs of 50,000 training and 10,000 test images), projected from measured
 * training and inference rates of sampled cells on one core (a cluster runs one candidate per core).
 */
public final class EngineBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EngineBenchmark() {
    }

    record Options(int candidates, int warmup, int channels, int cells, int trainPerClass, int epochs, int writes,
                   int scaleCells, int scaleBatches) {
        static Options parse(List<String> args) {
            int[] v = {6, 2, 8, 1, 200, 3, NatsSpace.SIZE, 3, 1};
            String[] names = {"--candidates", "--warmup", "--channels", "--cells", "--train-per-class", "--epochs",
                    "--writes", "--scale-cells", "--scale-batches"};
            for (int i = 0; i < args.size(); i++) {
                int k = Arrays.asList(names).indexOf(args.get(i));
                if (k >= 0) {
                    v[k] = Integer.parseInt(args.get(++i));
                }
            }
            return new Options(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> a = List.of(args);
        Options o = Options.parse(a);
        if (a.contains("--child")) {
            CpuAcceleration.configure();
            String part = a.get(a.indexOf("--child") + 1);
            System.out.println("RESULT " + JSON.writeValueAsString(part.equals("scale") ? scale(o) : engines(part, o)));
            return;
        }
        CpuAcceleration.configure();
        System.out.printf("(1) %d NATS candidates (C=%d, N=%d, %d epoch(s) on %d Fashion-MNIST images), after %d untimed%n",
                o.candidates(), o.channels(), o.cells(), o.epochs(), 10 * o.trainPerClass(), o.warmup());
        JsonNode local = child("local", "2", a);
        JsonNode spark = child("spark", "1", a);
        System.out.printf("%-34s %14s %14s%n", "", "local engine", "spark local[2]");
        row("candidates at once x ND4J threads", local, spark, n -> n.get("slots").asInt() + " x " + n.get("threads").asInt());
        row("wall time (s)", local, spark, n -> String.format("%.1f", n.get("wall_s").asDouble()));
        row("candidates per hour", local, spark, n -> String.format("%.0f", n.get("per_hour").asDouble()));
        row("candidate's own time, mean (s)", local, spark, n -> String.format("%.2f", n.get("compute_s").asDouble()));
        row("engine overhead per candidate (s)", local, spark, n -> String.format("%.3f", n.get("overhead_s").asDouble()));
        row("overhead / candidate's own time", local, spark, n -> String.format("%.1f%%", 100 * n.get("overhead_fraction").asDouble()));
        System.out.printf("spark/local throughput: %.2fx; Spark engine overhead %.1f%% of a candidate's time (target < 5%%)%n",
                spark.get("per_hour").asDouble() / local.get("per_hour").asDouble(), 100 * spark.get("overhead_fraction").asDouble());

        System.out.printf("%n(2) driver database writes: %d synthetic outcomes, each claimed and recorded in its own transaction%n",
                o.writes());
        final double seconds = writeRate(o.writes());
        System.out.printf("%.1f s in all, %.0f outcomes/s, %.2f ms per outcome%n", seconds, o.writes() / seconds,
                1000 * seconds / o.writes());

        System.out.printf("%n(3) one candidate at NATS-Bench scale (C=16, N=5, 32x32x3, batch 128; %d sampled cells, %d timed "
                + "batch(es) each), one ND4J thread: 12 epochs of 50,000 training and 10,000 test images%n", o.scaleCells(), o.scaleBatches());
        JsonNode scale = child("scale", "1", a);
        for (JsonNode cell : scale.get("cells")) {
            System.out.printf("%-92s train %5.1f img/s, infer %6.1f img/s -> %6.2f core-hours%n", cell.get("arch").asText(),
                    cell.get("train").asDouble(), cell.get("infer").asDouble(), cell.get("core_hours").asDouble());
        }
        double mean = scale.get("mean_core_hours").asDouble();
        System.out.printf("mean %.2f core-hours per candidate; the 15,625-cell search (%.0f core-hours):%n", mean, NatsSpace.SIZE * mean);
        for (int cores : new int[]{16, 160, 1600, 16000}) {
            System.out.printf("  %6d cores (e.g. %4d executors of 16): %9.0f h = %7.1f days%n", cores, cores / 16,
                    NatsSpace.SIZE * mean / cores, NatsSpace.SIZE * mean / cores / 24);
        }
        System.out.printf("driver writes at that load: %.4f outcomes/s on 16,000 cores, against %.0f/s measured in (2)%n",
                16_000 / (mean * 3600), o.writes() / seconds);
    }

    private static void row(String name, JsonNode local, JsonNode spark, java.util.function.Function<JsonNode, String> f) {
        System.out.printf("%-34s %14s %14s%n", name, f.apply(local), f.apply(spark));
    }

    /** Runs one engine's part in a JVM of its own with OMP_NUM_THREADS set, and reads its RESULT line. */
    private static JsonNode child(String engine, String threads, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), EngineBenchmark.class.getName()));
        cmd.addAll(args);
        cmd.addAll(List.of("--child", engine));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("OMP_NUM_THREADS", threads);
        Process p = pb.start();
        JsonNode result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("RESULT ")) {
                    result = JSON.readTree(line.substring(7));
                }
            }
        }
        if (p.waitFor() != 0 || result == null) {
            throw new IllegalStateException("the " + engine + " engine's benchmark process failed (exit " + p.exitValue() + ")");
        }
        return result;
    }

    /** Part (1) in a child: the warm-up and timed candidates on one engine. */
    private static Map<String, Object> engines(String engine, Options o) throws IOException {
        Path work = Files.createTempDirectory("redtest-engine-bench");
        boolean spark = engine.equals("spark");
        ExperimentConfig cfg = ConfigLoader.parse("""
                name: engine-bench
                seed: 11
                output_dir: %s
                data: {dataset: fashion-mnist, train_per_class: %d, test_limit: 512}
                measure: {batches: 2, batch_size: 256}
                search:
                  sample: 1
                  channels: %d
                  cells: %d
                  engine: %s
                  spark: {master: "local[2]", slots: 2, conf: {spark.ui.enabled: "false"}}
                  budget: {epochs: %d, batch_size: 128, learning_rate: 0.05, weight_decay: 0.0005}
                """.formatted(work, o.trainPerClass(), o.channels(), o.cells(), engine, o.epochs()), "engine benchmark").config();
        LoadedData data = DataLoader.load(cfg.data());
        int[] cells = NatsSpace.indices().filter(i -> !NatsSpace.isDegenerate(NatsCell.fromIndex(i))).toArray();
        int[] sample = Arrays.stream(NatsSpace.sample(o.warmup() + o.candidates() + 200, 11))
                .filter(i -> Arrays.binarySearch(cells, i) >= 0).limit(o.warmup() + o.candidates()).toArray();
        List<CandidateOutcome> outcomes = new ArrayList<>();
        long wall;
        try (ResultsDatabase db = ResultsDatabase.open(work.resolve("bench.db"));
             CandidateEngine engineImpl = CandidateEngines.open(cfg, data, CandidateEvaluator.forSearch(cfg, data))) {
            CandidateStore store = new CandidateStore(db);
            CandidateEngine recording = recording(engineImpl, outcomes);
            new CandidateRunner(store, "warmup", recording).run(Arrays.copyOf(sample, o.warmup()), () -> { });
            outcomes.clear();
            long t0 = System.nanoTime();
            new CandidateRunner(store, "timed", recording).run(Arrays.copyOfRange(sample, o.warmup(), sample.length), () -> { });
            wall = System.nanoTime() - t0;
        }
        int slots = spark ? 2 : 1;
        double wallS = wall / 1e9;
        double compute = outcomes.stream().mapToDouble(CandidateOutcome::computeSeconds).average().orElse(Double.NaN);
        double overhead = idlePerCandidate(outcomes, slots);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("engine", engine);
        m.put("slots", slots);
        m.put("threads", Integer.parseInt(System.getenv().getOrDefault("OMP_NUM_THREADS", "0")));
        m.put("wall_s", wallS);
        m.put("per_hour", outcomes.size() / wallS * 3600);
        m.put("compute_s", compute);
        m.put("overhead_s", overhead);
        m.put("overhead_fraction", overhead / compute);
        return m;
    }

    /**
     * The engine's overhead per candidate: how long a task slot sat idle between the end of one
     * candidate's own work and the start of the next, while candidates remained (the first wave and
     * the idle tail after the last start are not overhead). Each candidate is put on the slot that
     * freed up last before it started.
     */
    static double idlePerCandidate(List<CandidateOutcome> outcomes, int slots) {
        List<CandidateOutcome> byStart = outcomes.stream().sorted(java.util.Comparator.comparingLong(CandidateOutcome::startMicros)).toList();
        List<Long> free = new ArrayList<>();
        long idle = 0;
        int counted = 0;
        for (CandidateOutcome c : byStart) {
            if (free.size() < slots) {
                free.add(c.endMicros());
                continue;
            }
            int slot = -1;
            for (int i = 0; i < free.size(); i++) {
                if (free.get(i) <= c.startMicros() && (slot < 0 || free.get(i) > free.get(slot))) {
                    slot = i;
                }
            }
            if (slot < 0) { // clock noise: the earliest-freed slot, no idle time
                slot = free.indexOf(java.util.Collections.min(free));
            } else {
                idle += c.startMicros() - free.get(slot);
            }
            counted++;
            free.set(slot, c.endMicros());
        }
        return counted == 0 ? Double.NaN : idle / 1e6 / counted;
    }

    private static CandidateEngine recording(CandidateEngine engine, List<CandidateOutcome> into) {
        return new CandidateEngine() {
            @Override
            public void run(Source source, Consumer<CandidateOutcome> sink) {
                engine.run(source, c -> {
                    into.add(c);
                    sink.accept(c);
                });
            }

            @Override
            public String describe() {
                return engine.describe();
            }

            @Override
            public void close() {
            }
        };
    }

    /** Part (2): seconds to claim and record {@code n} synthetic outcomes through the driver's runner. */
    static double writeRate(int n) throws IOException {
        Path work = Files.createTempDirectory("redtest-driver-writes");
        try (ResultsDatabase db = ResultsDatabase.open(work.resolve("writes.db"))) {
            CandidateStore store = new CandidateStore(db);
            CandidateEngine synthetic = new CandidateEngine() {
                @Override
                public void run(Source source, Consumer<CandidateOutcome> sink) {
                    for (OptionalInt i = source.next(); i.isPresent(); i = source.next()) {
                        int k = i.getAsInt();
                        sink.accept(new CandidateOutcome(k, NatsCell.fromIndex(k).arch(), CandidateStatus.DONE, 50 + k % 40,
                                100_000 + k, 10_000_000 + k, 0.01, 20 + k % 30, 1.5, 0, 600, 30, "executor-" + k % 64, 1,
                                null, "{}", 0, 630_000_000));
                    }
                }

                @Override
                public String describe() {
                    return "synthetic";
                }

                @Override
                public void close() {
                }
            };
            long t0 = System.nanoTime();
            new CandidateRunner(store, "synthetic", synthetic).run(java.util.stream.IntStream.range(0, n).toArray(), () -> { });
            return (System.nanoTime() - t0) / 1e9;
        }
    }

    /** Part (3), in a child with one ND4J thread: training and inference rates of sampled cells at C=16, N=5. */
    private static Map<String, Object> scale(Options o) {
        int[] cells = Arrays.stream(NatsSpace.sample(o.scaleCells() * 4, 23))
                .filter(i -> !NatsSpace.isDegenerate(NatsCell.fromIndex(i))).limit(o.scaleCells()).toArray();
        DataSet batch = ThroughputMeter.cifarBatch(128);
        List<Map<String, Object>> rows = new ArrayList<>();
        double hours = 0;
        for (int index : cells) {
            NatsArchitecture arch = new NatsArchitecture(NatsCell.fromIndex(index), 16, 5);
            ComputationGraph g = Dl4jGraphFactory.create(arch.blueprint(new Shape(3, 32, 32), 10),
                    new GraphSettings(1, new org.nd4j.linalg.learning.config.Sgd(0.05), 0));
            ThroughputMeter.Rates r = ThroughputMeter.measure(Engines.current(), g, batch, o.scaleBatches());
            g.close();
            double coreHours = 12 * (50_000 / r.trainImgPerS() + 10_000 / r.inferImgPerS()) / 3600;
            hours += coreHours;
            rows.add(Map.of("arch", NatsCell.fromIndex(index).arch(), "train", r.trainImgPerS(), "infer", r.inferImgPerS(),
                    "core_hours", coreHours));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cells", rows);
        m.put("mean_core_hours", hours / cells.length);
        return m;
    }
}
