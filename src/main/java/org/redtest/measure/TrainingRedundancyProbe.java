package org.redtest.measure;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.redtest.data.ChannelNormalization;
import org.redtest.data.ImageDataset;
import org.redtest.storage.MeasurementOrigin;
import org.redtest.storage.MeasurementTable;
import org.redtest.storage.ResultsDatabase;
import org.redtest.training.EpochRecord;
import org.redtest.training.TrainedModel;
import org.redtest.training.TrainingListener;
import org.redtest.zoo.Architecture;
import org.redtest.zoo.NetworkBlueprint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * Redundancy during training: every {@code everyEpochs} epochs, MSRS on a fixed probe set (the first
 * batches of the test split), stored per epoch and plotted with accuracy against epoch.
 */
public final class TrainingRedundancyProbe implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingRedundancyProbe.class);
    private final Architecture architecture;
    private final NetworkBlueprint blueprint;
    private final ImageDataset probe;
    private final ChannelNormalization normalization;
    private final MeasurementSettings settings;
    private final int everyEpochs;
    private final ResultsDatabase db;
    private final long runId;
    private final Path plot;

    public TrainingRedundancyProbe(Architecture architecture, NetworkBlueprint blueprint, ImageDataset probe,
                                   ChannelNormalization normalization, MeasurementSettings settings, int everyEpochs,
                                   ResultsDatabase db, long runId, Path plot) {
        this.architecture = architecture;
        this.blueprint = blueprint;
        this.probe = probe;
        this.normalization = normalization;
        this.settings = settings;
        this.everyEpochs = everyEpochs;
        this.db = db;
        this.runId = runId;
        this.plot = plot;
    }

    @Override
    public void onEpoch(ComputationGraph graph, EpochRecord record) {
        if (everyEpochs < 1 || record.epoch() % everyEpochs != 0) {
            return;
        }
        // the trainer owns the graph: this view of it is not closed here
        TrainedModel model = TrainedModel.of(graph, architecture, blueprint, normalization);
        Measurement m = RedundancyMeasurement.run(model, probe, "test", settings).ofRun(runId, record.epoch());
        MeasurementReport.record(db, m, MeasurementOrigin.TRAINING_PROBE, record.testTop1());
        LOG.info("epoch {}: {}", record.epoch(), m.describe());
        TrainingRedundancyPlot.write(new MeasurementTable(db).trainingCurve(runId),
                architecture.spec() + ": MSRS and accuracy during training", plot);
    }
}
