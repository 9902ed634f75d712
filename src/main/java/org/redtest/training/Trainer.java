package org.redtest.training;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.redtest.config.TrainingConfig;
import org.redtest.data.ImageBatchIterator;
import org.redtest.data.ImageDataset;
import org.redtest.engine.Engines;
import org.redtest.engine.TrainingSession;
import org.redtest.zoo.GraphSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * SGD training with per-epoch evaluation: a loop over epochs and batches that tells its
 * {@link TrainingListeners} what it does (checkpoints, rows, probe, progress and stopping are theirs). The
 * graph's epoch counter is the number of completed epochs and travels inside the checkpoint, so a killed run
 * resumes from the last completed epoch, with the same data order and learning rate it would have had.
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    /** A listener of completed epochs only (told after the epoch's checkpoint is safely written). */
    public interface EpochListener extends TrainingListener {
        @Override
        void onEpoch(ComputationGraph graph, EpochRecord record);
    }

    public record Outcome(EvaluationResult evaluation, int epochsRun, double trainSeconds) {
    }

    private final TrainingConfig config;
    private final TrainingListeners listeners;

    public Trainer(TrainingConfig config, TrainingListeners listeners) {
        this.config = config;
        this.listeners = listeners;
    }

    /** {@link TrainingListeners#basic} in {@code store}, then {@code listener}. */
    public Trainer(TrainingConfig config, CheckpointStore store, EpochListener listener) {
        this(config, TrainingListeners.basic(store).and(listener));
    }

    /** {@link TrainingListeners#standard} (asking {@code stopRequested} before every batch), then {@code listener}. */
    public Trainer(TrainingConfig config, CheckpointStore store, EpochListener listener, BooleanSupplier stopRequested) {
        this(config, TrainingListeners.standard(store, stopRequested).and(listener));
    }

    /**
     * The graph settings of a model trained with {@code t}: the one place a training's graph gets its updater and
     * weight decay. The learning rate lives in the {@link TrainingConfig} ({@code learning_rate}, {@code lr_milestones},
     * {@code lr_gamma}, read as {@link TrainingConfig#learningRateAt}); the DL4J schedule inside the graph (and so in
     * the checkpoint) is built from that same method by {@link #updater}, and the epoch records, the log line and a
     * divergence message read it from there too, so the two agree by construction. (It is not a factory on
     * {@code zoo.GraphSettings}: {@code config} imports {@code zoo}, so {@code zoo} cannot know a {@code TrainingConfig}.)
     */
    public static GraphSettings graphSettings(long seed, TrainingConfig t) {
        return new GraphSettings(seed, updater(t), t.weightDecay());
    }

    /**
     * SGD with Nesterov momentum (DL4J has no classical-momentum SGD) and the multi-step schedule,
     * keyed by epoch so that it survives a resume.
     */
    public static IUpdater updater(TrainingConfig t) {
        Map<Integer, Double> rates = new HashMap<>();
        rates.put(0, t.learningRate());
        for (int m : t.lrMilestones()) {
            rates.put(m, t.learningRateAt(m));
        }
        return new Nesterovs(new MapSchedule(ScheduleType.EPOCH, rates), t.momentum());
    }

    public static int completedEpochs(ComputationGraph graph) {
        return graph.getConfiguration().getEpochCount();
    }

    /**
     * Writes to the database every epoch the checkpoint has completed that it lacks, from the
     * checkpoint directory's epoch log: after a kill between {@code model.zip}'s rename and the
     * epoch's row, the row is restored instead of lost for good. Returns the epochs restored.
     *
     * @param recorded the run's epoch rows now in the database
     * @param record   writes one missing row
     */
    public static List<Integer> reconcile(CheckpointStore store, ComputationGraph graph, List<EpochRecord> recorded,
                                          Consumer<EpochRecord> record) {
        int completed = completedEpochs(graph);
        Set<Integer> present = new HashSet<>();
        recorded.forEach(r -> present.add(r.epoch()));
        List<Integer> restored = new ArrayList<>();
        for (EpochRecord r : store.readEpochLog()) {
            if (r.epoch() <= completed && !present.contains(r.epoch())) {
                record.accept(r);
                restored.add(r.epoch());
            }
        }
        if (!restored.isEmpty()) {
            LOG.info("restored the database rows of epochs {} from {}", restored, store.directory().resolve(CheckpointStore.EPOCH_LOG_FILE));
        }
        return restored;
    }

    /** Trains from the graph's completed-epoch count up to {@code config.epochs()}, on the process's engine. */
    public Outcome train(ComputationGraph graph, ImageBatchIterator train, ImageBatchIterator test) {
        try (TrainingSession session = Engines.current().training(graph)) {
            return train(session, graph, train, test);
        }
    }

    private Outcome train(TrainingSession session, ComputationGraph graph, ImageBatchIterator train,
                          ImageBatchIterator test) {
        int first = completedEpochs(graph);
        if (first >= config.epochs()) {
            LOG.info("the checkpoint has completed all {} epochs: nothing left to train", config.epochs());
        } else if (first > 0) {
            LOG.info("resuming from the checkpoint after epoch {} of {}", first, config.epochs());
        }
        List<TrainingListener> told = listeners.all();
        told.forEach(l -> l.onTrainingBegin(graph, first, config.epochs()));
        if (first < config.epochs()) {
            // the engine's one-time set-up (plan, buffers, kernels per batch size) before the first epoch's clock,
            // as building the model is
            long t0 = System.nanoTime();
            ImageDataset d = train.dataset();
            int batch = Math.min(train.batch(), d.size());
            int last = d.size() % batch;
            session.prepare(batch, d.channels(), d.height(), d.width());
            if (last != 0) {
                session.prepare(last, d.channels(), d.height(), d.width());
            }
            LOG.info("engine ready for batches of {}{} in {} s", batch, last == 0 ? "" : " and " + last,
                    String.format("%.2f", (System.nanoTime() - t0) / 1e9));
        }
        EvaluationResult last = null;
        double seconds = 0;
        for (int epoch = first; epoch < config.epochs(); epoch++) {
            train.setEpoch(epoch);
            graph.getConfiguration().setEpochCount(epoch);
            double lossSum = 0;
            int batches = 0;
            EpochClock clock = new EpochClock();
            int e = epoch;
            told.forEach(l -> l.onEpochBegin(e, train.dataset().size()));
            try {
                while (train.hasNext()) {
                    told.forEach(l -> l.beforeBatch(e));
                    DataSet batch = train.next();
                    double loss = session.fit(batch);
                    // after the update, not only its loss: the step from finite parameters may leave them NaN
                    if (!Double.isFinite(loss) || !session.parametersFinite()) {
                        throw new TrainingDiverged(epoch + 1, config.epochs(), batches + 1,
                                train.numBatches(), config.learningRateAt(epoch),
                                Double.isFinite(loss) ? "a parameter is not finite" : "loss " + loss,
                                listeners.checkpointKept());
                    }
                    lossSum += loss;
                    batches++;
                    clock.count(batch.numExamples());
                    told.forEach(l -> l.onTrainingBatch(batch.numExamples(), loss));
                }
                clock.stop();
            } finally {
                told.forEach(TrainingListener::onEpochBatchesEnd);
            }
            session.synchronize(); // the graph is the model of record: evaluated and saved below
            graph.getConfiguration().setEpochCount(epoch + 1);
            last = Evaluator.evaluate(graph, test);
            seconds += clock.seconds();
            var record = new EpochRecord(epoch + 1, config.learningRateAt(epoch), lossSum / batches,
                    last.top1(), last.top5(), last.loss(), clock.seconds(), clock.imagesPerSecond());
            // the save sequence is the listeners' order: the checkpoints (epoch log, then model.zip) come first
            // in every set, the caller's database row after them
            told.forEach(l -> l.onEpoch(graph, record));
            CrashPoints.reach(CrashPoints.EPOCH_RECORDED);
        }
        if (last == null) {
            last = Evaluator.evaluate(graph, test);
        }
        return new Outcome(last, config.epochs() - first, seconds);
    }
}
