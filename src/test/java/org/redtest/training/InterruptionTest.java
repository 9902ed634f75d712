package org.redtest.training;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redtest.config.ConfigLoader;
import org.redtest.config.TrainingConfig;
import org.redtest.data.ChannelNormalization;
import org.redtest.data.DataLoader;
import org.redtest.data.ImageBatchIterator;
import org.redtest.data.ImageDataset;
import org.redtest.data.LoadedData;
import org.redtest.experiment.TrainStage;
import org.redtest.storage.ResultsDatabase;
import org.redtest.testing.TinyData;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.GraphSettings;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.Shape;
import org.redtest.testing.TinyCifarWorkspace;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17 item 2, in this JVM: a stop request abandons the epoch under way, leaves checkpoint, epoch log and
 * rows at the last completed epoch, marks the run 'interrupted', and the same training resumes from there;
 * the signal hook's own database write, when training does not stop in time. The real signal is sent to a
 * child process in {@link SignalChildTest}.
 */
class InterruptionTest {
    @RegisterExtension
    static final TinyCifarWorkspace WORK = new TinyCifarWorkspace(4, 21);

    @AfterEach
    void noHook() {
        CrashPoints.hook = point -> { };
    }

    @Test
    void aStopAfterTheFirstEpochIsRecordedAndTheSameTrainingResumes() {
        ConfigLoader.LoadedConfig loaded = CrashConsistencyTest.config(WORK.dir().resolve("stage"), WORK.cifar()); // 2 epochs
        LoadedData data = DataLoader.load(loaded.config().data());
        StopOnSignal stop = StopOnSignal.never();
        CrashPoints.hook = point -> {
            if (point.equals(CrashPoints.EPOCH_RECORDED)) {
                stop.request(); // as the signal hook does, between epoch 1's row and epoch 2's first batch
            }
        };
        List<EpochRecord> before;
        try (ResultsDatabase db = ResultsDatabase.open(loaded.config().databasePath())) {
            TrainingInterrupted e = assertThrows(TrainingInterrupted.class, () -> TrainStage.run(loaded, data, db, stop));
            assertEquals(1, e.completedEpochs());
            assertEquals(2, e.plannedEpochs());
            assertEquals("crash", e.run());
            assertEquals(loaded.config().runDirectory().resolve(CheckpointStore.MODEL_FILE), e.checkpoint());
            long id = db.runId("crash").orElseThrow();
            assertEquals("interrupted", db.runStatus(id));
            before = db.epochs(id);
            assertEquals(List.of(1), before.stream().map(EpochRecord::epoch).toList());
        }
        CrashPoints.hook = point -> { };
        CheckpointStore store = new CheckpointStore(loaded.config().runDirectory());
        assertEquals(1, Trainer.completedEpochs(CheckpointStore.load(store.modelFile())));
        assertEquals(before, store.readEpochLog());

        try (ResultsDatabase db = ResultsDatabase.open(loaded.config().databasePath())) {
            TrainStage.run(loaded, data, db, StopOnSignal.never());
            long id = db.runId("crash").orElseThrow();
            assertEquals("finished", db.runStatus(id));
            List<EpochRecord> rows = db.epochs(id);
            assertEquals(List.of(1, 2), rows.stream().map(EpochRecord::epoch).toList());
            assertEquals(before.get(0), rows.get(0), "epoch 1 is not trained again");
        }
    }

    @Test
    void aStopInTheMiddleOfAnEpochAbandonsIt() {
        ImageDataset train = TinyData.learnable(48, 1, 8, 3, 1);
        ImageDataset test = TinyData.learnable(12, 1, 8, 3, 2);
        ChannelNormalization norm = ChannelNormalization.fromData(train);
        TrainingConfig t = TrainingConfig.builder().epochs(3).batchSize(16).learningRate(0.05).weightDecay(5e-4)
                .lrMilestones(List.of(2)).evalBatchSize(12).build();
        ComputationGraph graph = Dl4jGraphFactory.create(ModelSpec.parse("vgg:4,M,8").blueprint(new Shape(1, 8, 8), 3),
                new GraphSettings(5, Trainer.updater(t), t.weightDecay()));
        CheckpointStore store = new CheckpointStore(WORK.dir().resolve("mid"));
        AtomicInteger checks = new AtomicInteger();
        List<EpochRecord> recorded = new ArrayList<>();
        // 3 batches an epoch: the 5th check is before epoch 2's second batch
        Trainer trainer = new Trainer(t, store, (g, r) -> recorded.add(r), () -> checks.incrementAndGet() >= 5);
        TrainingInterrupted e = assertThrows(TrainingInterrupted.class, () -> trainer.train(graph,
                new ImageBatchIterator(train, 16, true, false, norm, 3), new ImageBatchIterator(test, 12, false, false, norm, 3)));
        assertEquals(1, e.completedEpochs());
        assertEquals(5, checks.get());
        assertEquals(1, recorded.size(), "epoch 2 was not recorded");
        assertEquals(1, Trainer.completedEpochs(CheckpointStore.load(store.modelFile())), "nor saved");
        assertEquals(recorded, store.readEpochLog());
    }

    /**
     * When training does not stop in time, the hook marks the run on a connection of its own while the main
     * thread goes on writing epoch rows on the shared one: both succeed (SQLite serialises them). The hook is
     * signalled only once the main thread is writing, and the main thread stops only after a write that follows
     * the hook's mark, so the two always overlap however the threads are scheduled; every wait is bounded.
     */
    @Test
    void theHookMarksTheRunItselfWhenTrainingDoesNotStopInTime() throws Exception {
        Path file = WORK.dir().resolve("hook.db");
        try (ResultsDatabase db = ResultsDatabase.open(file)) {
            long id = db.startRun(new ResultsDatabase.RunStart("slow", "train", null, "h", 1, "cifar10", "vgg:4", 1, 1, 500, "{}"));
            // nothing ever settles the hook here, so it marks the run once this wait is over, whatever its length
            StopOnSignal stop = StopOnSignal.unhooked(Duration.ofMillis(200));
            stop.guard(file, () -> ResultsDatabase.markInterrupted(file, id));
            CountDownLatch writing = new CountDownLatch(1);
            AtomicBoolean hookReturned = new AtomicBoolean();
            AtomicInteger writesAfterMark = new AtomicInteger();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Thread main = new Thread(() -> {
                try {
                    for (int e = 1; writesAfterMark.get() == 0 && System.nanoTime() < deadline; e++) {
                        boolean marked = hookReturned.get();
                        db.recordEpoch(id, new EpochRecord(e, 0.1, 1, 10, 50, 1, 1, 1));
                        writing.countDown();
                        if (marked) {
                            writesAfterMark.incrementAndGet();
                        }
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            });
            main.start();
            assertTrue(writing.await(30, TimeUnit.SECONDS), "the main thread wrote its first row");
            Thread hook = new Thread(stop::onSignal);
            hook.start();
            hook.join(30_000);
            assertFalse(hook.isAlive(), "the hook returned after its wait");
            hookReturned.set(true);
            main.join(30_000);
            assertFalse(main.isAlive(), "the main thread stopped");
            assertTrue(failures.isEmpty(), "main thread's writes: " + failures);
            assertEquals(1, writesAfterMark.get(), "the main thread wrote on after the hook's mark");
            assertTrue(stop.requested());
            assertEquals("interrupted", db.runStatus(id), "marked by the hook");
        }
    }

    @Test
    void theHookLeavesTheRunToTrainingThatStopsInTime() throws Exception {
        Path file = WORK.dir().resolve("settled.db");
        try (ResultsDatabase db = ResultsDatabase.open(file)) {
            long id = db.startRun(new ResultsDatabase.RunStart("quick", "train", null, "h", 1, "cifar10", "vgg:4", 1, 1, 5, "{}"));
            StopOnSignal stop = StopOnSignal.unhooked(Duration.ofSeconds(30));
            stop.guard(file, () -> ResultsDatabase.markInterrupted(file, id));
            Thread hook = new Thread(stop::onSignal);
            hook.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!stop.requested() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertTrue(stop.requested(), "the hook asked training to stop");
            db.finishRun(id, 1, 1, 1, 1); // training got to its end meanwhile
            stop.close();
            hook.join(10_000);
            assertFalse(hook.isAlive(), "close() lets the hook return");
            assertEquals("finished", db.runStatus(id));
        }
    }
}
