package org.redtest.training;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.config.TrainingConfig;
import org.redtest.data.ChannelNormalization;
import org.redtest.data.ImageBatchIterator;
import org.redtest.data.ImageDataset;
import org.redtest.engine.cpu.CpuAcceleration;
import org.redtest.testing.TinyData;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.Shape;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The loop tells a set's listeners in order: a listener the caller adds sees the epoch's checkpoint already written. */
class TrainingListenersTest {
    static {
        CpuAcceleration.configure();
    }

    @TempDir
    Path dir;

    @Test
    void anAddedListenerIsToldAfterTheEpochLogAndCheckpointAreWritten() {
        ImageDataset train = TinyData.learnable(32, 1, 8, 3, 1);
        ImageDataset test = TinyData.learnable(8, 1, 8, 3, 2);
        ChannelNormalization norm = ChannelNormalization.fromData(train);
        TrainingConfig t = TrainingConfig.builder().epochs(2).batchSize(16).learningRate(0.05).evalBatchSize(8).build();
        ComputationGraph graph = Dl4jGraphFactory.create(ModelSpec.parse("vgg:4,M,8").blueprint(new Shape(1, 8, 8), 3),
                Trainer.graphSettings(5, t));
        CheckpointStore store = new CheckpointStore(dir);
        List<String> told = new ArrayList<>();
        TrainingListener caller = new TrainingListener() {
            @Override
            public void onTrainingBegin(ComputationGraph g, int firstEpoch, int plannedEpochs) {
                told.add("begin " + firstEpoch + "/" + plannedEpochs);
            }

            @Override
            public void onEpochBegin(int epoch, long images) {
                told.add("epoch " + epoch + " of " + images);
            }

            @Override
            public void onTrainingBatch(int images, double loss) {
                told.add("batch " + images);
            }

            @Override
            public void onEpochBatchesEnd() {
                told.add("batches end");
            }

            @Override
            public void onEpoch(ComputationGraph g, EpochRecord record) {
                // the checkpoints come first in every set: the log and model.zip already hold this epoch
                assertEquals(record, store.readEpochLog().get(record.epoch() - 1));
                assertEquals(record.epoch(), Trainer.completedEpochs(CheckpointStore.load(store.modelFile())));
                told.add("epoch " + record.epoch() + " done");
            }
        };
        new Trainer(t, TrainingListeners.standard(store, () -> false).and(caller)).train(graph,
                new ImageBatchIterator(train, 16, true, false, norm, 3), new ImageBatchIterator(test, 8, false, false, norm, 3));
        assertEquals(List.of("begin 0/2", "epoch 0 of 32", "batch 16", "batch 16", "batches end", "epoch 1 done",
                "epoch 1 of 32", "batch 16", "batch 16", "batches end", "epoch 2 done"), told);
    }
}
