package org.redtest.training;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.redtest.config.TrainingConfig;
import org.redtest.data.ImageBatchIterator;
import org.redtest.engine.Engines;
import org.redtest.engine.TrainingSession;
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
 * SGD training with per-epoch evaluation and checkpointing. The graph's epoch counter is the
 * number of completed epochs and travels inside the checkpoint, so a killed run resumes from the
 * last completed epoch, with the same data order and learning rate it would have had.
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    /** Called after each completed epoch (1-based), after its checkpoint is safely written. */
    public interface EpochListener {
        void onEpoch(ComputationGraph graph, EpochRecord record);
    }

    public record Outcome(EvaluationResult evaluation, int epochsRun, double trainSeconds) {
    }

    private final TrainingConfig config;
    private final CheckpointStore store;
    private final EpochListener listener;
    private final BooleanSupplier stopRequested;

    public Trainer(TrainingConfig config, CheckpointStore store, EpochListener listener) {
        this(config, store, listener, () -> false);
    }

    /** {@code stopRequested} is asked before every batch; when it says yes, the epoch under way is abandoned. */
    public Trainer(TrainingConfig config, CheckpointStore store, EpochListener listener, BooleanSupplier stopRequested) {
        this.config = config;
        this.store = store;
        this.listener = listener;
        this.stopRequested = stopRequested;
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
        EvaluationResult last = null;
        double seconds = 0;
        // the log's records of the epochs the checkpoint holds; a record beyond them belongs to an epoch
        // whose model.zip never landed (killed in between) and is recomputed below
        List<EpochRecord> log = new ArrayList<>(
                store.readEpochLog().stream().filter(r -> r.epoch() <= first).toList());
        for (int epoch = first; epoch < config.epochs(); epoch++) {
            train.setEpoch(epoch);
            graph.getConfiguration().setEpochCount(epoch);
            double lossSum = 0;
            int batches = 0;
            TrainingProgress progress = new TrainingProgress(
                    String.format("epoch %d/%d", epoch + 1, config.epochs()), train.dataset().size());
            try (progress) {
                while (train.hasNext()) {
                    if (stopRequested.getAsBoolean()) {
                        // nothing of this epoch is saved: the checkpoint, log and rows stay at the last completed one
                        throw new TrainingInterrupted(epoch, config.epochs());
                    }
                    DataSet batch = train.next();
                    double loss = session.fit(batch);
                    // after the update, not only its loss: the step from finite parameters may leave them NaN
                    if (!Double.isFinite(loss) || !session.parametersFinite()) {
                        throw new TrainingDiverged(epoch + 1, config.epochs(), batches + 1,
                                train.numBatches(), config.learningRateAt(epoch),
                                Double.isFinite(loss) ? "a parameter is not finite" : "loss " + loss, store.hasModel());
                    }
                    lossSum += loss;
                    batches++;
                    progress.step(batch.numExamples(), loss);
                }
            }
            session.synchronize(); // the graph is the model of record: evaluated and saved below
            graph.getConfiguration().setEpochCount(epoch + 1);
            last = Evaluator.evaluate(graph, test);
            seconds += progress.seconds();
            var record = new EpochRecord(epoch + 1, config.learningRateAt(epoch), lossSum / batches,
                    last.top1(), last.top5(), last.loss(), progress.seconds(), progress.imagesPerSecond());
            // The save sequence: epoch log, then model.zip, then the database row. A kill at any
            // instant leaves the log >= the checkpoint >= the database, and a resume
            // (TrainStage.reconcile) writes the rows the database lacks from the log.
            log.add(record);
            store.writeEpochLog(log);
            CrashPoints.reach(CrashPoints.EPOCH_LOG_WRITTEN);
            store.saveModel(graph);
            CrashPoints.reach(CrashPoints.MODEL_SAVED);
            LOG.info(String.format("epoch %d/%d  lr %.4g  train loss %.4f  test top-1 %.2f%%  top-5 %.2f%%  (%.0f img/s, %.1f s)",
                    epoch + 1, config.epochs(), record.learningRate(), record.trainLoss(), last.top1(), last.top5(),
                    record.imagesPerSecond(), record.seconds()));
            listener.onEpoch(graph, record);
            CrashPoints.reach(CrashPoints.EPOCH_RECORDED);
        }
        if (last == null) {
            last = Evaluator.evaluate(graph, test);
        }
        return new Outcome(last, config.epochs() - first, seconds);
    }
}
