package org.redtest.experiment;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.redtest.config.ExperimentConfig;
import org.redtest.config.MeasureConfig;
import org.redtest.data.LoadedData;
import org.redtest.measure.Measurement;
import org.redtest.measure.MeasurementReport;
import org.redtest.measure.MeasurementSettings;
import org.redtest.measure.RedundancyMeasurement;
import org.redtest.storage.MeasurementOrigin;
import org.redtest.storage.ResultsDatabase;
import org.redtest.zoo.Architecture;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;

import java.io.PrintWriter;
import java.nio.file.Path;

/** The {@code measure} stage: MSRS of the experiment's model, with heatmap, JSON and database row. */
public final class MeasureStage {
    private MeasureStage() {
    }

    public static Measurement run(ExperimentConfig cfg, ComputationGraph graph, LoadedData data, ResultsDatabase db,
                                  Long runId, String checkpoint, Double testTop1, PrintWriter out) {
        MeasureConfig m = cfg.measure();
        Architecture architecture = ModelSpec.parse(cfg.model());
        var train = data.train();
        NetworkBlueprint blueprint = architecture.blueprint(new Shape(train.channels(), train.height(), train.width()),
                train.numClasses());
        MeasurementSettings settings = MeasurementSettings.from(m, architecture.family(), cfg.seed());
        Measurement measurement = RedundancyMeasurement.run(graph, architecture, blueprint, m.split().of(data), m.split().word(),
                data.normalization(), settings, checkpoint, runId, null);
        MeasurementReport.record(db, measurement, MeasurementOrigin.MEASURE_STAGE, testTop1);
        Path dir = cfg.runDirectory();
        var files = MeasurementReport.writeFiles(measurement, dir, "measure");
        out.println(measurement.describe());
        out.println("CKA heatmap: " + files.get(0) + ", JSON: " + files.get(1));
        return measurement;
    }
}
