package org.redtest.training;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.RedTestException;
import org.redtest.config.TrainingConfig;
import org.redtest.data.ChannelNormalization;
import org.redtest.data.ImageBatchIterator;
import org.redtest.data.ImageDataset;
import org.redtest.engine.cpu.CpuAcceleration;
import org.redtest.storage.ResultsDatabase;
import org.redtest.testing.TinyData;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.GraphSettings;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {
    static {
        CpuAcceleration.configure();
    }

    private static final ImageDataset TRAIN = TinyData.learnable(48, 1, 8, 3, 1);
    private static final ImageDataset TEST = TinyData.learnable(24, 1, 8, 3, 2);
    private static final ChannelNormalization NORM = ChannelNormalization.fromData(TRAIN);

    @TempDir
    Path dir;

    private static TrainingConfig recipe(int epochs, double lr) {
        return TrainingConfig.builder().epochs(epochs).batchSize(16).learningRate(lr).weightDecay(5e-4)
                .lrMilestones(List.of(1)).evalBatchSize(32).build();
    }

    private static ComputationGraph newGraph(TrainingConfig t) {
        NetworkBlueprint bp = ModelSpec.parse("resnet:1-1-1").blueprint(new Shape(1, 8, 8), 3);
        return Dl4jGraphFactory.create(bp, new GraphSettings(5, Trainer.updater(t), t.weightDecay()));
    }

    private static Trainer.Outcome train(ComputationGraph g, TrainingConfig t, CheckpointStore store,
                                         List<EpochRecord> records) {
        return new Trainer(t, store, (graph, r) -> records.add(r)).train(g,
                new ImageBatchIterator(TRAIN, t.batchSize(), true, true, NORM, 3),
                new ImageBatchIterator(TEST, t.evalBatchSize(), false, false, NORM, 3));
    }

    /** Resuming from the epoch-1 checkpoint (weights, momentum, epoch counter, data order) equals training straight through. */
    @Test
    void resumedTrainingMatchesUninterruptedTraining() {
        List<EpochRecord> straightRecords = new ArrayList<>();
        ComputationGraph straight = newGraph(recipe(2, 0.05));
        train(straight, recipe(2, 0.05), new CheckpointStore(dir.resolve("a")), straightRecords);

        CheckpointStore store = new CheckpointStore(dir.resolve("b"));
        List<EpochRecord> resumedRecords = new ArrayList<>();
        train(newGraph(recipe(1, 0.05)), recipe(1, 0.05), store, resumedRecords);
        ComputationGraph reloaded = store.loadModel().orElseThrow();
        assertEquals(1, Trainer.completedEpochs(reloaded));
        Trainer.Outcome outcome = train(reloaded, recipe(2, 0.05), store, resumedRecords);

        assertEquals(1, outcome.epochsRun());
        assertEquals(2, Trainer.completedEpochs(reloaded));
        assertEquals(List.of(1, 2), resumedRecords.stream().map(EpochRecord::epoch).toList());
        float[] a = straight.params().toFloatVector();
        float[] b = reloaded.params().toFloatVector();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-4 + 1e-3 * Math.abs(a[i]), "parameter " + i);
        }
        assertEquals(straightRecords.get(1).trainLoss(), resumedRecords.get(1).trainLoss(), 1e-3);
    }

    @Test
    void learningRateFollowsTheMilestonesByEpoch() {
        TrainingConfig t = recipe(2, 0.1);
        List<EpochRecord> records = new ArrayList<>();
        ComputationGraph g = newGraph(t);
        train(g, t, new CheckpointStore(dir), records);
        assertEquals(0.1, records.get(0).learningRate(), 1e-12);
        assertEquals(0.01, records.get(1).learningRate(), 1e-12);
        assertEquals(0.01, g.getLearningRate("stem.conv"), 1e-9, "DL4J's schedule agrees with the recorded rate");
    }

    @Test
    void finishedRunTrainsNoFurther() {
        TrainingConfig t = recipe(1, 0.05);
        CheckpointStore store = new CheckpointStore(dir);
        train(newGraph(t), t, store, new ArrayList<>());
        ComputationGraph g = store.loadModel().orElseThrow();
        float[] before = g.params().toFloatVector();
        Trainer.Outcome outcome = train(g, t, store, new ArrayList<>());
        assertEquals(0, outcome.epochsRun());
        assertArrayEquals(before, g.params().toFloatVector());
    }

    @Test
    void divergenceStopsWithAClearErrorAndKeepsTheLastCheckpoint() throws Exception {
        CheckpointStore store = new CheckpointStore(dir);
        train(newGraph(recipe(1, 0.05)), recipe(1, 0.05), store, new ArrayList<>());
        byte[] good = Files.readAllBytes(store.modelFile());
        ComputationGraph g = store.loadModel().orElseThrow();
        TrainingConfig explosive = TrainingConfig.builder().epochs(2).batchSize(16).learningRate(1e30).weightDecay(0)
                .lrMilestones(List.of(50)).evalBatchSize(32).build();
        g.setLearningRate(1e30);
        var e = assertThrows(RedTestException.class, () -> train(g, explosive, store, new ArrayList<>()));
        assertTrue(e.getMessage().contains("training diverged in epoch 2 of 2"), e.getMessage());
        assertArrayEquals(good, Files.readAllBytes(store.modelFile()));
    }
}
