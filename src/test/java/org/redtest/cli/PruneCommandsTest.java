package org.redtest.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redtest.storage.ResultsDatabase;
import org.redtest.testing.CliRun;
import org.redtest.testing.TinyCifarWorkspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redtest.testing.CliRun.run;

/** Select, rebuild, fine-tune and report, from YAML and from the prune command, on tiny CIFAR-format data. */
class PruneCommandsTest {
    @RegisterExtension
    static final TinyCifarWorkspace WORK = new TinyCifarWorkspace(20, 9);

    @Test
    void experimentPrunesWithBaselinesAndResumesWithoutRetraining() throws Exception {
        Path cfg = WORK.dir().resolve("p.yaml");
        Files.writeString(cfg, """
                name: pruned
                model: vgg:8,8,M,16,16
                output_dir: %s
                data: {dataset: cifar10, dir: %s}
                training: {epochs: 1, batch_size: 25, learning_rate: 0.02}
                measure: {batches: 2, batch_size: 10}
                prune: {keep: 2, finetune_epochs: 1, baselines: [random, linear-probe], probe_train_images: 40}
                stages: [train, prune]
                """.formatted(WORK.dir().resolve("out"), WORK.cifar()));
        CliRun.Result r = run("run", cfg.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Pruning vgg:8,8,M,16,16 (keep2)"), r.out());
        for (String method : new String[]{"cka", "random", "linear-probe"}) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(method + " ") && l.contains("vgg:")), method + "\n" + r.out());
            Path tuned = WORK.dir().resolve("out/pruned/prune-" + method + "-keep2");
            assertTrue(Files.exists(tuned.resolve("model.zip")) && Files.exists(tuned.resolve("plan.json")), method);
        }
        Path report = WORK.dir().resolve("out/pruned/pruning-keep2.json");
        JsonNode json = Console.JSON.readTree(report.toFile());
        assertEquals(3, json.size());
        JsonNode cka = json.get(0);
        assertEquals("cka", cka.get("method").asText());
        assertEquals(2, cka.get("dropped").size(), "4 convs, keep 2");
        assertTrue(cka.get("params").get("reduction_pct").asDouble() > 0);
        assertTrue(cka.get("dropped").get(0).get("adjacent_cka").isNumber());
        assertEquals(json.get(0).get("dropped").size(), json.get(1).get("dropped").size(), "baselines drop as many units");
        for (JsonNode o : json) { // the pruned model's measurement names its units after the original convs they are
            List<String> kept = new ArrayList<>(List.of("conv1", "conv2", "conv3", "conv4"));
            o.get("dropped").forEach(d -> kept.remove(d.get("unit").asText()));
            JsonNode m = Console.JSON.readTree(WORK.dir().resolve("out/pruned/prune-" + o.get("method").asText()
                    + "-keep2/measure-msrs.json").toFile());
            List<String> units = new ArrayList<>();
            m.get("units").forEach(u -> units.add(u.asText()));
            assertEquals(kept, units, o.get("method").asText());
        }
        try (ResultsDatabase db = ResultsDatabase.open(WORK.dir().resolve("out/redtest.db"));
             Statement s = db.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*), MIN(top1_finetuned) FROM prunings")) {
            rs.next();
            assertEquals(3, rs.getInt(1));
            assertTrue(db.runId("pruned/prune-cka-keep2").isPresent(), "fine-tuning is a recorded run");
        }

        byte[] tuned = Files.readAllBytes(WORK.dir().resolve("out/pruned/prune-cka-keep2/model.zip"));
        CliRun.Result again = run("run", cfg.toString());
        assertEquals(0, again.exitCode(), again.err());
        assertArrayEquals(tuned, Files.readAllBytes(WORK.dir().resolve("out/pruned/prune-cka-keep2/model.zip")),
                "a finished fine-tune is resumed, not redone");
    }

    @Test
    void repeatsFineTuneEachMethodOncePerSeedAndReportTheSpread() throws Exception {
        Path cfg = WORK.dir().resolve("seeds.yaml");
        Files.writeString(cfg, """
                name: seeds
                seed: 7
                model: vgg:8,8,M,16,16
                output_dir: %s
                data: {dataset: cifar10, dir: %s}
                training: {epochs: 1, batch_size: 25, learning_rate: 0.02}
                measure: {batches: 1, batch_size: 20}
                prune: {keep: 2, finetune_epochs: 1, baselines: [random], repeats: 3}
                stages: [train, prune]
                """.formatted(WORK.dir().resolve("out4"), WORK.cifar()));
        CliRun.Result r = run("run", cfg.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = Console.JSON.readTree(WORK.dir().resolve("out4/seeds/pruning-keep2.json").toFile());
        assertEquals(6, json.size(), "2 methods x 3 seeds");
        java.util.Set<String> ckaStructures = new java.util.HashSet<>();
        java.util.Set<Double> ckaTop1 = new java.util.HashSet<>();
        for (int i = 0; i < 6; i++) {
            JsonNode o = json.get(i);
            assertEquals(i < 3 ? "cka" : "random", o.get("method").asText());
            assertEquals(7 + i % 3, o.get("seed").asLong(), "seeds seed, seed+1, seed+2 per method");
            assertTrue(Files.exists(Path.of(o.get("directory").asText()).resolve("model.zip")));
            assertTrue(o.get("directory").asText().endsWith("prune-" + o.get("method").asText() + "-keep2-seed" + o.get("seed").asLong()));
            if (i < 3) {
                ckaStructures.add(o.get("dropped").toString());
                ckaTop1.add(o.get("top1").get("finetuned").asDouble());
            }
        }
        assertEquals(1, ckaStructures.size(), "CKA-guided selects the same units whatever the seed");
        java.util.Set<Double> originalLatency = new java.util.HashSet<>();
        json.forEach(o -> originalLatency.add(o.get("latency_s").get("original").asDouble()));
        assertEquals(1, originalLatency.size(), "every reduction is against one timing of the original");
        for (JsonNode o : json) {
            // the reduction's spread is the two latencies' spreads propagated to first order
            JsonNode latency = o.get("latency_s");
            double original = latency.get("original").asDouble();
            double pruned = latency.get("pruned").asDouble();
            double expected = 100 * pruned / original * Math.hypot(latency.get("pruned_spread").asDouble() / pruned,
                    latency.get("original_spread").asDouble() / original);
            double spread = latency.get("reduction_spread_pct").asDouble();
            assertTrue(latency.get("reduction_spread_pct").isNumber() && Double.isFinite(spread) && spread >= 0, latency.toString());
            assertEquals(expected, spread, 1e-9 * Math.max(1, expected), latency.toString());
            assertTrue(latency.get("rounds").asInt() > 0, latency.toString());
        }
        assertTrue(r.out().contains("mean +- standard deviation over the seeds"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("random ") && l.contains("(3 seeds)")), r.out());
        try (ResultsDatabase db = ResultsDatabase.open(WORK.dir().resolve("out4/redtest.db"));
             Statement s = db.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(DISTINCT seed), COUNT(*) FROM prunings WHERE method = 'random'")) {
            rs.next();
            assertEquals(3, rs.getInt(1));
            assertEquals(3, rs.getInt(2));
        }
    }

    @Test
    void pruneCommandOnACheckpoint() throws Exception {
        CliRun.Result trained = run("train", "--model", "resnet:2-1-1", "--dataset", "cifar10", "--data-dir",
                WORK.cifar().toString(), "--epochs", "1", "--batch-size", "25", "--name", "r", "--output-dir", WORK.dir().resolve("out3").toString());
        assertEquals(0, trained.exitCode(), trained.err());
        Path model = WORK.dir().resolve("out3/r/model.zip");
        CliRun.Result r = run("prune", "--checkpoint", model.toString(), "--keep", "3", "--baselines", "none",
                "--finetune-epochs", "0", "--batches", "1", "--batch-size", "20", "--db", WORK.dir().resolve("p3.db").toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = Console.JSON.readTree(r.out());
        assertEquals(1, json.size());
        assertEquals("resnet8", json.get(0).get("pruned").asText(), "only s1.b1 or s1.b2 can go; the last stays");
        assertEquals(json.get(0).get("top1").get("pruned").asDouble(), json.get(0).get("top1").get("finetuned").asDouble(), 1e-9,
                "no fine-tuning epochs: the pruned model is reported as is");

        assertEquals(2, run("prune", "--checkpoint", model.toString()).exitCode(), "--tau or --keep is required");
        CliRun.Result bad = run("prune", "--checkpoint", model.toString(), "--tau", "0.9", "--method", "magic");
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().contains("unknown pruning method 'magic'"), bad.err());

        // issue 15: ranges checked before the checkpoint or data are loaded, naming the flag
        CliRun.Result tau = run("prune", "--checkpoint", model.toString(), "--tau", "1.5");
        assertEquals(1, tau.exitCode());
        assertTrue(tau.err().contains("--tau must be in (0, 1]"), tau.err());
        CliRun.Result keep = run("prune", "--checkpoint", model.toString(), "--keep", "5");
        assertEquals(1, keep.exitCode());
        assertTrue(keep.err().contains("--keep must be between 1 and the 4 prunable units of resnet:2-1-1, got 5"), keep.err());
    }
}
