package org.redtest.training;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.config.ConfigLoader;
import org.redtest.data.DataLoader;
import org.redtest.data.LoadedData;
import org.redtest.experiment.TrainStage;
import org.redtest.engine.cpu.CpuAcceleration;
import org.redtest.storage.ResultsDatabase;
import org.redtest.testing.TinyData;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15 item 1: a training run killed at any instant of the per-epoch save sequence (epoch log,
 * model.zip, database row) never leaves the checkpoint and the database disagreeing once it is
 * resumed: every epoch the checkpoint completed has its row, with the metrics measured then.
 * The kill is simulated in-process: the hook throws an Error at the named instant, so no later step
 * of the sequence runs (files already renamed and rows already committed stay, temporary files
 * stay behind, nothing is cleaned up); the database is then closed and everything is reopened from
 * disk, as a new process would.
 */
class CrashConsistencyTest {
    private static final int EPOCHS = 2;

    @TempDir
    static Path dir;
    static Path cifar;

    /** What {@code kill -9} does to the JVM, as far as the files and the database can tell. */
    static final class SimulatedKill extends Error {
        SimulatedKill(String point) {
            super("killed at " + point);
        }
    }

    @BeforeAll
    static void setUp() throws Exception {
        CpuAcceleration.configure();
        cifar = TinyData.writeCifar10(dir.resolve("cifar"), 4, 21);
    }

    @AfterEach
    void noKills() {
        CrashPoints.hook = point -> { };
    }

    static ConfigLoader.LoadedConfig config(Path out, Path cifar) {
        return ConfigLoader.parse("""
                name: crash
                model: vgg:4,M,8
                seed: 3
                output_dir: %s
                data: {dataset: cifar10, dir: %s, augment: false}
                training: {epochs: %d, batch_size: 20, learning_rate: 0.05, lr_milestones: [1], eval_batch_size: 4}
                stages: [train]
                """.formatted(out, cifar, EPOCHS), "crash.yaml");
    }

    @Test
    void checkpointAndEpochRowsAgreeAfterAKillAtEveryPointOfTheSaveSequence() {
        String[] points = {
                CrashPoints.BEFORE_RENAME + CheckpointStore.EPOCH_LOG_FILE,
                CrashPoints.EPOCH_LOG_WRITTEN,
                CrashPoints.BEFORE_RENAME + CheckpointStore.MODEL_FILE,
                CrashPoints.MODEL_SAVED, // the hole the issue found: model.zip renamed, the epoch's row not yet written
                CrashPoints.EPOCH_RECORDED,
        };
        List<String> scenarios = new ArrayList<>();
        for (String point : points) {
            for (int epoch : new int[]{1, EPOCHS}) { // mid-run, and the last epoch (the run looks finished)
                scenarios.add(point + "@" + epoch);
                killAndResume(dir.resolve("s" + scenarios.size()), point, epoch);
            }
        }
        assertEquals(10, scenarios.size());
    }

    private static void killAndResume(Path out, String point, int killEpoch) {
        ConfigLoader.LoadedConfig loaded = config(out, cifar);
        LoadedData data = DataLoader.load(loaded.config().data());
        int[] reached = {0};
        CrashPoints.hook = p -> {
            if (p.equals(point) && ++reached[0] == killEpoch) {
                throw new SimulatedKill(p + " in epoch " + killEpoch);
            }
        };
        try (ResultsDatabase db = ResultsDatabase.open(loaded.config().databasePath())) {
            assertThrows(SimulatedKill.class, () -> TrainStage.run(loaded, data, db), point);
        }
        CrashPoints.hook = p -> { };
        checkAgreementThenResume(loaded, data, point + " in epoch " + killEpoch);
    }

    private static void checkAgreementThenResume(ConfigLoader.LoadedConfig loaded, LoadedData data, String what) {

        // right after the kill: the log holds at least what the checkpoint holds, the checkpoint at least the rows
        CheckpointStore store = new CheckpointStore(loaded.config().runDirectory());
        int completed = store.hasModel() ? Trainer.completedEpochs(CheckpointStore.load(store.modelFile())) : 0;
        List<Integer> logged = store.readEpochLog().stream().map(EpochRecord::epoch).toList();
        try (ResultsDatabase db = ResultsDatabase.open(loaded.config().databasePath())) {
            List<Integer> rows = db.epochs(db.runId("crash").orElseThrow()).stream().map(EpochRecord::epoch).toList();
            assertTrue(logged.containsAll(range(completed)), what + ": log " + logged + " vs checkpoint " + completed);
            assertTrue(range(completed).containsAll(rows), what + ": rows " + rows + " beyond checkpoint " + completed);
        }

        // resumed (a new process): every completed epoch has its row, with the metrics recorded when it ran
        try (ResultsDatabase db = ResultsDatabase.open(loaded.config().databasePath())) {
            TrainStage.run(loaded, data, db);
            long runId = db.runId("crash").orElseThrow();
            List<EpochRecord> rows = db.epochs(runId);
            assertEquals(range(EPOCHS), rows.stream().map(EpochRecord::epoch).toList(), what);
            assertEquals(store.readEpochLog(), rows, what + ": rows equal the checkpoint's epoch log");
            assertEquals(EPOCHS, Trainer.completedEpochs(CheckpointStore.load(store.modelFile())), what);
            assertEquals("finished", db.runStatus(runId), what);
        }
    }

    /**
     * The real thing at the instant the issue found: a child JVM halted (as by {@code kill -9}: no
     * finally blocks, no shutdown hooks) after model.zip's rename and before the epoch's row, in the
     * middle and in the last epoch; then resumed here.
     */
    @Test
    void aHaltedChildProcessLosesNoEpochRow() throws Exception {
        for (int epoch : new int[]{1, EPOCHS}) {
            Path out = dir.resolve("child" + epoch);
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-cp", System.getProperty("java.class.path")));
            for (String property : new String[]{"org.eclipse.deeplearning4j.helpers.disable", "org.bytedeco.javacpp.platform.extension"}) {
                if (System.getProperty(property) != null) {
                    command.add("-D" + property + "=" + System.getProperty(property));
                }
            }
            command.addAll(List.of(KillPointChild.class.getName(), out.toString(), cifar.toString(),
                    CrashPoints.MODEL_SAVED, String.valueOf(epoch)));
            Process child = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("child" + epoch + ".log").toFile()).start();
            assertTrue(child.waitFor(90, java.util.concurrent.TimeUnit.SECONDS), "the child finishes or halts");
            assertEquals(KillPointChild.HALTED, child.exitValue(),
                    "halted at the kill point: " + Files.readString(dir.resolve("child" + epoch + ".log")));
            ConfigLoader.LoadedConfig loaded = config(out, cifar);
            checkAgreementThenResume(loaded, DataLoader.load(loaded.config().data()), "child halted at model-saved in epoch " + epoch);
        }
    }

    private static List<Integer> range(int n) {
        return IntStream.rangeClosed(1, n).boxed().toList();
    }

    @Test
    void aCheckpointWithoutAnEpochLogStillResumes() throws Exception {
        Path out = dir.resolve("legacy");
        ConfigLoader.LoadedConfig loaded = config(out, cifar);
        LoadedData data = DataLoader.load(loaded.config().data());
        try (ResultsDatabase db = ResultsDatabase.open(loaded.config().databasePath())) {
            TrainStage.run(loaded, data, db);
        }
        Files.delete(loaded.config().runDirectory().resolve(CheckpointStore.EPOCH_LOG_FILE)); // a run from before the log
        try (ResultsDatabase db = ResultsDatabase.open(loaded.config().databasePath())) {
            TrainStage.run(loaded, data, db);
            assertEquals(EPOCHS, db.epochs(db.runId("crash").orElseThrow()).size());
        }
    }
}
