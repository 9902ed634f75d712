package org.redtest.experiment;

/**
 * One stage of an experiment file. {@link ExperimentRunner} picks the stage for each
 * {@link org.redtest.config.StageName} and runs them in the file's order over one {@link ExperimentRun};
 * the CLI commands that act on a checkpoint build an {@link ExperimentRun} from it
 * ({@link ExperimentRun#ofCheckpoint}) and call the same stage code, so each piece of wiring and each
 * printed table exists once.
 */
public interface Stage {
    void run(ExperimentRun run);
}
