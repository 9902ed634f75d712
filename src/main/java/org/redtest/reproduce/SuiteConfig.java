package org.redtest.reproduce;

import org.redtest.RedTestException;
import org.redtest.config.ConfigLoader;
import org.redtest.config.MeasureConfig;
import org.redtest.config.PruneConfig;
import org.redtest.config.SparkConfig;
import org.redtest.config.TrainingConfig;
import org.redtest.data.DataSpec;
import org.redtest.io.UserPath;
import org.redtest.zoo.ModelSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A reproduction suite file ({@code benchmarks/paper-cpu.yaml}, {@code benchmarks/paper-gpu.yaml}): which models
 * to train and measure for MSRS against depth, which of them to prune and how, the NAS experiment to run, and
 * the performance benchmarks, all on one data set and training recipe. Every section but {@code data} is optional;
 * a missing {@code depth}, {@code pruning}, {@code nas} or {@code performance} skips that part.
 * {@code training_by_family} gives a family (resnet, vgg) a recipe of its own in place of {@code training}.
 * {@code nas_seeds} runs the NAS experiment that many times, with its seed, seed + 1, ... (another sample of
 * cells and other training seeds each time), and {@code nas_sample} sets each run's number of sampled cells in
 * place of the experiment file's: the NAS claims are then judged on means over the runs.
 * {@code engine}: where the independent trainings of the depth part and the pruning part's fine-tunings run,
 * {@code local} (each part in a JVM of its own on this machine) or {@code spark} (as Spark tasks, settings in
 * {@code spark} as in a search; docs/cluster.md).
 * Neither is part of the suite's identity: a suite started on one engine can be finished on the other.
 */
public record SuiteConfig(String tier, String name, String outputDir, Long seed, DataSpec data, TrainingConfig training,
                          Map<String, TrainingConfig> trainingByFamily, MeasureConfig measure, List<String> depth, Double accuracyTolerance,
                          List<PruneTarget> pruning, PruneConfig prune, String nas, Integer nasSeeds, Integer nasSample,
                          Performance performance,
                          String engine, SparkConfig spark) {
    public static final String LOCAL = "local";
    public static final String SPARK = "spark";
    /** The keys that say where the suite runs, not what it computes: left out of its fingerprint. */
    static final List<String> ENGINE_KEYS = List.of("engine", "spark");

    /** A model of the depth list to prune, keeping {@code keep} units (the paper's kept count by default). */
    public record PruneTarget(String model, Integer keep) {
    }

    /** The performance rows: training/inference throughput, CKA engine, MSRS overhead and MSRS peak memory. */
    public record Performance(String model, Integer batchSize, Integer batches, Boolean compareStock, String msrsModel,
                              Integer msrsBatches, String memoryModel, Integer ckaSamples) {
        public Performance {
            model = model == null ? "resnet20" : model;
            batchSize = batchSize == null ? 128 : batchSize;
            batches = batches == null ? 5 : batches;
            compareStock = compareStock == null || compareStock;
            msrsModel = msrsModel == null ? "resnet56" : msrsModel;
            msrsBatches = msrsBatches == null ? 10 : msrsBatches;
            memoryModel = memoryModel == null ? "resnet1202" : memoryModel;
            ckaSamples = ckaSamples == null ? 256 : ckaSamples;
        }
    }

    static final List<String> FAMILIES = List.of("resnet", "vgg");
    static final List<String> TIERS = List.of("cpu", "gpu");

    /** Fails with a one-line message unless {@code tier} is a known tier (the command checks it before any file). */
    public static void checkTier(String tier) {
        if (!TIERS.contains(tier.toLowerCase(Locale.ROOT))) {
            throw new RedTestException("tier '" + tier + "' is not known; known tiers: " + String.join(", ", TIERS));
        }
    }

    public SuiteConfig {
        tier = tier == null ? "cpu" : tier.toLowerCase(Locale.ROOT);
        name = name == null ? "paper-" + tier : name;
        outputDir = outputDir == null ? "checkpoints" : outputDir;
        seed = seed == null ? 42L : seed;
        training = training == null ? TrainingConfig.defaults() : training;
        trainingByFamily = trainingByFamily == null ? Map.of() : Map.copyOf(trainingByFamily);
        measure = measure == null ? MeasureConfig.defaults() : measure;
        depth = depth == null ? List.of() : List.copyOf(depth);
        pruning = pruning == null ? List.of() : List.copyOf(pruning);
        prune = prune == null ? PruneConfig.defaults() : prune;
        nasSeeds = nasSeeds == null ? 1 : nasSeeds;
        engine = engine == null ? LOCAL : engine.toLowerCase(Locale.ROOT);
        spark = spark == null ? SparkConfig.defaults() : spark;
    }

    public static SuiteConfig load(Path file) {
        SuiteConfig c = ConfigLoader.read(file, SuiteConfig.class);
        Path base = file.toAbsolutePath().getParent();
        // the NAS file is named relative to the suite file, wherever the command runs
        String nas = c.nas() == null ? null : relativeToWorkingDirectory(base.resolve(c.nas()).normalize());
        return new SuiteConfig(c.tier(), c.name(), c.outputDir(), c.seed(), c.data(), c.training(), c.trainingByFamily(),
                c.measure(), c.depth(),
                c.accuracyTolerance(), c.pruning(), c.prune(), nas, c.nasSeeds(), c.nasSample(), c.performance(), c.engine(),
                c.spark()).validate();
    }

    private static String relativeToWorkingDirectory(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        return p.startsWith(cwd) ? cwd.relativize(p).toString() : p.toString();
    }

    public SuiteConfig validate() {
        checkTier(tier);
        if (!engine.equals(LOCAL) && !engine.equals(SPARK)) {
            throw new RedTestException("engine must be 'local' or 'spark', got '" + engine + "'");
        }
        spark.validate("spark");
        org.redtest.config.ExperimentConfig.requireSafeName("suite name", name);
        if (data == null) {
            throw new RedTestException("missing section 'data' (at least data.dataset)");
        }
        data.validate();
        training.validate();
        for (var e : trainingByFamily.entrySet()) {
            if (!FAMILIES.contains(e.getKey())) {
                throw new RedTestException("training_by_family: unknown family '" + e.getKey() + "'; known: " + FAMILIES);
            }
            e.getValue().validate();
        }
        measure.validate();
        depth.forEach(ModelSpec::parse);
        for (PruneTarget t : pruning) {
            if (t.model() == null || !depth.contains(t.model())) {
                throw new RedTestException("pruning model '" + t.model() + "' must be one of the depth models "
                        + depth + " (pruning starts from its trained checkpoint)");
            }
            if (keepFor(t) == null) {
                throw new RedTestException("pruning model '" + t.model() + "' needs 'keep' (the paper pruned only "
                        + String.join(" and ", PaperNumbers.PRUNED.keySet()) + ")");
            }
            // before any model of the suite trains, not after hours of the depth part
            PruneConfig.defaults().withKeep(keepFor(t))
                    .checkAgainst(ModelSpec.parse(t.model()), "pruning model '" + t.model() + "': keep");
        }
        prune.validate(false);
        if (accuracyTolerance != null && !(accuracyTolerance >= 0)) {
            throw new RedTestException("accuracy_tolerance must be >= 0 (points of top-1), or left out");
        }
        if (nas != null && !Files.isRegularFile(Path.of(nas))) {
            throw new RedTestException("nas experiment file not found: " + nas);
        }
        if (nasSeeds < 1) {
            throw new RedTestException("nas_seeds must be >= 1 (how many times the NAS experiment runs), got " + nasSeeds);
        }
        if (nasSample != null && nasSample < 1) {
            throw new RedTestException("nas_sample must be >= 1 (cells sampled per NAS run), or left out, got " + nasSample);
        }
        return this;
    }

    /** The recipe {@code model} trains with: its family's {@code training_by_family} entry, else {@code training}. */
    public TrainingConfig trainingFor(String model) {
        return trainingByFamily.getOrDefault(ModelSpec.parse(model).family().name().toLowerCase(Locale.ROOT), training);
    }

    /** Units to keep when pruning {@code t}: its own {@code keep}, else as many as the paper's pruned structure. */
    public static Integer keepFor(PruneTarget t) {
        if (t.keep() != null) {
            return t.keep();
        }
        PaperNumbers.PrunedStructure p = PaperNumbers.PRUNED.get(t.model());
        return p == null ? null : p.keptUnits();
    }

    /** Where the suite's runs, database, table and figures go. */
    public Path directory() {
        return UserPath.of(outputDir, "output_dir").resolve(name);
    }

    public SuiteConfig withDataDir(String dir) {
        DataSpec d = new DataSpec(data.dataset(), dir, data.trainLimit(), data.trainPerClass(), data.testLimit(),
                data.testPerClass(), data.augment());
        return new SuiteConfig(tier, name, outputDir, seed, d, training, trainingByFamily, measure, depth, accuracyTolerance, pruning, prune,
                nas, nasSeeds, nasSample, performance, engine, spark);
    }

    /** The same suite on another engine (command-line --engine and --master); null keeps the file's setting. */
    public SuiteConfig withEngine(String engineName, String master) {
        return new SuiteConfig(tier, name, outputDir, seed, data, training, trainingByFamily, measure, depth, accuracyTolerance,
                pruning, prune, nas, nasSeeds, nasSample, performance, engineName != null ? engineName : engine, master != null ? spark.withMaster(master) : spark)
                .validate();
    }

    /** Only what a Spark task needs (a depth model, a fine-tuning), written to {@code dir}: no NAS file, no performance part. */
    SuiteConfig forTask(String dir) {
        return new SuiteConfig(tier, name, dir, seed, data, training, trainingByFamily, measure, depth, accuracyTolerance, pruning,
                prune, null, nasSeeds, nasSample, null, LOCAL, null);
    }
}
