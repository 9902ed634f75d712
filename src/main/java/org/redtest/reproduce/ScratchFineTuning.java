package org.redtest.reproduce;

import org.redtest.RedTestException;
import org.redtest.config.ConfigLoader;
import org.redtest.data.LoadedData;
import org.redtest.experiment.PruneStage;
import org.redtest.io.AtomicFiles;
import org.redtest.pruning.PruningOutcome;
import org.redtest.pruning.PruningPipeline;
import org.redtest.storage.ResultsDatabase;
import org.redtest.storage.RunRows;
import org.redtest.training.CheckpointStore;
import org.redtest.training.TrainedModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One fine-tuning of a pruned model done where the suite's directory and database are not to be written (a Spark
 * executor): the trained checkpoint's bytes written into a scratch copy of the model's run directory, then exactly
 * the fine-tuning the local engine's pipeline does, with a database of its own, packed into a {@link FineTunedModel}
 * with the scratch paths written as the driver's, and the scratch removed.
 */
public final class ScratchFineTuning {
    private ScratchFineTuning() {
    }

    public static FineTunedModel run(FineTuningBase base, byte[] checkpoint, PruningPipeline.FineTuning f) {
        long start = System.nanoTime();
        SuiteConfig driver = ConfigLoader.readText(base.suiteJson(), "the suite (Spark task)", SuiteConfig.class).validate();
        Path scratch = Scratch.create("redtest-finetune");
        try {
            SuiteConfig here = driver.forTask(scratch.toString());
            LoadedData data = TaskData.of(here.data());
            // the config hash leaves the output directory out: the plan and run rows are the driver's own
            ConfigLoader.LoadedConfig loaded = PruningPart.experiment(here, base.target());
            write(loaded.config().runDirectory().resolve(CheckpointStore.MODEL_FILE), checkpoint);
            try (ResultsDatabase db = ResultsDatabase.open(here.directory().resolve("redtest.db"));
                 TrainedModel trained = PruningPart.openTrained(loaded.config(), data)) {
                PruningPipeline pipeline = new PruningPipeline(PruneStage.job(loaded, trained, data), db);
                PruningOutcome outcome = pipeline.fineTune(f, base.selection());
                String directory = pipeline.directoryName(f);
                String run = loaded.config().name() + "/" + directory;
                RunRows rows = RunRows.read(db, List.of(run)).withText(here.directory().toString(), driver.directory().toString());
                if (rows.runs() != 1) {
                    throw new RedTestException("the scratch database of " + base.key(f) + " holds " + rows.runs() + " runs named "
                            + run + ", expected 1");
                }
                return new FineTunedModel(base.key(f), directory, outcome.withDirectory(null), Scratch.files(outcome.directory()),
                        rows, Scratch.host(), (System.nanoTime() - start) / 1e9, 1);
            }
        } finally {
            Scratch.delete(scratch);
        }
    }

    private static void write(Path file, byte[] bytes) {
        try {
            AtomicFiles.write(file, out -> out.write(bytes));
        } catch (IOException e) {
            throw new RedTestException("cannot write the trained checkpoint into the scratch directory: " + e.getMessage(), e);
        }
    }
}
