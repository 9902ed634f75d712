package org.redtest.experiment;

import org.redtest.config.ExperimentConfig;
import org.redtest.config.MeasureConfig;
import org.redtest.config.StageName;
import org.redtest.data.LoadedData;
import org.redtest.measure.Measurement;
import org.redtest.measure.MeasurementReport;
import org.redtest.measure.MeasurementSettings;
import org.redtest.measure.RedundancyMeasurement;
import org.redtest.storage.MeasurementOrigin;
import org.redtest.storage.ResultsDatabase;
import org.redtest.training.TrainedModel;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** The {@code measure} stage: MSRS of the experiment's model, with heatmap, JSON and database row. */
public final class MeasureStage implements Stage {
    /** A measurement as recorded: its database row written, its heatmap and JSON files. */
    public record Recorded(Measurement measurement, Path heatmap, Path json) {
        /** What {@code msrs} and the measure stage print. */
        public void print(PrintWriter out) {
            out.println(measurement.describe());
            out.println("CKA heatmap: " + heatmap + ", JSON: " + json);
        }
    }

    @Override
    public void run(ExperimentRun run) {
        measure(run, MeasurementOrigin.MEASURE_STAGE, run.store().directory(), "measure").print(run.out());
    }

    /**
     * Measures the run's model on the configured split as a row of the run, recorded as {@code origin} with its files
     * {@code <stem>-cka.png} and {@code <stem>-msrs.json} in {@code dir}: what the measure stage and {@code msrs} both do.
     */
    public static Recorded measure(ExperimentRun run, MeasurementOrigin origin, Path dir, String stem) {
        ExperimentConfig cfg = run.config();
        TrainedModel model = run.trainedModel(StageName.MEASURE);
        MeasureConfig m = cfg.measure();
        MeasurementSettings settings = MeasurementSettings.from(m, model.architecture().family(), cfg.seed());
        Measurement measurement = RedundancyMeasurement.run(model, m.split().of(run.data()), m.split().word(), settings)
                .ofRun(run.runId(), null);
        return record(run.db(), measurement, origin, run.testTop1(), dir, stem);
    }

    /** Measures the experiment's trained {@code model} on the configured split of {@code data} as a row of run {@code runId}. */
    public static Measurement run(ExperimentConfig cfg, TrainedModel model, LoadedData data, ResultsDatabase db,
                                  Long runId, Double testTop1, PrintWriter out) {
        MeasureConfig m = cfg.measure();
        MeasurementSettings settings = MeasurementSettings.from(m, model.architecture().family(), cfg.seed());
        Measurement measurement = RedundancyMeasurement.run(model, m.split().of(data), m.split().word(), settings)
                .ofRun(runId, null);
        Recorded recorded = record(db, measurement, MeasurementOrigin.MEASURE_STAGE, testTop1, cfg.runDirectory(), "measure");
        recorded.print(out);
        return measurement;
    }

    /**
     * Records {@code m} in the database as {@code origin} and writes {@code <stem>-cka.png} and
     * {@code <stem>-msrs.json} into {@code dir}: what the measure stage and {@code msrs} both keep.
     */
    public static Recorded record(ResultsDatabase db, Measurement m, MeasurementOrigin origin, Double testTop1, Path dir,
                                  String stem) {
        // files first: a row is never recorded for a heatmap or JSON that did not land (disk full, say)
        List<Path> files = MeasurementReport.writeFiles(m, dir, stem, origin);
        MeasurementReport.record(db, m, origin, testTop1);
        return new Recorded(m, files.get(0), files.get(1));
    }
}
