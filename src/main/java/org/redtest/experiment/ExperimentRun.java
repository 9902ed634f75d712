package org.redtest.experiment;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.redtest.RedTestException;
import org.redtest.config.ConfigLoader;
import org.redtest.config.ExperimentConfig;
import org.redtest.config.StageName;
import org.redtest.config.TrainingConfig;
import org.redtest.data.DataLoader;
import org.redtest.data.DataSpec;
import org.redtest.data.LoadedData;
import org.redtest.storage.ResultsDatabase;
import org.redtest.training.CheckpointStore;
import org.redtest.training.RunMetadata;
import org.redtest.training.TrainedModel;
import org.redtest.zoo.ArchitectureSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the stages of one experiment share: its settings, data, database and output, and what one stage
 * leaves for the next (the trained model, the run's id, the test top-1 that the measurement row keeps).
 * An experiment file's run ({@link ExperimentRunner}) and a checkpoint given to {@code msrs}, {@code prune} or
 * {@code evaluate} ({@link #ofCheckpoint}) are both one, so the stages run the same code on either.
 * Closing it closes the model it holds (and the database it opened itself).
 */
public final class ExperimentRun implements AutoCloseable {
    private final ConfigLoader.LoadedConfig loaded;
    private final LoadedData data;
    /** Opened on first use for a given checkpoint, so that a model or data that cannot be used leaves no database behind. */
    private ResultsDatabase db;
    private final Path databaseFile;
    /** A checkpoint given from outside, whose run owns its database; false for an experiment file's run. */
    private final boolean fromCheckpoint;
    private final PrintWriter out;
    private final CheckpointStore store;
    /** The model file the stages after train read: the run directory's model.zip, or the file given. */
    private final Path checkpoint;
    /** The run.json beside a checkpoint given from outside; null for an experiment file's run. */
    private final RunMetadata metadata;
    private TrainedModel model;
    private ComputationGraph bareGraph;
    private Long runId;
    private Double testTop1;

    ExperimentRun(ConfigLoader.LoadedConfig loaded, LoadedData data, ResultsDatabase db, PrintWriter out) {
        this(loaded, data, db, null, out, new CheckpointStore(loaded.config().runDirectory()), null, null);
        this.runId = db.runId(loaded.config().name()).orElse(null);
    }

    private ExperimentRun(ConfigLoader.LoadedConfig loaded, LoadedData data, ResultsDatabase db, Path databaseFile,
                          PrintWriter out, CheckpointStore store, Path checkpoint, RunMetadata metadata) {
        this.loaded = loaded;
        this.data = data;
        this.db = db;
        this.databaseFile = databaseFile;
        this.fromCheckpoint = databaseFile != null;
        this.out = out;
        this.store = store;
        this.checkpoint = checkpoint != null || fromCheckpoint ? checkpoint : store.modelFile();
        this.metadata = metadata;
    }

    /**
     * The settings of the run that wrote {@code run} (its run.json: name, model, seed, training recipe) on
     * {@code data}, or without a run.json bare settings on {@code data}; a command overrides what its flags set with
     * the config's withers.
     */
    public static ExperimentConfig settingsOf(Optional<RunMetadata> run, DataSpec data) {
        return run.map(r -> ExperimentConfig.of(r.name(), r.modelSpec(), data).withSeed(r.seed())
                        .withTraining(r.training() != null ? r.training() : TrainingConfig.defaults()))
                .orElseGet(() -> ExperimentConfig.of(null, (ArchitectureSpec) null, data));
    }

    /**
     * A run of {@code checkpoint} (a model.zip; null for a model the caller hands over with {@link #use}) from
     * outside an experiment file: {@code settings} (see {@link #settingsOf}, with the command's overrides) say the
     * data, loaded here with the run's normalisation when {@code metadata} (the run.json beside it, or null) has one,
     * and the database at {@code database} is opened when a stage first needs it and closed with the run. Its
     * directory is the checkpoint's; its run id that of the run.json's run name, if the database has it.
     */
    public static ExperimentRun ofCheckpoint(Path checkpoint, RunMetadata metadata, ExperimentConfig settings,
                                             Path database, PrintWriter out) {
        LoadedData loaded = DataLoader.load(settings.data());
        LoadedData data = metadata == null ? loaded
                : new LoadedData(loaded.train(), loaded.test(), metadata.normalization());
        Path directory = checkpoint != null ? checkpoint.toAbsolutePath().getParent() : null;
        return new ExperimentRun(new ConfigLoader.LoadedConfig(settings, null,
                metadata != null ? metadata.configHash() : null), data, null, database, out, new CheckpointStore(directory),
                checkpoint, metadata);
    }

    public ConfigLoader.LoadedConfig loaded() {
        return loaded;
    }

    public ExperimentConfig config() {
        return loaded.config();
    }

    public LoadedData data() {
        return data;
    }

    public ResultsDatabase db() {
        if (db == null) {
            db = ResultsDatabase.open(databaseFile);
            runId = metadata == null ? null : db.runId(metadata.name()).orElse(null);
        }
        return db;
    }

    public PrintWriter out() {
        return out;
    }

    /** The run directory (a given checkpoint's own directory; none for a model a command built). */
    public CheckpointStore store() {
        return store;
    }

    /** The model file the stages after train use, as it was named (a given checkpoint's path as given); null for a model a command built. */
    public Path checkpoint() {
        return checkpoint;
    }

    /** The run id in the database; null before a train stage has recorded the run. */
    public Long runId() {
        if (fromCheckpoint) {
            db(); // a given checkpoint's run id is read from the database when it opens
        }
        return runId;
    }

    /** The top-1 of an evaluate stage earlier in this experiment, if one ran. */
    public Double testTop1() {
        return testTop1;
    }

    /** The model the train stage left, else the run's checkpoint (loaded once for the stages after it). */
    public TrainedModel trainedModel(StageName stage) {
        if (model == null) {
            if (!fromCheckpoint && !store.hasModel()) {
                throw new RedTestException("stage '" + stage + "' needs a trained model: no checkpoint "
                        + store.modelFile() + " (run the train stage first)");
            }
            model = TrainedModel.open(checkpoint, config().model().architecture(), data.train(),
                    data.normalization(), metadata);
        }
        return model;
    }

    /**
     * The graph to evaluate: the trained model's, or for a given checkpoint the graph its run.json names (its
     * input shape and classes, whatever data it is evaluated on), or without one the file's graph as it is;
     * a given checkpoint must predict as many classes as the test split has.
     */
    ComputationGraph graph(StageName stage) {
        if (!fromCheckpoint || model != null) {
            return trainedModel(stage).graph();
        }
        if (bareGraph == null) {
            bareGraph = metadata != null ? CheckpointStore.load(checkpoint, metadata.blueprint())
                    : CheckpointStore.load(checkpoint);
            // the run's blueprint says how many classes the model predicts; a checkpoint without run.json has only its output layer
            long outputs = metadata != null ? metadata.classes()
                    : bareGraph.layerSize(bareGraph.getConfiguration().getNetworkOutputs().get(0));
            if (outputs != data.test().numClasses()) {
                throw new RedTestException("checkpoint " + checkpoint + " predicts " + outputs + " classes but "
                        + data.test().name() + " has " + data.test().numClasses());
            }
        }
        return bareGraph;
    }

    /** The model a command built itself (msrs's untrained one), which the stages then use; closed with the run. */
    public void use(TrainedModel built) {
        this.model = built;
    }

    void trained(TrainedModel model, long runId) {
        this.model = model;
        this.runId = runId;
    }

    void evaluated(double top1) {
        this.testTop1 = top1;
    }

    @Override
    public void close() {
        try {
            if (model != null) {
                model.close();
            }
            if (bareGraph != null) {
                bareGraph.close(); // DL4J frees the graph's native memory only here
            }
        } finally {
            if (fromCheckpoint && db != null) {
                db.close();
            }
        }
    }
}
