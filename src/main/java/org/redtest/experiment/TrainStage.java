package org.redtest.experiment;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.redtest.RedTestException;
import org.redtest.config.ConfigLoader;
import org.redtest.config.ExperimentConfig;
import org.redtest.config.MeasureConfig;
import org.redtest.measure.MeasurementSettings;
import org.redtest.measure.TrainingRedundancyProbe;
import org.redtest.zoo.ArchitectureSpec;
import org.redtest.zoo.Architecture;
import org.redtest.config.TrainingConfig;
import org.redtest.data.ImageBatchIterator;
import org.redtest.data.LoadedData;
import org.redtest.provenance.SoftwareVersions;
import org.redtest.storage.EpochRows;
import org.redtest.storage.ResultsDatabase;
import org.redtest.storage.RunFailure;
import org.redtest.training.CheckpointStore;
import org.redtest.training.EvaluationResult;
import org.redtest.training.RunMetadata;
import org.redtest.training.StopOnSignal;
import org.redtest.training.TrainedModel;
import org.redtest.training.Trainer;
import org.redtest.training.TrainingInterrupted;
import org.redtest.training.TrainingListeners;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.ModelSize;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * The {@code train} stage: builds the model (or resumes it from the run's checkpoint), trains it
 * with the configured recipe and records the run, epoch by epoch, in the results database.
 */
public final class TrainStage implements Stage {
    private static final Logger LOG = LoggerFactory.getLogger(TrainStage.class);

    /** The trained model (with its checkpoint and run.json), the run's id and its final evaluation. */
    public record Result(TrainedModel model, long runId, EvaluationResult evaluation) {
    }

    private final StopOnSignal stop;

    /** @param stop what ends the training cleanly (SIGINT, SIGTERM; see TrainCommand) */
    public TrainStage(StopOnSignal stop) {
        this.stop = stop;
    }

    @Override
    public void run(ExperimentRun run) {
        Result r = run(run.loaded(), run.data(), run.db(), stop);
        run.trained(r.model(), r.runId());
    }

    public static Result run(ConfigLoader.LoadedConfig loaded, LoadedData data, ResultsDatabase db) {
        return run(loaded, data, db, StopOnSignal.never());
    }

    /**
     * As above; when {@code stop} is requested (SIGINT, SIGTERM), the epoch under way is abandoned, the run
     * is marked 'interrupted' and {@link TrainingInterrupted} says what is saved.
     */
    public static Result run(ConfigLoader.LoadedConfig loaded, LoadedData data, ResultsDatabase db, StopOnSignal stop) {
        ExperimentConfig cfg = loaded.config();
        TrainingConfig t = cfg.training();
        CheckpointStore store = new CheckpointStore(cfg.runDirectory());
        RunMetadata metadata = metadata(loaded, data);
        store.readText(CheckpointStore.METADATA_FILE)
                .map(json -> RunMetadata.fromJson(json, store.metadataFile()))
                .filter(previous -> !previous.configHash().equals(loaded.hash()))
                .ifPresent(previous -> {
                    throw new RedTestException("run directory " + store.directory() + " holds a run with a different "
                            + "configuration; choose another run name (key 'name') or move that directory away");
                });
        Architecture architecture = cfg.model().architecture();
        NetworkBlueprint blueprint = architecture.blueprint(metadata.inputShape(), metadata.classes());
        ModelSize.requireFits(blueprint, t.batchSize()); // before any graph is built or row written
        ComputationGraph graph = store.loadModel().orElseGet(() -> Dl4jGraphFactory.create(blueprint,
                Trainer.graphSettings(cfg.seed(), t)));
        CheckpointStore.requireMatches(graph, blueprint, store.modelFile());
        if (Trainer.completedEpochs(graph) == 0 && !store.hasModel()) {
            LOG.info("training {} ({} params, {} FLOPs) on {} train / {} test images of {}", blueprint.spec(),
                    blueprint.params(), blueprint.flops(), data.train().size(), data.test().size(), data.train().name());
        }
        store.writeText(CheckpointStore.METADATA_FILE, metadata.toJson());
        long runId = db.startRun(new ResultsDatabase.RunStart(cfg.name(), "train", loaded.text(), loaded.hash(),
                cfg.seed(), data.train().name(), blueprint.spec(), blueprint.params(), blueprint.flops(), t.epochs(),
                SoftwareVersions.json()));
        Path file = db.file();
        stop.guard(file, () -> ResultsDatabase.markInterrupted(file, runId));

        // a kill after model.zip's rename left its epoch's row unwritten
        EpochRows rows = new EpochRows(db, runId);
        rows.restoreFrom(store, graph);
        ImageBatchIterator trainIt = new ImageBatchIterator(data.train(), t.batchSize(), true,
                cfg.data().augmentOrDefault(), data.normalization(), cfg.seed());
        ImageBatchIterator testIt = new ImageBatchIterator(data.test(), t.evalBatchSize(), false, false,
                data.normalization(), cfg.seed());
        TrainingRedundancyProbe probe = probe(cfg, data, blueprint, db, runId, store);
        Trainer.Outcome outcome;
        EvaluationResult e;
        try {
            TrainingListeners listeners = TrainingListeners.standard(store, stop::requested).and(rows);
            outcome = new Trainer(t, probe == null ? listeners : listeners.and(probe)).train(graph, trainIt, testIt);
            e = outcome.evaluation();
            db.finishRun(runId, e.top1(), e.top5(), e.loss(), rows.totalSeconds());
        } catch (TrainingInterrupted interrupted) {
            db.markInterrupted(runId);
            throw interrupted.of(cfg.name(), store.hasModel() ? store.modelFile() : null, db.file());
        } catch (RuntimeException | Error failure) {
            RunFailure.record(db, runId, failure);
            throw failure;
        }
        stop.release();
        TrainedModel model = TrainedModel.of(graph, architecture, blueprint, data.normalization())
                .savedAs(store.modelFile(), metadata);
        return new Result(model, runId, e);
    }

    /** The during-training MSRS probe, when measure.every_epochs asks for one. */
    private static TrainingRedundancyProbe probe(ExperimentConfig cfg, LoadedData data, NetworkBlueprint blueprint,
                                                 ResultsDatabase db, long runId, CheckpointStore store) {
        MeasureConfig m = cfg.measure();
        if (m.everyEpochs() < 1) {
            return null;
        }
        Architecture architecture = cfg.model().architecture();
        MeasurementSettings settings = MeasurementSettings.from(m, architecture.family(), cfg.seed())
                .withBatches(m.probeBatches());
        return new TrainingRedundancyProbe(architecture, blueprint, data.test(), data.normalization(), settings,
                m.everyEpochs(), db, runId, store.directory().resolve("msrs-during-training.png"));
    }

    private static RunMetadata metadata(ConfigLoader.LoadedConfig loaded, LoadedData data) {
        ExperimentConfig cfg = loaded.config();
        var train = data.train();
        return new RunMetadata(cfg.name(), ArchitectureSpec.of(cfg.model().architecture()),
                new Shape(train.channels(), train.height(), train.width()), train.numClasses(), cfg.data(),
                data.normalization().mean(), data.normalization().std(), cfg.seed(), loaded.hash(),
                cfg.training().epochs(), cfg.training());
    }
}
