package org.redtest.experiment;

/**
 * One stage of an experiment file. {@link ExperimentRunner} picks the stage for each
 * {@link org.redtest.config.StageName} and runs them in the file's order over one {@link ExperimentRun};
 * the CLI commands that run a single stage on a checkpoint call the same classes' shared methods, so
 * each piece of wiring and each printed table exists once.
 */
public interface Stage {
    void run(ExperimentRun run);
}
