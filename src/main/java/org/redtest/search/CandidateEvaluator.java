package org.redtest.search;

import org.redtest.storage.CandidateOutcome;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.redtest.config.ExperimentConfig;
import org.redtest.config.SearchConfig;
import org.redtest.config.TrainingConfig;
import org.redtest.data.ImageBatchIterator;
import org.redtest.data.LoadedData;
import org.redtest.measure.Measurement;
import org.redtest.measure.MeasurementSettings;
import org.redtest.measure.RedundancyMeasurement;
import org.redtest.provenance.SoftwareVersions;
import org.redtest.storage.CandidateStatus;
import org.redtest.storage.CandidateStore;
import org.redtest.training.CheckpointStore;
import org.redtest.training.TrainedModel;
import org.redtest.training.Trainer;
import org.redtest.training.TrainingListeners;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.Family;
import org.redtest.engine.LatencyMeter;
import org.redtest.zoo.NatsArchitecture;
import org.redtest.zoo.NatsCell;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Trains one NATS candidate under the search budget and measures accuracy, Params, FLOPs, latency
 * and MSRS. A degenerate cell is reported as such without training. It writes nothing: the search
 * driver records the outcome, so the evaluator can run on a Spark executor as well as here.
 */
public final class CandidateEvaluator {
    private final LoadedData data;
    private final boolean augment;
    private final TrainingConfig budget;
    private final MeasurementSettings measurement;
    private final int channels;
    private final int cells;
    private final long seed;
    private final Shape input;
    private final int classes;

    public CandidateEvaluator(LoadedData data, boolean augment, TrainingConfig budget, MeasurementSettings measurement,
                              int channels, int cells, long seed) {
        this.data = data;
        this.augment = augment;
        this.budget = budget;
        this.measurement = measurement;
        this.channels = channels;
        this.cells = cells;
        this.seed = seed;
        this.input = new Shape(data.train().channels(), data.train().height(), data.train().width());
        this.classes = data.train().numClasses();
    }

    /** The evaluator of a search experiment's candidates (the same on the driver and on every Spark executor). */
    public static CandidateEvaluator forSearch(ExperimentConfig cfg, LoadedData data) {
        SearchConfig s = cfg.search();
        return new CandidateEvaluator(data, cfg.data().augmentOrDefault(), s.budget(),
                MeasurementSettings.from(cfg.measure(), Family.NATS, cfg.seed()), s.channels(), s.cells(), cfg.seed());
    }

    /** Evaluates a claimed candidate (thread-safe: each call builds its own graph and iterators). */
    public CandidateOutcome evaluate(int index) {
        NatsCell cell = NatsCell.fromIndex(index);
        NatsArchitecture arch = new NatsArchitecture(cell, channels, cells);
        NetworkBlueprint bp = arch.blueprint(input, classes);
        long startMicros = CandidateOutcome.nowMicros();
        if (NatsSpace.isDegenerate(cell)) {
            return new CandidateOutcome(index, cell.arch(), CandidateStatus.DEGENERATE, Double.NaN, bp.params(), bp.flops(),
                    Double.NaN, Double.NaN, Double.NaN, 0, 0, 0, host(), 1, null, SoftwareVersions.json(), startMicros, startMicros);
        }
        long start = System.nanoTime();
        Path scratch = scratchDirectory();
        try (TrainedModel model = TrainedModel.of(Dl4jGraphFactory.create(bp,
                Trainer.graphSettings(seed, budget)), arch, bp, data.normalization())) {
            ComputationGraph graph = model.graph();
            var train = new ImageBatchIterator(data.train(), budget.batchSize(), true, augment, data.normalization(), seed);
            var test = new ImageBatchIterator(data.test(), budget.evalBatchSize(), false, false, data.normalization(), seed);
            // candidates are cheap to retrain: checkpoints go to a scratch directory removed afterwards
            double accuracy = new Trainer(budget, TrainingListeners.basic(new CheckpointStore(scratch))).train(graph, train, test)
                    .evaluation().top1();
            long trained = System.nanoTime();
            double latency = LatencyMeter.medianSeconds(graph, input, 10, 21);
            Measurement m = RedundancyMeasurement.run(model, data.test(), "test", measurement);
            long end = System.nanoTime();
            return new CandidateOutcome(index, cell.arch(), CandidateStatus.DONE, accuracy, bp.params(), bp.flops(), latency,
                    m.summary().mean(), m.summary().std(), m.summary().nanBatchesDropped(), (trained - start) / 1e9,
                    (end - trained) / 1e9, host(), 1, null, SoftwareVersions.json(), startMicros, startMicros + (end - start) / 1000);
        } finally {
            deleteRecursively(scratch);
        }
    }

    /** The machine that evaluated a candidate (a Spark executor's host, on a cluster). */
    static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    private static Path scratchDirectory() {
        try {
            return Files.createTempDirectory("redtest-candidate");
        } catch (IOException e) {
            throw new org.redtest.RedTestException("cannot create a scratch directory: " + e.getMessage(), e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover scratch directory in /tmp is harmless
        }
    }
}
