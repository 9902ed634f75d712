package org.redtest.search;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.redtest.config.TrainingConfig;
import org.redtest.data.ImageBatchIterator;
import org.redtest.data.LoadedData;
import org.redtest.measure.Measurement;
import org.redtest.measure.MeasurementSettings;
import org.redtest.measure.RedundancyMeasurement;
import org.redtest.runtime.SoftwareVersions;
import org.redtest.storage.CandidateStore;
import org.redtest.training.CheckpointStore;
import org.redtest.training.Trainer;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.GraphSettings;
import org.redtest.zoo.LatencyMeter;
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
 * Trains one NATS candidate under the search budget and records accuracy, Params, FLOPs, latency
 * and MSRS in the candidate store. A degenerate cell is recorded as such without training.
 */
public final class CandidateEvaluator {
    private final LoadedData data;
    private final boolean augment;
    private final TrainingConfig budget;
    private final MeasurementSettings measurement;
    private final int channels;
    private final int cells;
    private final long seed;
    private final CandidateStore store;
    private final String budgetKey;
    private final Shape input;
    private final int classes;

    public CandidateEvaluator(LoadedData data, boolean augment, TrainingConfig budget, MeasurementSettings measurement,
                              int channels, int cells, long seed, CandidateStore store, String budgetKey) {
        this.data = data;
        this.augment = augment;
        this.budget = budget;
        this.measurement = measurement;
        this.channels = channels;
        this.cells = cells;
        this.seed = seed;
        this.store = store;
        this.budgetKey = budgetKey;
        this.input = new Shape(data.train().channels(), data.train().height(), data.train().width());
        this.classes = data.train().numClasses();
    }

    /** Evaluates a claimed candidate and stores the result. */
    public void evaluate(int index) {
        NatsCell cell = NatsCell.fromIndex(index);
        NatsArchitecture arch = new NatsArchitecture(cell, channels, cells);
        NetworkBlueprint bp = arch.blueprint(input, classes);
        if (NatsSpace.isDegenerate(cell)) {
            store.complete(budgetKey, index, CandidateStore.DEGENERATE, Double.NaN, bp.params(), bp.flops(), Double.NaN,
                    Double.NaN, Double.NaN, 0, SoftwareVersions.json());
            return;
        }
        long start = System.nanoTime();
        ComputationGraph graph = Dl4jGraphFactory.create(bp, new GraphSettings(seed, Trainer.updater(budget), budget.weightDecay()));
        Path scratch = scratchDirectory();
        try {
            var train = new ImageBatchIterator(data.train(), budget.batchSize(), true, augment, data.normalization(), seed);
            var test = new ImageBatchIterator(data.test(), budget.evalBatchSize(), false, false, data.normalization(), seed);
            // candidates are cheap to retrain: checkpoints go to a scratch directory removed afterwards
            double accuracy = new Trainer(budget, new CheckpointStore(scratch), (g, r) -> { }).train(graph, train, test)
                    .evaluation().top1();
            double seconds = (System.nanoTime() - start) / 1e9;
            double latency = LatencyMeter.medianSeconds(graph, input, 10, 21);
            Measurement m = RedundancyMeasurement.run(graph, arch, bp, data.test(), "test", data.normalization(),
                    measurement, null, null, null);
            store.complete(budgetKey, index, CandidateStore.DONE, accuracy, bp.params(), bp.flops(), latency,
                    m.summary().mean(), m.summary().std(), seconds, SoftwareVersions.json());
        } finally {
            graph.close();
            deleteRecursively(scratch);
        }
    }

    private static Path scratchDirectory() {
        try {
            return Files.createTempDirectory("redtest-candidate");
        } catch (IOException e) {
            throw new org.redtest.RedTestException("cannot create a scratch directory: " + e.getMessage());
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
