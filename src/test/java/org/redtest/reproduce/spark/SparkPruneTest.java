package org.redtest.reproduce.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.testing.CliRun;
import org.redtest.testing.DatabaseRows;
import org.redtest.testing.SharedSpark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pruning part's fine-tunings as Spark tasks on local[2] (the shared test context) against the local engine
 * (the part in a JVM of its own): resnet14 pruned to 3 units by CKA and at random, two seeds each, one epoch on tiny
 * data, records exactly the same metrics, rows and files (latency aside: it is timed), each fine-tuning once; a
 * killed attempt is retried, and a fine-tuning whose every attempt dies leaves the part a FAIL row while the suite
 * goes on, and is the only one done again on the next run.
 */
class SparkPruneTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The part's fine-tunings, by key: two methods, two seeds. */
    private static final List<String> FINE_TUNINGS = List.of("cka-seed42", "cka-seed43", "random-seed42", "random-seed43");
    @TempDir
    static Path dir;
    static TinySuite suite;

    @BeforeAll
    static void setUp() throws Exception {
        suite = TinySuite.open(dir, """
                depth: [resnet14]
                pruning: [{model: resnet14, keep: 3}]
                prune: {baselines: [random], finetune_epochs: 1, repeats: 2}
                """);
    }

    @AfterAll
    static void tearDown() {
        suite.close();
    }

    @Test
    void sameMetricsRowsAndFilesAsTheLocalEngineEachFineTuningOnce() throws Exception {
        CliRun.Result local = suite.paper("local");
        assertEquals(0, local.exitCode(), local.err());

        int tasksBefore = SharedSpark.tasks();
        CliRun.Result spark = suite.paper("spark", "--engine", "spark", "--master", "local[2]");
        assertEquals(0, spark.exitCode(), spark.err());
        assertEquals(1 + FINE_TUNINGS.size(), SharedSpark.tasks() - tasksBefore, "one task attempt per model and fine-tuning: "
                + spark.out());
        assertTrue(spark.out().contains("4 fine-tuning(s) of pruned resnet14 as Spark tasks"), spark.out());
        assertFalse(spark.out().contains("prune resnet14 (suite running"), "the part ran in no JVM of its own: " + spark.out());
        FINE_TUNINGS.forEach(f -> assertTrue(spark.out().contains("prune-resnet14/" + f + ": fine-tuned on "), spark.out()));

        Path l = suite.directory("local");
        Path s = suite.directory("spark");
        assertTrue(Files.readString(s.resolve("paper.md")).contains("0 of 2 parts reused"), "done on Spark, not reused");
        String lPath = l.toString();
        String sPath = s.toString();
        JsonNode expected = withoutLatency(JSON.readTree(l.resolve("parts/prune-resnet14.json").toFile()).get("result"), lPath);
        JsonNode actual = withoutLatency(JSON.readTree(s.resolve("parts/prune-resnet14.json").toFile()).get("result"), sPath);
        assertEquals(FINE_TUNINGS.size(), expected.get("methods").size(), expected.toString());
        assertTrue(expected.get("methods").get(0).get("top1_fine_tuned").isNumber(), expected.toString());
        assertEquals(expected, actual, "top-1 original and fine-tuned, Params and FLOPs reductions, MSRS, in the same order");
        for (JsonNode m : JSON.readTree(s.resolve("parts/prune-resnet14.json").toFile()).get("result").get("methods")) {
            assertTrue(Double.isFinite(m.get("latency_reduction").asDouble()), "the driver timed " + m);
        }

        for (String f : List.of("prune-cka-keep3-seed42", "prune-cka-keep3-seed43", "prune-random-keep3-seed42", "prune-random-keep3-seed43")) {
            Path lf = l.resolve("resnet14").resolve(f);
            Path sf = s.resolve("resnet14").resolve(f);
            assertEquals(files(lf), files(sf), f + ": the same files");
            for (String text : List.of("plan.json", "run.json")) { // epochs.json holds timings: its rows are compared below
                assertEquals(Files.readString(lf.resolve(text)), Files.readString(sf.resolve(text)), f + "/" + text);
            }
        }
        for (String figure : List.of("figures/resnet14-cka-before.png", "figures/resnet14-cka-after.png", "resnet14/pruning-keep3.json")) {
            assertTrue(Files.isRegularFile(s.resolve(figure)), figure);
        }

        String runs = "SELECT name, kind, status, config_text, config_hash, seed, dataset, model_spec, params, flops, "
                + "epochs_planned, final_top1, final_top5, final_loss FROM runs ORDER BY name";
        assertEquals(1 + FINE_TUNINGS.size(), query(l, runs).size());
        assertEquals(query(l, runs), query(s, runs).stream().map(r -> r.replace(sPath, lPath)).toList());
        String epochs = "SELECT r.name, e.epoch, e.learning_rate, e.train_loss, e.test_top1, e.test_top5, e.test_loss "
                + "FROM epochs e JOIN runs r ON r.id = e.run_id ORDER BY r.name, e.epoch";
        assertEquals(query(l, epochs), query(s, epochs));
        String prunings = "SELECT r.name, p.method, p.criterion, p.seed, p.original_spec, p.pruned_spec, p.dropped, p.reinitialized, "
                + "p.finetune_epochs, p.top1_original, p.top1_pruned, p.top1_finetuned, p.params_original, p.params_pruned, "
                + "p.params_reduction, p.flops_original, p.flops_pruned, p.flops_reduction, p.msrs_original, p.msrs_pruned, "
                + "p.directory FROM prunings p JOIN runs r ON r.id = p.run_id ORDER BY p.id";
        assertEquals(FINE_TUNINGS.size(), query(l, prunings).size());
        assertEquals(query(l, prunings), query(s, prunings).stream().map(r -> r.replace(sPath, lPath)).toList());
        assertEquals(0, query(s, "SELECT name FROM runs WHERE config_text LIKE '%redtest-finetune%' "
                + "OR name LIKE '%redtest-finetune%'").size(), "no scratch path recorded");

        // a restarted driver reuses the part: no task, no fine-tuning
        int tasksAfter = SharedSpark.tasks();
        CliRun.Result again = suite.paper("spark", "--engine", "spark");
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(tasksAfter, SharedSpark.tasks());
        assertFalse(again.out().contains("as Spark tasks"), again.out());
        assertEquals(FINE_TUNINGS.size(), query(s, prunings).size(), "nothing recorded twice");
        assertTrue(Files.readString(s.resolve("paper.md")).contains("2 of 2 parts reused"), again.out());
    }

    @Test
    void aKilledAttemptIsRetriedAndAFineTuningFailingEveryAttemptIsAFailRowThenTheOnlyOneDoneAgain() throws Exception {
        int tasksBefore = SharedSpark.tasks();
        int failedBefore = SharedSpark.failedTasks();
        CliRun.Result r = suite.paperWithFaults("prune-resnet14/cka-seed42:1,prune-resnet14/random-seed43:99", "faults", "--engine", "spark");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(1 + SharedSpark.MAX_FAILURES, SharedSpark.failedTasks() - failedBefore, "killed attempts");
        assertEquals(1 + FINE_TUNINGS.size() + 1 + (SharedSpark.MAX_FAILURES - 1), SharedSpark.tasks() - tasksBefore,
                "attempts in all: the depth model, one per fine-tuning, the retried one and the failing one's further attempts");
        assertTrue(r.out().contains("prune-resnet14/cka-seed42: fine-tuned on ") && r.out().contains(", 2 attempt(s), recorded"),
                "the killed attempt was retried once: " + r.out());
        assertTrue(r.out().contains("1 part(s) did not finish (prune-resnet14)"), r.out());

        Path s = suite.directory("faults");
        JsonNode fail = rows(s).stream().filter(x -> x.get("item").asText().startsWith("part prune-resnet14")).findFirst()
                .orElseThrow(() -> new AssertionError("no FAIL row for the pruning part"));
        assertEquals("FAIL", fail.get("verdict").asText());
        assertEquals("pruning", fail.get("section").asText());
        String item = fail.get("item").asText();
        assertTrue(item.contains("prune-resnet14/random-seed43: its Spark task failed " + SharedSpark.MAX_FAILURES + " attempt(s)"), item);
        assertTrue(item.contains("fault injection: attempt " + SharedSpark.MAX_FAILURES + " of prune-resnet14/random-seed43's task killed"),
                item);
        assertTrue(rows(s).stream().anyMatch(x -> x.get("item").asText().startsWith("resnet14 ")), "the suite went on");
        assertFalse(Files.exists(s.resolve("parts/prune-resnet14.json")));
        assertEquals(List.of("resnet14|finished", "resnet14/prune-cka-keep3-seed42|finished", "resnet14/prune-cka-keep3-seed43|finished",
                "resnet14/prune-random-keep3-seed42|finished"), query(s, "SELECT name, status FROM runs ORDER BY name"),
                "the finished fine-tunings are recorded, nothing of the failed one");
        assertEquals(0, pruningRows(s), "no pruning row before every fine-tuning is in and timed");

        // running again fine-tunes the failed one alone and finishes the part
        int tasksAfter = SharedSpark.tasks();
        CliRun.Result again = suite.paper("faults", "--engine", "spark");
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(1, SharedSpark.tasks() - tasksAfter, again.out());
        assertTrue(again.out().contains("1 fine-tuning(s) of pruned resnet14 as Spark tasks") && again.out().contains(", 3 done earlier"),
                again.out());
        assertTrue(rows(s).stream().noneMatch(x -> x.get("item").asText().startsWith("part ")), "no unfinished part left");
        assertEquals(FINE_TUNINGS.size(), pruningRows(s));
        assertEquals(FINE_TUNINGS.size(), JSON.readTree(s.resolve("parts/prune-resnet14.json").toFile()).get("result")
                .get("methods").size());
    }

    /** A part's result without its timed figure, its paths made relative to the suite directory. */
    private static JsonNode withoutLatency(JsonNode result, String suiteDir) throws Exception {
        JsonNode copy = JSON.readTree(result.toString().replace(suiteDir, "SUITE"));
        copy.get("methods").forEach(m -> ((ObjectNode) m).remove("latency_reduction"));
        return copy;
    }

    private static List<JsonNode> rows(Path suiteDir) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        JSON.readTree(suiteDir.resolve("paper.json").toFile()).get("rows").forEach(rows::add);
        return rows;
    }

    private static List<String> files(Path directory) throws Exception {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).map(p -> directory.relativize(p).toString()).sorted().toList();
        }
    }

    private static int pruningRows(Path suiteDir) throws Exception {
        boolean table = !query(suiteDir, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'prunings'").isEmpty();
        return table ? query(suiteDir, "SELECT id FROM prunings").size() : 0;
    }

    private static List<String> query(Path suiteDir, String sql) throws Exception {
        return DatabaseRows.query(suiteDir.resolve("redtest.db"), sql);
    }
}
