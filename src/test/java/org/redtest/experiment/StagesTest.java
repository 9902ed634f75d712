package org.redtest.experiment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.config.ExperimentConfig;
import org.redtest.config.MeasureConfig;
import org.redtest.config.StageName;
import org.redtest.data.ChannelNormalization;
import org.redtest.data.DataSpec;
import org.redtest.data.ImageBatchIterator;
import org.redtest.data.ImageDataset;
import org.redtest.data.LoadedData;
import org.redtest.measure.Measurement;
import org.redtest.measure.MeasurementSettings;
import org.redtest.measure.RedundancyMeasurement;
import org.redtest.engine.cpu.CpuAcceleration;
import org.redtest.storage.MeasurementOrigin;
import org.redtest.storage.MeasurementTable;
import org.redtest.storage.ResultsDatabase;
import org.redtest.testing.TinyData;
import org.redtest.training.EvaluationResult;
import org.redtest.training.Evaluator;
import org.redtest.training.TrainedModel;
import org.redtest.zoo.Architecture;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.GraphSettings;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The measure and evaluate stages on a tiny untrained VGG and synthetic images, without the CLI: what they
 * record, write and print is what a direct measurement or evaluation of the same model gives.
 */
class StagesTest {
    static {
        CpuAcceleration.configure();
    }

    private static final ImageDataset TRAIN = TinyData.learnable(40, 3, 8, 3, 1);
    private static final ImageDataset TEST = TinyData.learnable(30, 3, 8, 3, 2);
    private static final LoadedData DATA = new LoadedData(TRAIN, TEST, ChannelNormalization.fromData(TRAIN));
    private static final String VGG = "vgg:4,4,M,8,8,8";

    @TempDir
    Path dir;

    private static TrainedModel untrained() {
        Architecture architecture = ModelSpec.parse(VGG);
        NetworkBlueprint blueprint = architecture.blueprint(new Shape(3, 8, 8), 3);
        return TrainedModel.of(Dl4jGraphFactory.create(blueprint, GraphSettings.inference(3)), architecture, blueprint,
                DATA.normalization());
    }

    @Test
    void measureStageRecordsWritesAndPrintsTheMeasurementOfItsModel() {
        ExperimentConfig cfg = ExperimentConfig.of("tiny", VGG, DataSpec.of(DataSpec.CIFAR10, dir.toString()))
                .withSeed(5L).withMeasure(MeasureConfig.defaults().withBatches(2).withBatchSize(10))
                .withOutput(dir.toString(), null);
        StringWriter printed = new StringWriter();
        try (TrainedModel model = untrained(); ResultsDatabase db = ResultsDatabase.open(dir.resolve("r.db"))) {
            Measurement m = MeasureStage.run(cfg, model, DATA, db, null, 42.0, new PrintWriter(printed, true));
            MeasurementSettings settings = MeasurementSettings.from(cfg.measure(), model.architecture().family(), 5L);
            Measurement direct = RedundancyMeasurement.run(model, TEST, "test", settings);
            assertEquals(direct.summary().mean(), m.summary().mean(), 1e-12);
            assertArrayEquals(direct.summary().adjacent(), m.summary().adjacent(), 1e-12);
            assertEquals(2, m.summary().batches());
            assertNull(m.checkpoint(), "a model in memory names no checkpoint");

            var rows = new MeasurementTable(db).standAlone();
            assertEquals(1, rows.size());
            assertEquals(MeasurementOrigin.MEASURE_STAGE, rows.get(0).origin());
            assertEquals(m.summary().mean(), rows.get(0).msrsMean(), 1e-12);
        }
        for (String f : new String[]{"measure-cka.png", "measure-msrs.json"}) {
            assertTrue(Files.isRegularFile(cfg.runDirectory().resolve(f)), f);
        }
        String[] lines = printed.toString().strip().split("\\R");
        assertEquals(2, lines.length, printed.toString());
        assertTrue(lines[0].startsWith("MSRS of " + VGG + " on tiny test: "), lines[0]);
        assertEquals("CKA heatmap: " + cfg.runDirectory().resolve("measure-cka.png") + ", JSON: "
                + cfg.runDirectory().resolve("measure-msrs.json"), lines[1]);
    }

    @Test
    void evaluateStageRecordsWhatTheEvaluatorGivesAndDescribesItAsEvaluatePrintsIt() throws Exception {
        try (TrainedModel model = untrained(); ResultsDatabase db = ResultsDatabase.open(dir.resolve("r.db"))) {
            EvaluationResult r = EvaluateStage.run(model.graph(), TEST, model.normalization(), 8, db, null, "ckpt.zip", VGG);
            EvaluationResult direct = Evaluator.evaluate(model.graph(),
                    new ImageBatchIterator(TEST, 8, false, false, model.normalization(), 0));
            assertEquals(30, r.samples());
            assertEquals(direct.top1(), r.top1(), 1e-9);
            assertEquals(direct.loss(), r.loss(), 1e-6);
            try (Statement s = db.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT checkpoint, model_spec, dataset, samples, top1 FROM evaluations")) {
                assertTrue(rs.next());
                assertEquals("ckpt.zip", rs.getString(1));
                assertEquals(VGG, rs.getString(2));
                assertEquals("tiny", rs.getString(3));
                assertEquals(30, rs.getInt(4));
                assertEquals(r.top1(), rs.getDouble(5), 1e-9);
            }
            assertEquals(String.format("%s on 30 tiny test images: top-1 %.2f%%, top-5 %.2f%% (loss %.4f)", VGG,
                    r.top1(), r.top5(), r.loss()), EvaluateStage.describe(VGG, r, "tiny"));
        }
    }

    @Test
    void everyStageNameHasItsStage() {
        ExperimentRunner runner = new ExperimentRunner(new PrintWriter(new StringWriter()));
        assertInstanceOf(TrainStage.class, runner.stage(StageName.TRAIN));
        assertInstanceOf(EvaluateStage.class, runner.stage(StageName.EVALUATE));
        assertInstanceOf(MeasureStage.class, runner.stage(StageName.MEASURE));
        assertInstanceOf(PruneStage.class, runner.stage(StageName.PRUNE));
        assertInstanceOf(SearchStage.class, runner.stage(StageName.SEARCH));
    }
}
