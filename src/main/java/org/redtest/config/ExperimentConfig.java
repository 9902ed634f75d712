package org.redtest.config;

import org.redtest.Choice;
import org.redtest.RedTestException;
import org.redtest.data.DataSpec;
import org.redtest.engine.Device;
import org.redtest.io.UserPath;
import org.redtest.zoo.ArchitectureSpec;

import java.nio.file.Path;
import java.util.List;

/**
 * An experiment file: a named run of stages over one model and data set.
 *
 * <pre>
 * name: quickstart            # run name: outputs go to &lt;output_dir&gt;/&lt;name&gt;/
 * model: resnet20             # a model spec (see ModelSpec)
 * seed: 42
 * data: {dataset: fashion-mnist, train_per_class: 500, test_limit: 2000}
 * training: {epochs: 3, batch_size: 128, learning_rate: 0.05}
 * measure: {batches: 10, batch_size: 256}
 * prune: {tau: 0.9, finetune_epochs: 10}
 * stages: [train, evaluate, measure, prune]
 * device: cuda                # optional: where networks run (cpu, cuda, dl4j); --device overrides it
 * </pre>
 */
public record ExperimentConfig(String name, ArchitectureSpec model, Long seed, DataSpec data, TrainingConfig training,
                               MeasureConfig measure, PruneConfig prune, SearchConfig search, List<StageName> stages,
                               String outputDir, String database, Device device) {
    public ExperimentConfig {
        seed = seed == null ? 42L : seed;
        // a file with a search section and no model is a search experiment
        if (stages == null && search != null && model == null) {
            stages = List.of(StageName.SEARCH);
        }
        training = training == null ? TrainingConfig.defaults() : training;
        measure = measure == null ? MeasureConfig.defaults() : measure;
        prune = prune == null ? PruneConfig.defaults() : prune;
        search = search == null ? SearchConfig.defaults() : search;
        // a blank entry (`stages: [train, ~]`) binds as null: kept so that validate() can name it
        stages = stages == null ? List.of(StageName.TRAIN, StageName.EVALUATE)
                : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(stages));
        outputDir = outputDir == null ? "checkpoints" : outputDir;
    }

    /** {@code model} on {@code data}, every other setting at its default; the withers set the rest. */
    public static ExperimentConfig of(String name, ArchitectureSpec model, DataSpec data) {
        return new ExperimentConfig(name, model, null, data, null, null, null, null, null, null, null, null);
    }

    /** As above, with the model spec as text from outside (a flag, a suite file): parsed here. */
    public static ExperimentConfig of(String name, String model, DataSpec data) {
        return of(name, ArchitectureSpec.parse(model), data);
    }

    public ExperimentConfig validate() {
        if (name == null || name.isBlank()) {
            throw new RedTestException("missing key 'name' (the run name)");
        }
        requireSafeRunName(name);
        boolean searchOnly = stages.stream().allMatch(StageName.SEARCH::equals);
        if (model == null && !searchOnly) {
            throw new RedTestException("missing key 'model' (a model spec such as resnet20, vgg11 or nats:<arch>)");
        }
        org.redtest.zoo.Architecture architecture = model == null ? null : model.architecture();
        if (data == null) {
            throw new RedTestException("missing section 'data' (at least data.dataset)");
        }
        data.validate();
        training.validate();
        measure.validate();
        prune.validate(stages.contains(StageName.PRUNE));
        if (stages.contains(StageName.PRUNE) && architecture != null) {
            prune.checkAgainst(architecture); // before train, evaluate and measure spend hours
        }
        search.validate();
        if (stages.isEmpty()) {
            throw new RedTestException("'stages' is empty; known stages: " + Choice.words(StageName.class));
        }
        if (stages.stream().anyMatch(java.util.Objects::isNull)) {
            throw new RedTestException("'stages' has an empty entry; known stages: " + Choice.words(StageName.class));
        }
        return this;
    }

    /**
     * A run name becomes one directory below {@code output_dir}: letters, digits, '.', '_' and '-',
     * not starting with '.' (so never "." or "..", which would write beside or above {@code output_dir},
     * nor a hidden name), never empty and never containing a path separator.
     */
    public static String requireSafeRunName(String name) {
        return requireSafeName("run name", name);
    }

    /** The same rule for any name that becomes one directory ({@code what}: "run name", "suite name"). */
    public static String requireSafeName(String what, String name) {
        if (name == null || name.isBlank()) {
            throw new RedTestException(what + " is empty: give a name of letters, digits, '.', '_' and '-'");
        }
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new RedTestException(what + " '" + name + "' may only contain letters, digits, '.', '_' and '-'"
                    + " (it names one directory below output_dir)");
        }
        if (name.startsWith(".")) {
            throw new RedTestException(what + " '" + name + "' must not start with '.'"
                    + " (it names one directory below output_dir; '.' and '..' would write outside it)");
        }
        return name;
    }

    // withers, for settings that come from flags or a suite rather than the file

    public ExperimentConfig withModel(ArchitectureSpec m) {
        return new ExperimentConfig(name, m, seed, data, training, measure, prune, search, stages, outputDir, database, device);
    }

    public ExperimentConfig withName(String n) {
        return new ExperimentConfig(n, model, seed, data, training, measure, prune, search, stages, outputDir, database, device);
    }

    public ExperimentConfig withSeed(Long s) {
        return new ExperimentConfig(name, model, s, data, training, measure, prune, search, stages, outputDir, database, device);
    }

    public ExperimentConfig withData(DataSpec d) {
        return new ExperimentConfig(name, model, seed, d, training, measure, prune, search, stages, outputDir, database, device);
    }

    public ExperimentConfig withTraining(TrainingConfig t) {
        return new ExperimentConfig(name, model, seed, data, t, measure, prune, search, stages, outputDir, database, device);
    }

    public ExperimentConfig withMeasure(MeasureConfig m) {
        return new ExperimentConfig(name, model, seed, data, training, m, prune, search, stages, outputDir, database, device);
    }

    public ExperimentConfig withPrune(PruneConfig p) {
        return new ExperimentConfig(name, model, seed, data, training, measure, p, search, stages, outputDir, database, device);
    }

    public ExperimentConfig withSearch(SearchConfig s) {
        return new ExperimentConfig(name, model, seed, data, training, measure, prune, s, stages, outputDir, database, device);
    }

    /** The same experiment running only {@code only} (e.g. {@code train --config F} runs F's train stage). */
    public ExperimentConfig withStages(StageName... only) {
        return new ExperimentConfig(name, model, seed, data, training, measure, prune, search, List.of(only), outputDir, database, device);
    }

    /** The same experiment writing below {@code dir} (null: checkpoints) into {@code db} (null: dir/redtest.db). */
    public ExperimentConfig withOutput(String dir, String db) {
        return new ExperimentConfig(name, model, seed, data, training, measure, prune, search, stages, dir, db, device);
    }

    public boolean runs(StageName stage) {
        return stages.contains(stage);
    }

    public Path runDirectory() {
        return UserPath.of(outputDir, "output_dir").resolve(name);
    }

    public Path databasePath() {
        return database != null ? UserPath.of(database, "database") : UserPath.of(outputDir, "output_dir").resolve("redtest.db");
    }
}
