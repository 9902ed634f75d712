package org.redtest.cli;

import org.redtest.config.ConfigLoader;
import org.redtest.config.ExperimentConfig;
import org.redtest.config.TrainingConfig;
import org.redtest.storage.ResultsDatabase;
import org.redtest.storage.RunSummaries;
import org.redtest.storage.RunSummaries.RunSummary;
import org.redtest.training.EpochRecord;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The hyperparameters two runs differ in, as {@code compare} lists them: the recipe from the run's stored
 * experiment file (a fine-tuning run has none: its model's run's recipe, which fine-tuning keeps but for epochs
 * and perhaps the learning rate), the learning rate its first epoch used, and its seed. Null where unknown.
 */
record RunSettings(Double learningRate, Integer batchSize, Double momentum, Double weightDecay, Long seed) {

    static RunSettings of(RunSummary run, ResultsDatabase db, RunSummaries summaries) {
        Optional<TrainingConfig> recipe = recipe(db, run.id()).or(() -> parent(run, summaries)
                .flatMap(p -> recipe(db, p.id())));
        List<EpochRecord> epochs = db.epochs(run.id());
        Double lr = !epochs.isEmpty() ? Double.valueOf(epochs.get(0).learningRate())
                : recipe.map(TrainingConfig::learningRate).orElse(null);
        return new RunSettings(lr, recipe.map(TrainingConfig::batchSize).orElse(null),
                recipe.map(TrainingConfig::momentum).orElse(null), recipe.map(TrainingConfig::weightDecay).orElse(null),
                seed(db, run.id()));
    }

    /** The run a fine-tuning run's model was pruned from: its name up to the last '/'. */
    static Optional<RunSummary> parent(RunSummary run, RunSummaries summaries) {
        int slash = run.name().lastIndexOf('/');
        return "finetune".equals(run.kind()) && slash > 0 ? summaries.named(run.name().substring(0, slash)) : Optional.empty();
    }

    private static Optional<TrainingConfig> recipe(ResultsDatabase db, long runId) {
        return db.configText(runId).flatMap(text -> {
            try {
                return Optional.ofNullable(ConfigLoader.readText(text, "stored configuration", ExperimentConfig.class).training());
            } catch (RuntimeException e) {
                return Optional.empty(); // a configuration from an older version: the recipe is not shown
            }
        });
    }

    private static Long seed(ResultsDatabase db, long runId) {
        try (PreparedStatement ps = db.connection().prepareStatement("SELECT seed FROM runs WHERE id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long seed = rs.getLong(1);
                    return rs.wasNull() ? null : seed;
                }
                return null;
            }
        } catch (SQLException e) {
            return null;
        }
    }
}
