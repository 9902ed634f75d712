package org.redtest.experiment;

import org.redtest.RedTestException;
import org.redtest.config.ExperimentConfig;
import org.redtest.config.TrainingConfig;
import org.redtest.data.ImageDataset;
import org.redtest.data.LoadedData;
import org.redtest.engine.cpu.CpuAcceleration;
import org.redtest.training.CheckpointStore;
import org.redtest.training.LongRunGuard;
import org.redtest.training.Trainer;
import org.redtest.training.TrainingEstimate;
import org.redtest.training.TrainingThroughputProbe;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.GraphSettings;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;

/**
 * Before a train stage starts a new run: measure how fast this machine trains the model, print the
 * estimate, and stop (before anything is written) when {@link LongRunGuard} refuses it.
 */
final class TrainingTimeCheck {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingTimeCheck.class);

    private TrainingTimeCheck() {
    }

    static void run(LongRunGuard guard, ExperimentConfig cfg, LoadedData data) {
        TrainingConfig t = cfg.training();
        ImageDataset train = data.train();
        int batch = TrainingThroughputProbe.batchSize(t.batchSize(), train.size());
        CheckpointStore store = new CheckpointStore(cfg.runDirectory());
        // run.json is written as a run starts: with it (or a checkpoint) this is a resume
        boolean started = store.hasModel() || Files.exists(store.metadataFile());
        boolean cpu = "CPU".equalsIgnoreCase(CpuAcceleration.status().backend());
        if (!guard.needsEstimate(cpu, started, (long) t.epochs() * train.size(), TrainingThroughputProbe.maxImages(batch))) {
            return;
        }
        NetworkBlueprint blueprint = cfg.model().architecture()
                .blueprint(new Shape(train.channels(), train.height(), train.width()), train.numClasses());
        GraphSettings settings = Trainer.graphSettings(cfg.seed(), t);
        double rate = TrainingThroughputProbe.imagesPerSecond(() -> Dl4jGraphFactory.create(blueprint, settings), batch,
                train.channels(), train.height(), train.width(), train.numClasses());
        LongRunGuard.Decision decision = guard.decide(new TrainingEstimate(blueprint.spec(), t.epochs(), train.size(), rate));
        if (!decision.proceed()) {
            throw new RedTestException(decision.message());
        }
        LOG.info(decision.message());
    }
}
