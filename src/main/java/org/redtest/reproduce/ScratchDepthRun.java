package org.redtest.reproduce;

import org.redtest.RedTestException;
import org.redtest.config.ConfigLoader;
import org.redtest.storage.ResultsDatabase;
import org.redtest.storage.RunRows;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * One depth model of a suite trained where the suite's directory and database are not to be written (a Spark
 * executor): exactly what the local engine's part does, in a scratch directory with a database of its own, packed
 * into a {@link TrainedDepthModel} with the scratch paths written as the driver's, and the scratch removed.
 */
public final class ScratchDepthRun {
    private ScratchDepthRun() {
    }

    public static TrainedDepthModel train(String suiteJson, String model) {
        long start = System.nanoTime();
        SuiteConfig driver = ConfigLoader.readText(suiteJson, "the suite (Spark task)", SuiteConfig.class).validate();
        Path scratch = Scratch.create("redtest-sweep");
        try {
            SuiteConfig here = driver.forTask(scratch.toString());
            String from = here.directory().toString();
            String to = driver.directory().toString();
            StringWriter log = new StringWriter();
            DepthPart.ModelResult result;
            RunRows rows;
            try (ResultsDatabase db = ResultsDatabase.open(here.directory().resolve("redtest.db"));
                 PrintWriter out = new PrintWriter(log)) {
                result = DepthPart.run(here, model, TaskData.of(here.data()), db, out);
                rows = RunRows.read(db, List.of(model)).withText(from, to);
            }
            if (rows.runs() != 1) {
                throw new RedTestException("the scratch database of " + model + " holds " + rows.runs() + " runs named " + model
                        + ", expected 1");
            }
            return new TrainedDepthModel(model, result, Scratch.files(here.directory().resolve(model)), rows,
                    log.toString().replace(from, to), Scratch.host(), (System.nanoTime() - start) / 1e9, 1);
        } finally {
            Scratch.delete(scratch);
        }
    }
}
