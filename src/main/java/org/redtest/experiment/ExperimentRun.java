package org.redtest.experiment;

import org.redtest.RedTestException;
import org.redtest.config.ConfigLoader;
import org.redtest.config.ExperimentConfig;
import org.redtest.config.StageName;
import org.redtest.data.LoadedData;
import org.redtest.storage.ResultsDatabase;
import org.redtest.training.CheckpointStore;
import org.redtest.training.TrainedModel;

import java.io.PrintWriter;

/**
 * What the stages of one experiment share: its settings, data, database and output, and what one stage
 * leaves for the next (the trained model, the run's id, the test top-1 that the measurement row keeps).
 * Closing it closes the model it holds.
 */
public final class ExperimentRun implements AutoCloseable {
    private final ConfigLoader.LoadedConfig loaded;
    private final LoadedData data;
    private final ResultsDatabase db;
    private final PrintWriter out;
    private final CheckpointStore store;
    private TrainedModel model;
    private Long runId;
    private Double testTop1;

    ExperimentRun(ConfigLoader.LoadedConfig loaded, LoadedData data, ResultsDatabase db, PrintWriter out) {
        this.loaded = loaded;
        this.data = data;
        this.db = db;
        this.out = out;
        this.store = new CheckpointStore(loaded.config().runDirectory());
        this.runId = db.runId(loaded.config().name()).orElse(null);
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
        return db;
    }

    public PrintWriter out() {
        return out;
    }

    public CheckpointStore store() {
        return store;
    }

    /** The run's id in the database; null before a train stage has recorded the run. */
    public Long runId() {
        return runId;
    }

    /** The top-1 of an evaluate stage earlier in this experiment, if one ran. */
    public Double testTop1() {
        return testTop1;
    }

    /** The model the train stage left, else the run's checkpoint (loaded once for the stages after it). */
    public TrainedModel trainedModel(StageName stage) {
        if (model == null) {
            if (!store.hasModel()) {
                throw new RedTestException("stage '" + stage + "' needs a trained model: no checkpoint "
                        + store.modelFile() + " (run the train stage first)");
            }
            model = TrainedModel.open(store.modelFile(), config().model().architecture(), data.train(),
                    data.normalization(), null);
        }
        return model;
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
        if (model != null) {
            model.close();
        }
    }
}
