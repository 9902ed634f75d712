package org.redtest.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redtest.measure.CanonicalMeasurements;
import org.redtest.storage.MeasurementTable;
import org.redtest.storage.ResultsDatabase;
import org.redtest.testing.CliRun;
import org.redtest.testing.NpyFiles;
import org.redtest.testing.TinyCifarWorkspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redtest.testing.CliRun.run;

/** msrs, similarity, fit-expected and the measure stage, end to end on tiny data written here. */
class MeasurementCommandsTest {
    @RegisterExtension
    static final TinyCifarWorkspace WORK = new TinyCifarWorkspace(24, 5);

    @Test
    void experimentWithMeasureStageAndTrainingProbe() throws Exception {
        Path cfg = WORK.dir().resolve("m.yaml");
        Files.writeString(cfg, """
                name: measured
                model: resnet8
                output_dir: %s
                data: {dataset: cifar10, dir: %s}
                training: {epochs: 2, batch_size: 24, learning_rate: 0.05}
                measure: {batches: 2, batch_size: 12, every_epochs: 1, probe_batches: 1}
                stages: [train, evaluate, measure]
                """.formatted(WORK.dir().resolve("out"), WORK.cifar()));
        CliRun.Result r = run("run", cfg.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("MSRS of resnet8 on cifar10 test:"), r.out());
        Path runDir = WORK.dir().resolve("out/measured");
        for (String f : new String[]{"measure-cka.png", "measure-msrs.json", "msrs-during-training.png"}) {
            assertTrue(Files.size(runDir.resolve(f)) > 0, f);
        }
        JsonNode json = Console.JSON.readTree(runDir.resolve("measure-msrs.json").toFile());
        assertEquals(4, json.get("units").size());
        assertEquals(2, json.get("batches").asInt());
        assertEquals(0.8, json.get("gamma").asDouble());
        assertEquals(3, json.get("adjacent").size());
        try (ResultsDatabase db = ResultsDatabase.open(WORK.dir().resolve("out/redtest.db"))) {
            long id = db.runId("measured").orElseThrow();
            var curve = new MeasurementTable(db).trainingCurve(id);
            assertEquals(2, curve.size(), "one probe per epoch");
            assertTrue(curve.get(1).top1() != null);
            var points = CanonicalMeasurements.read(db).depthPoints(false, false);
            assertEquals(1, points.size());
            assertTrue(points.get(0).canonical(), "the measure stage's measurement is the run's canonical one");
        }
        Path plot = WORK.dir().resolve("fit.png");
        CliRun.Result fit = run("fit-expected", "--db", WORK.dir().resolve("out/redtest.db").toString(), "--plot", plot.toString());
        assertEquals(0, fit.exitCode(), fit.err());
        assertTrue(fit.out().contains("resnet / cifar10 (gamma 0.8): 1 model(s) at depths [8]"), fit.out());
        assertTrue(fit.out().contains("linear:    needs 2 depths"), fit.out());
        assertTrue(Files.size(plot) > 0);

        // issue 17: an ad-hoc msrs of the run's checkpoint with other settings is recorded as such and changes
        // neither the run's MSRS nor the fit
        double stage = json.get("msrs").get("mean").asDouble();
        CliRun.Result adHoc = run("msrs", "--checkpoint", runDir.resolve("model.zip").toString(), "--batches", "1",
                "--batch-size", "8", "--out", WORK.dir().resolve("ad-hoc").toString(), "--db", WORK.dir().resolve("out/redtest.db").toString());
        assertEquals(0, adHoc.exitCode(), adHoc.err());
        assertTrue(adHoc.out().contains("as an ad-hoc measurement of run 'measured'"), adHoc.out());
        assertEquals("ad-hoc", Console.JSON.readTree(WORK.dir().resolve("ad-hoc/msrs.json").toFile()).get("origin").asText());
        CliRun.Result fitJson = run("fit-expected", "--db", WORK.dir().resolve("out/redtest.db").toString(), "--plot",
                plot.toString(), "--json");
        JsonNode point = Console.JSON.readTree(fitJson.out()).get("groups").get(0).get("points").get(0);
        assertEquals(stage, point.get("msrs").asDouble(), 1e-12, "the fit keeps the measure stage's value");
        assertEquals(2, point.get("batches").asInt());
        assertTrue(point.get("canonical").asBoolean());
        CliRun.Result runs = run("runs", "--db", WORK.dir().resolve("out/redtest.db").toString());
        assertTrue(runs.out().contains(String.format("%.2f (+1 ad hoc)", stage)), runs.out());
    }

    @Test
    void msrsOfAnUntrainedModelAsJson() throws Exception {
        CliRun.Result r = run("msrs", "--model", "vgg:8,8,M,16", "--dataset", "cifar10", "--data-dir", WORK.cifar().toString(),
                "--batches", "2", "--batch-size", "10", "--sampling", "random", "--gamma", "0.5",
                "--out", WORK.dir().resolve("msrs-out").toString(), "--db", WORK.dir().resolve("m.db").toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = Console.JSON.readTree(r.out());
        assertEquals("vgg:8,8,M,16", json.get("model").asText());
        assertEquals("ad-hoc", json.get("origin").asText());
        assertEquals(3, json.get("units").size());
        assertEquals(0.5, json.get("gamma").asDouble());
        assertEquals(2, json.get("msrs").get("per_batch").size());
        assertTrue(Files.exists(WORK.dir().resolve("msrs-out/msrs-cka.png")));
    }

    @Test
    void msrsBadInputs() {
        assertEquals(1, run("msrs", "--model", "resnet8", "--dataset", "cifar10", "--data-dir", WORK.dir().resolve("none").toString()).exitCode());
        CliRun.Result few = run("msrs", "--model", "resnet8", "--dataset", "cifar10", "--data-dir", WORK.cifar().toString(),
                "--batch-size", "2");
        assertEquals(1, few.exitCode());
        assertTrue(few.err().contains("measure.batch_size must be >= 4"), few.err());
        assertEquals(2, run("msrs", "--dataset", "cifar10").exitCode(), "needs --checkpoint or --model");
    }

    @Test
    void similarityOfNpyActivations() throws Exception {
        Path acts = Files.createDirectories(WORK.dir().resolve("acts"));
        Random r = new Random(1);
        int n = 16;
        float[] a = new float[n * 6];
        float[] b = new float[n * 6];
        float[] c = new float[n * 2 * 3 * 3];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
            b[i] = 2 * a[i];
        }
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) r.nextGaussian();
        }
        NpyFiles.writeFloat32(acts.resolve("layer1.npy"), new long[]{n, 6}, a);
        NpyFiles.writeFloat32(acts.resolve("layer2.npy"), new long[]{n, 6}, b);
        NpyFiles.writeFloat32(acts.resolve("layer3.npy"), new long[]{n, 2, 3, 3}, c);
        Path png = WORK.dir().resolve("sim.png");
        CliRun.Result res = run("similarity", "--activations", acts.toString(), "--plot", png.toString(), "--json");
        assertEquals(0, res.exitCode(), res.err());
        JsonNode json = Console.JSON.readTree(res.out());
        assertEquals("layer1", json.get("layers").get(0).asText());
        assertEquals(1.0, json.get("cka").get(0).get(1).asDouble(), 1e-9, "CKA is scale invariant");
        assertEquals(2, json.get("adjacent").size());
        assertTrue(json.get("msrs").asDouble() >= 1.0 - 1e-9, "the identical pair scores ~1");
        assertTrue(Files.size(png) > 0);

        assertEquals(1, run("similarity", "--activations", WORK.dir().resolve("nothing").toString()).exitCode());
    }

    @Test
    void fitExpectedNeedsMeasurements() {
        CliRun.Result r = run("fit-expected", "--db", WORK.dir().resolve("absent.db").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("results database not found"), r.err());
    }
}
