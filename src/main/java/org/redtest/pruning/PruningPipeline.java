package org.redtest.pruning;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.redtest.RedTestException;
import org.redtest.config.PruneConfig;
import org.redtest.config.PruneMethod;
import org.redtest.config.TrainingConfig;
import org.redtest.data.ChannelNormalization;
import org.redtest.data.DataSpec;
import org.redtest.data.ImageBatchIterator;
import org.redtest.data.ImageDataset;
import org.redtest.data.LoadedData;
import org.redtest.io.Sha256;
import org.redtest.measure.Measurement;
import org.redtest.measure.MeasurementReport;
import org.redtest.measure.MeasurementSettings;
import org.redtest.measure.ProbeBatches;
import org.redtest.measure.RedundancyMeasurement;
import org.redtest.measure.UnitActivationCapture;
import org.redtest.provenance.SoftwareVersions;
import org.redtest.storage.MeasurementOrigin;
import org.redtest.storage.EpochRows;
import org.redtest.storage.ResultsDatabase;
import org.redtest.storage.RunFailure;
import org.redtest.training.CheckpointStore;
import org.redtest.training.TrainedModel;
import org.redtest.training.EvaluationResult;
import org.redtest.training.Evaluator;
import org.redtest.training.RunMetadata;
import org.redtest.training.StopOnSignal;
import org.redtest.training.Trainer;
import org.redtest.training.TrainingListeners;
import org.redtest.training.TrainingInterrupted;
import org.redtest.zoo.ArchitectureSpec;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.engine.LatencyMeter;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Pruning end to end (docs/method.md): measure the trained model, select units (CKA-guided, or a baseline
 * dropping as many), rebuild with weight reuse, fine-tune (checkpointed, resumable), then measure
 * accuracy, Params, FLOPs, latency and MSRS of the result. Each method works in its own directory
 * {@code <run>/prune-<method>-<criterion>/}, whose plan.json makes a killed fine-tune resume.
 */
public final class PruningPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(PruningPipeline.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int LATENCY_ROUNDS = 7;
    private static final int LATENCY_RUNS_PER_ROUND = 15;

    /** Everything the pipeline needs about the trained model and how to fine-tune it. */
    public record Job(String runName, Path runDirectory, TrainedModel trained, LoadedData data, DataSpec dataSpec, TrainingConfig recipe, MeasurementSettings measurement,
                      PruneConfig prune, long seed, String configHash) {
    }

    private final Job job;
    private final ResultsDatabase db;
    private final Shape input;
    private final int classes;
    private final NetworkBlueprint blueprint;
    private final boolean retime;
    private final StopOnSignal stop;
    private double[] probeAccuracies;

    public PruningPipeline(Job job, ResultsDatabase db) {
        this(job, db, false, StopOnSignal.never());
    }

    /**
     * @param retime time the latencies again even where an earlier run of the same pruning timed them
     * @param stop   what ends a fine-tuning cleanly (SIGINT, SIGTERM): as training, it is then 'interrupted' and resumable
     */
    public PruningPipeline(Job job, ResultsDatabase db, boolean retime, StopOnSignal stop) {
        this.job = job;
        this.retime = retime;
        this.db = db;
        this.stop = stop;
        ImageDataset train = job.data().train();
        this.input = new Shape(train.channels(), train.height(), train.width());
        this.classes = train.numClasses();
        this.blueprint = job.trained().architecture().blueprint(input, classes);
    }

    /** One fine-tuning to do: a method's selection of units to drop, fine-tuned with {@code seed}. */
    public record FineTuning(String method, long seed, List<String> dropped) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * What every fine-tuning starts from (one evaluation and one measurement of the trained model, the adjacent CKA
     * of each prunable unit, the measured units), and the fine-tunings in the order they are reported; none when no
     * unit qualifies. Serializable: a Spark task fine-tunes from the driver's selection.
     */
    public record Selection(double top1Original, double msrsOriginal, List<String> units, Map<String, Double> adjacentCka,
                            List<FineTuning> fineTunings) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    public List<PruningOutcome> run() {
        Selection selection = select();
        if (selection.fineTunings().isEmpty()) {
            return List.of();
        }
        List<PruningOutcome> outcomes = new ArrayList<>();
        for (FineTuning f : selection.fineTunings()) {
            outcomes.add(fineTune(f, selection));
        }
        if (!retime) {
            Optional<List<PruningOutcome>> kept = EarlierTimings.reuse(reportFile(), outcomes);
            if (kept.isPresent()) {
                LOG.info("latencies kept from the earlier timing in {} (--retime times them again)", reportFile());
                return kept.get();
            }
        }
        return withLatencies(outcomes);
    }

    /** Where the prune stage writes this job's outcomes (pruning-CRITERION.json in the run directory). */
    public Path reportFile() {
        return job.runDirectory().resolve("pruning-" + job.prune().criterion() + ".json");
    }

    /** Evaluates and measures the trained model and selects the units each method and seed drops. */
    public Selection select() {
        PruneConfig p = job.prune();
        ImageBatchIterator test = testIterator();
        double top1 = Evaluator.evaluate(job.trained().graph(), test).top1();
        Measurement before = measure(job.trained(), "pruning: original");
        List<PrunableUnit> units = PrunableUnits.of(job.trained().architecture(), before.summary().units(), before.summary().adjacent());
        HashMap<String, Double> cka = new HashMap<>();
        units.forEach(u -> cka.put(u.name(), u.adjacentCka()));
        int count = p.tau() != null ? UnitSelection.thresholdCount(units, p.tau()) : UnitSelection.budgetCount(units, p.keep());
        if (count == 0) {
            LOG.warn("no unit has adjacent CKA >= {}: nothing to prune", p.tau());
            return new Selection(top1, before.summary().mean(), List.copyOf(before.summary().units()), cka, List.of());
        }
        List<FineTuning> fineTunings = new ArrayList<>();
        for (PruneMethod method : p.methods()) {
            for (int repeat = 0; repeat < p.repeats(); repeat++) {
                long seed = job.seed() + repeat;
                List<String> dropped = UnitSelection.drop(units, preference(method, seed, units, before.summary().units()), count);
                LOG.info("{} ({}, seed {}): dropping {} of {} prunable units: {}", method, p.criterion(), seed, dropped.size(),
                        units.size(), String.join(", ", dropped));
                fineTunings.add(new FineTuning(method.word(), seed, List.copyOf(dropped)));
            }
        }
        return new Selection(top1, before.summary().mean(), List.copyOf(before.summary().units()), cka,
                List.copyOf(fineTunings));
    }

    /** The directory of one fine-tuning, under the run directory: one fine-tuning per method keeps its old name. */
    public String directoryName(FineTuning f) {
        PruneConfig p = job.prune();
        return "prune-" + f.method() + "-" + p.criterion() + (p.repeats() > 1 ? "-seed" + f.seed() : "");
    }

    /**
     * Times the original and every pruned model in the same alternating rounds, once all are fine-tuned: every
     * reduction is against one timing of the original, so identical structures get comparable figures.
     */
    public List<PruningOutcome> withLatencies(List<PruningOutcome> outcomes) {
        warnIfBusy();
        List<ComputationGraph> graphs = new ArrayList<>(List.of(job.trained().graph()));
        try {
            for (PruningOutcome o : outcomes) {
                graphs.add(CheckpointStore.load(new CheckpointStore(o.directory()).modelFile()));
            }
            List<LatencyMeter.Latency> latencies = LatencyMeter.inRounds(graphs, input, LATENCY_ROUNDS, LATENCY_RUNS_PER_ROUND);
            List<PruningOutcome> timed = new ArrayList<>();
            for (int i = 0; i < outcomes.size(); i++) {
                timed.add(outcomes.get(i).withLatency(latencies.get(0), latencies.get(i + 1)));
            }
            return timed;
        } finally {
            graphs.subList(1, graphs.size()).forEach(ComputationGraph::close);
        }
    }

    /** Timings on a machine whose run queue exceeds its cores measure the other load as much as the models. */
    private static void warnIfBusy() {
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        int cores = Runtime.getRuntime().availableProcessors();
        if (load > cores) {
            LOG.warn("the machine is busy (load average {} on {} cores): latencies timed now are mostly noise; "
                    + "time them on a quiet machine with --retime", String.format("%.1f", load), cores);
        }
    }

    private Comparator<PrunableUnit> preference(PruneMethod method, long seed, List<PrunableUnit> units, List<String> allUnits) {
        switch (method) {
            case CKA:
                return UnitSelection.byAdjacentCka();
            case RANDOM: {
                Random r = new Random(seed);
                Map<String, Double> key = new HashMap<>();
                units.forEach(u -> key.put(u.name(), r.nextDouble()));
                return Comparator.comparingDouble(u -> key.get(u.name()));
            }
            case LINEAR_PROBE: {
                double[] acc = probeAccuracies();
                Map<String, Double> gain = new HashMap<>();
                for (int k = 0; k < allUnits.size(); k++) {
                    // the first unit (a VGG's conv1) is compared with chance level
                    gain.put(allUnits.get(k), acc[k] - (k == 0 ? 1.0 / classes : acc[k - 1]));
                }
                LOG.info("linear-probe accuracy per unit: {}", formatAccuracies(allUnits, acc));
                return Comparator.comparingDouble(u -> gain.get(u.name()));
            }
            default:
                throw new IllegalStateException("no preference for pruning method " + method);
        }
    }

    /** Probes fitted on the first prune.probe_train_images training images, scored on the measurement batches. */
    private double[] probeAccuracies() {
        if (probeAccuracies != null) {
            return probeAccuracies;
        }
        ImageDataset train = job.data().train();
        ImageDataset probeTrain = train.firstN(Math.min(job.prune().probeTrainImages(), train.size()));
        List<ImageDataset> testBatches = ProbeBatches.select(job.data().test(), job.measurement().batches(),
                job.measurement().batchSize(), job.measurement().sampling(), job.measurement().seed());
        try (UnitActivationCapture capture = UnitActivationCapture.of(job.trained().graph(), blueprint)) {
            Captured tr = captureAll(capture, List.of(probeTrain));
            Captured te = captureAll(capture, testBatches);
            probeAccuracies = LinearProbe.accuracies(tr.irs(), tr.labels(), te.irs(), te.labels(), classes);
        }
        return probeAccuracies;
    }

    private record Captured(List<INDArray> irs, int[] labels) {
    }

    private Captured captureAll(UnitActivationCapture capture, List<ImageDataset> sets) {
        List<List<INDArray>> perUnit = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (ImageDataset set : sets) {
            ImageBatchIterator it = new ImageBatchIterator(set, 256, false, false, job.data().normalization(), 0);
            while (it.hasNext()) {
                var batch = it.next();
                List<INDArray> irs = capture.capture(batch.getFeatures());
                for (int u = 0; u < irs.size(); u++) {
                    if (perUnit.size() <= u) {
                        perUnit.add(new ArrayList<>());
                    }
                    perUnit.get(u).add(irs.get(u).dup());
                }
            }
            for (int label : set.labels()) {
                labels.add(label);
            }
        }
        List<INDArray> merged = perUnit.stream().map(parts -> org.nd4j.linalg.factory.Nd4j.vstack(parts.toArray(INDArray[]::new))).toList();
        return new Captured(merged, labels.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Prunes the trained model as {@code f} says, fine-tunes it (resuming its directory's checkpoint) and measures
     * it; latencies are left NaN for {@link #withLatencies}.
     */
    public PruningOutcome fineTune(FineTuning f, Selection selection) {
        String method = f.method();
        long seed = f.seed();
        List<String> dropped = f.dropped();
        double top1Original = selection.top1Original();
        double msrsOriginal = selection.msrsOriginal();
        String dirName = directoryName(f);
        CheckpointStore store = new CheckpointStore(job.runDirectory().resolve(dirName));
        PrunedStructure structure = PrunedStructure.of(job.trained().architecture(), dropped);
        NetworkBlueprint prunedBlueprint = structure.pruned().blueprint(input, classes);
        TrainingConfig recipe = fineTuneRecipe();
        String planHash = planHash(f, structure, recipe);
        Plan plan = readPlan(store).filter(existing -> existing.hash().equals(planHash)).orElse(null);
        ComputationGraph graph;
        if (plan != null && store.hasModel()) {
            LOG.info("{}: resuming the fine-tuning in {}", method, store.directory());
            graph = CheckpointStore.load(store.modelFile(), prunedBlueprint);
        } else {
            if (readPlan(store).isPresent()) {
                throw anotherPlan(store);
            }
            graph = Dl4jGraphFactory.create(prunedBlueprint,
                    Trainer.graphSettings(seed, recipe));
            WeightTransfer.Result transfer = WeightTransfer.copy(job.trained().graph(), graph, structure);
            double top1Pruned = Evaluator.evaluate(graph, testIterator()).top1();
            store.saveModel(graph);
            store.writeText(CheckpointStore.METADATA_FILE, new RunMetadata(job.runName() + "/" + dirName,
                    ArchitectureSpec.of(structure.pruned()), input, classes, job.dataSpec(),
                    job.data().normalization().mean(), job.data().normalization().std(), seed, planHash,
                    recipe.epochs(), recipe).toJson());
            plan = new Plan(planHash, structure.pruned().spec(), dropped, transfer.reinitialized(), top1Pruned);
            writePlan(store, plan);
        }
        EvaluationResult after;
        Measurement msrsAfter;
        // rebuilt graphs are released at once: repeated rebuilds must not accumulate native memory
        try (TrainedModel pruned = TrainedModel.of(graph, structure.pruned(), prunedBlueprint, job.data().normalization())) {
            String runName = job.runName() + "/" + dirName;
            long runId = db.startRun(new ResultsDatabase.RunStart(runName, "finetune", null, planHash, seed,
                    job.data().train().name(), structure.pruned().spec(), prunedBlueprint.params(), prunedBlueprint.flops(),
                    recipe.epochs(), SoftwareVersions.json()));
            ImageBatchIterator train = new ImageBatchIterator(job.data().train(), recipe.batchSize(), true,
                    job.dataSpec().augmentOrDefault(), job.data().normalization(), seed);
            // rows a kill left unwritten after a fine-tuning checkpoint
            EpochRows rows = new EpochRows(db, runId);
            rows.restoreFrom(store, graph);
            Path file = db.file();
            stop.guard(file, () -> ResultsDatabase.markInterrupted(file, runId));
            try {
                Trainer.Outcome tuned = new Trainer(recipe, TrainingListeners.standard(store, stop::requested).and(rows))
                        .train(graph, train, testIterator());
                after = tuned.evaluation();
                db.finishRun(runId, after.top1(), after.top5(), after.loss(), rows.totalSeconds());
            } catch (TrainingInterrupted interrupted) {
                db.markInterrupted(runId);
                throw interrupted.of(runName, store.modelFile(), file);
            } catch (RuntimeException | Error failure) {
                RunFailure.record(db, runId, failure);
                throw failure;
            }
            stop.release();
            msrsAfter = measure(pruned, "pruning: " + method);
            MeasurementReport.writeFiles(msrsAfter, store.directory(), "measure", MeasurementOrigin.MEASURE_STAGE,
                    job.trained().architecture().spec() + " pruned by " + method + " (" + structure.pruned().spec() + ")",
                    structure.originalUnitNames(msrsAfter.summary().units()), selection.units());
        }
        Map<String, Double> cka = selection.adjacentCka();
        return new PruningOutcome(
                new PruningOutcome.Selection(method, job.prune().criterion(), seed,
                        dropped.stream().map(d -> new PruningOutcome.DroppedUnit(d, cka.get(d))).toList()),
                new PruningOutcome.Side(job.trained().architecture().spec(), blueprint.params(), blueprint.flops(),
                        top1Original, msrsOriginal, selection.units().size(), Double.NaN, Double.NaN),
                new PruningOutcome.Side(structure.pruned().spec(), prunedBlueprint.params(), prunedBlueprint.flops(),
                        after.top1(), msrsAfter.summary().mean(), msrsAfter.summary().units().size(), Double.NaN, Double.NaN),
                new PruningOutcome.FineTuning(plan.reinitialized(), recipe.epochs(), plan.top1Pruned()),
                0, 0, store.directory());
    }

    /**
     * Fails as {@link #fineTune} would if {@code f}'s directory holds the plan of another fine-tuning: a driver that
     * has {@code f} done elsewhere checks before sending it, since it then writes the directory without looking.
     */
    public void requireOwnDirectory(FineTuning f) {
        CheckpointStore store = new CheckpointStore(job.runDirectory().resolve(directoryName(f)));
        String hash = planHash(f, PrunedStructure.of(job.trained().architecture(), f.dropped()), fineTuneRecipe());
        if (readPlan(store).filter(existing -> !existing.hash().equals(hash)).isPresent()) {
            throw anotherPlan(store);
        }
    }

    /** What a fine-tuning directory is made for: the trained model's config, the directory, the structure, the recipe. */
    private String planHash(FineTuning f, PrunedStructure structure, TrainingConfig recipe) {
        return Sha256.hex(job.configHash() + "|" + directoryName(f) + "|" + structure.pruned().spec() + "|" + f.dropped() + "|" + recipe);
    }

    private static RedTestException anotherPlan(CheckpointStore store) {
        return new RedTestException(store.directory() + " holds another pruning plan (the model, data or "
                + "pruning settings changed); move it away to prune again");
    }

    /** The experiment's training recipe with the fine-tuning epochs (and learning rate, if given). */
    private TrainingConfig fineTuneRecipe() {
        TrainingConfig t = job.recipe();
        PruneConfig p = job.prune();
        // withers, not the builder: 0 fine-tuning epochs (prune.finetune_epochs: 0) is a recipe here
        return t.withEpochs(p.finetuneEpochs()).withLearningRate(p.learningRate() != null ? p.learningRate() : t.learningRate());
    }

    private Measurement measure(TrainedModel model, String what) {
        Measurement m = RedundancyMeasurement.run(model, job.data().test(), "test", job.measurement());
        LOG.info("{}: {}", what, m.describe());
        return m;
    }

    private ImageBatchIterator testIterator() {
        ChannelNormalization n = job.data().normalization();
        return new ImageBatchIterator(job.data().test(), job.recipe().evalBatchSize(), false, false, n, 0);
    }

    /** What a pruning directory was made for, and the accuracy right after pruning (before fine-tuning). */
    record Plan(String hash, String prunedSpec, List<String> dropped, List<String> reinitialized, double top1Pruned) {
    }

    private static java.util.Optional<Plan> readPlan(CheckpointStore store) {
        return store.readText("plan.json").map(text -> {
            try {
                return JSON.readValue(text, Plan.class);
            } catch (IOException e) {
                throw new RedTestException("pruning plan " + store.directory().resolve("plan.json") + " is unreadable: "
                        + e.getMessage().lines().findFirst().orElse(""), e);
            }
        });
    }

    private static void writePlan(CheckpointStore store, Plan plan) {
        try {
            store.writeText("plan.json", JSON.writeValueAsString(plan));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String formatAccuracies(List<String> units, double[] acc) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < units.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(units.get(i)).append(String.format(" %.3f", acc[i]));
        }
        return s.toString();
    }
}
