package org.redtest.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.storage.MeasurementOrigin;
import org.redtest.storage.MeasurementTable;
import org.redtest.storage.PruningTable;
import org.redtest.storage.ResultsDatabase;
import org.redtest.testing.CliRun;
import org.redtest.testing.NeverLivePid;
import org.redtest.training.EpochRecord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redtest.testing.CliRun.run;

/** runs and compare (issue 17 item 1) on a results database written here: no training needed. */
class RunsAndCompareTest {
    @TempDir
    static Path dir;
    static Path db;

    @BeforeAll
    static void writeDatabase() throws Exception {
        db = dir.resolve("redtest.db");
        try (ResultsDatabase d = ResultsDatabase.open(db)) {
            long a = d.startRun(new ResultsDatabase.RunStart("resnet8-a", "train", YAML, "h", 7, "cifar10", "resnet8", 78_042,
                    12_165_760, 3, "{}"));
            for (int e = 1; e <= 3; e++) {
                d.recordEpoch(a, new EpochRecord(e, 0.05, 2.0 / e, 30 + 10 * e, 80, 1.8 / e, 20, 100));
            }
            d.finishRun(a, 60, 95, 0.6, 60);
            measure(d, a, MeasurementOrigin.MEASURE_STAGE, 10, 3.25);
            measure(d, a, MeasurementOrigin.AD_HOC, 2, 9.75);

            long b = start(d, "vgg11-b", "vgg11", 5);
            d.recordEpoch(b, new EpochRecord(1, 0.05, 2.1, 25, 70, 2.0, 30, 90));
            d.markInterrupted(b);

            long f = d.startRun(new ResultsDatabase.RunStart("resnet8-a/prune-cka-keep2", "finetune", null, "p", 7, "cifar10",
                    "resnet:1-1-0", 50_000, 8_000_000, 2, "{}"));
            for (int e = 1; e <= 2; e++) {
                d.recordEpoch(f, new EpochRecord(e, 0.02, 1.0 / e, 55 + e, 90, 1.0 / e, 10, 100));
            }
            d.finishRun(f, 57, 95, 0.5, 20);
            new PruningTable(d).insert(new PruningTable.Row(a, new PruningTable.Method("cka", "keep2", 7),
                    new PruningTable.Structures("resnet8", "resnet:1-1-0", "[]", "[]", 2), new PruningTable.Top1(60, 30, 57),
                    new PruningTable.Count(78_042, 50_000, 36), new PruningTable.Count(12_165_760, 8_000_000, 34),
                    new PruningTable.Latency(0.002, 0.0015, 25, 0.0001, 0.0001), new PruningTable.Msrs(3.25, 1.125),
                    dir.resolve("resnet8-a/prune-cka-keep2").toString(), "{}"));

            long c = start(d, "killed", "resnet8", 4);
            d.recordEpoch(c, new EpochRecord(1, 0.05, 2.1, 28, 70, 2.0, 30, 90));
            try (PreparedStatement ps = d.connection().prepareStatement("UPDATE runs SET owner_pid = ? WHERE id = ?")) {
                ps.setLong(1, NeverLivePid.value()); // as if the process training it had been killed with kill -9
                ps.setLong(2, c);
                ps.executeUpdate();
            }
        }
    }

    private static final String YAML = """
            name: resnet8-a
            model: resnet8
            seed: 7
            stages: [train]
            data: {dataset: cifar10}
            training: {epochs: 3, batch_size: 64, learning_rate: 0.05, weight_decay: 0.0005}
            """;

    private static long start(ResultsDatabase d, String name, String model, int epochs) {
        return d.startRun(new ResultsDatabase.RunStart(name, "train", null, "h", 1, "cifar10", model, 78_042, 12_165_760,
                epochs, "{}"));
    }

    private static void measure(ResultsDatabase d, long run, MeasurementOrigin origin, int batches, double msrs) {
        new MeasurementTable(d).insert(new MeasurementTable.Row(
                new MeasurementTable.Source(run, origin, null, "model.zip"), new MeasurementTable.Model("resnet8", "resnet", 8),
                new MeasurementTable.Probe("cifar10", "test", batches, 256, "first", 42),
                new MeasurementTable.MsrsValues(100, 0.8, msrs, 0.1, 0, new double[batches]),
                new MeasurementTable.CkaValues(List.of("a", "b"), new double[][]{{1, 0}, {0, 1}}, new double[]{0}), null, 1, "{}"));
    }

    @Test
    void runsListsStatusEpochsAccuracyAndTheCanonicalMsrs() {
        CliRun.Result r = run("runs", "--db", db.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(5, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("name") && lines.get(0).contains("MSRS"), r.out());
        assertTrue(lines.get(1).matches("resnet8-a +resnet8 +cifar10 +finished +3/3 +60\\.00 +3\\.25 \\(\\+1 ad hoc\\) .*"), lines.get(1));
        assertTrue(lines.get(2).matches("vgg11-b +vgg11 +cifar10 +interrupted +1/5 +25\\.00 +- .* - *"), lines.get(2));
        assertTrue(lines.get(3).matches("resnet8-a/prune-cka-keep2 .* 57\\.00 +1\\.13 \\(pruning\\) .*"),
                "a fine-tuning run shows the MSRS pruning measured: " + lines.get(3));
        assertTrue(lines.get(4).contains("running (process gone)"), lines.get(4));
    }

    @Test
    void runsAsJson() throws Exception {
        CliRun.Result r = run("runs", "--db", db.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode runs = Console.JSON.readTree(r.out()).get("runs");
        assertEquals(4, runs.size());
        JsonNode a = runs.get(0);
        assertEquals(3.25, a.at("/msrs/mean").asDouble());
        assertEquals("measure-stage", a.at("/msrs/origin").asText());
        assertEquals(10, a.at("/msrs/batches").asInt());
        assertEquals(9.75, a.at("/ad_hoc_msrs/0/mean").asDouble());
        assertEquals(2, a.at("/ad_hoc_msrs/0/batches").asInt());
        assertEquals(1.125, runs.get(2).get("msrs_after_pruning").asDouble());
        assertEquals("running (process gone)", runs.get(3).get("status").asText());
        assertEquals("running", runs.get(3).get("status_recorded").asText());
    }

    @Test
    void compareShowsRunsSideBySideAndPlotsTheirCurves() throws Exception {
        Path out = dir.resolve("cmp");
        CliRun.Result r = run("compare", "resnet8-a", "vgg11-b", "--db", db.toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        String text = r.out();
        assertTrue(text.lines().findFirst().orElseThrow().matches(" +resnet8-a +vgg11-b"), text);
        for (String row : new String[]{"model +resnet8 +vgg11", "params +78,042 +78,042", "FLOPs +12,165,760 +12,165,760",
                "epochs \\(done/planned\\) +3/3 +1/5", "test top-1 % +60\\.00 +25\\.00", "test loss +0\\.6000 +2\\.0000",
                "MSRS +3\\.25 \\(\\+1 ad hoc\\) +-", "MSRS measured with +10 batches of 256, first, test, gamma 0\\.8 +-",
                "latest ad-hoc MSRS +9\\.75 \\(2 batches of 256.*", "training time +1 min 00 s +30\\.0 s",
                "status +finished +interrupted"}) {
            assertTrue(text.lines().anyMatch(l -> l.matches(row + " *")), row + " in\n" + text);
        }
        for (String png : new String[]{"compare-top1.png", "compare-loss.png"}) {
            assertTrue(Files.size(out.resolve(png)) > 0, png);
        }
        for (String row : new String[]{"learning rate \\(first epoch\\) +0\\.05 +0\\.05", "batch size +64 +-",
                "weight decay +0\\.0005 +-", "seed +7 +1"}) {
            assertTrue(text.lines().anyMatch(l -> l.matches(row + " *")), row + " in\n" + text);
        }
    }

    @Test
    void compareShowsAFineTuningAfterItsModelsTrainingAndItsMsrs() {
        CliRun.Result r = run("compare", "resnet8-a", "resnet8-a/prune-cka-keep2", "--db", db.toString(),
                "--out", dir.resolve("cmp2").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("MSRS +3\\.25 \\(\\+1 ad hoc\\) +1\\.13 \\(pruning\\) *")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("batch size +64 +64 *")), "the fine-tuning keeps its model's recipe: "
                + r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("learning rate \\(first epoch\\) +0\\.05 +0\\.02 *")), r.out());
        try (ResultsDatabase d = ResultsDatabase.open(db)) {
            var summaries = new org.redtest.storage.RunSummaries(d);
            assertEquals(3, CompareCommand.trainedEpochs(summaries.named("resnet8-a/prune-cka-keep2").orElseThrow(), summaries, d),
                    "fine-tuning epoch 1 is drawn at 4, after the model's 3 training epochs");
            assertEquals(0, CompareCommand.trainedEpochs(summaries.named("resnet8-a").orElseThrow(), summaries, d));
        }
    }

    @Test
    void runsAndCompareAsCsv() throws Exception {
        CliRun.Result runs = run("runs", "--db", db.toString(), "--csv");
        assertEquals(0, runs.exitCode(), runs.err());
        List<org.apache.commons.csv.CSVRecord> rows = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader()
                .setSkipHeaderRecord(true).build().parse(new java.io.StringReader(runs.out())).getRecords();
        assertEquals(4, rows.size(), runs.out());
        assertEquals("resnet8-a", rows.get(0).get("name"));
        assertEquals(3.25, Double.parseDouble(rows.get(0).get("msrs")));
        assertEquals("measure", rows.get(0).get("msrs_source"));
        assertEquals("", rows.get(1).get("msrs"), "no MSRS: an empty cell, NaN in pandas");
        assertEquals("pruning", rows.get(2).get("msrs_source"));
        CliRun.Result compare = run("compare", "resnet8-a", "vgg11-b", "--db", db.toString(), "--csv",
                "--out", dir.resolve("cmp3").toString());
        assertEquals(0, compare.exitCode(), compare.err());
        List<org.apache.commons.csv.CSVRecord> cmp = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader()
                .setSkipHeaderRecord(true).build().parse(new java.io.StringReader(compare.out())).getRecords();
        assertEquals(List.of("resnet8-a", "vgg11-b"), cmp.stream().map(x -> x.get("name")).toList());
        assertEquals("64", cmp.get(0).get("batch_size"));
        assertEquals("7", cmp.get(0).get("seed"));
    }

    @Test
    void badInput() {
        CliRun.Result unknown = run("compare", "resnet8-a", "nope", "--db", db.toString());
        assertEquals(1, unknown.exitCode());
        assertTrue(unknown.err().contains("no run 'nope'"), unknown.err());
        assertEquals(2, run("compare", "resnet8-a", "--db", db.toString()).exitCode(), "two runs at least");
        CliRun.Result missing = run("runs", "--db", dir.resolve("absent.db").toString());
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("results database not found"), missing.err());
        assertTrue(Files.notExists(dir.resolve("absent.db")), "runs does not create a database");
    }
}
