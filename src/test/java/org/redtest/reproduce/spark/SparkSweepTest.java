package org.redtest.reproduce.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * The suite's depth models as Spark tasks on local[2] (the shared test context) against the local engine (a JVM of
 * its own per model): a two-model sweep (resnet8, resnet14, one epoch on tiny data) records exactly the same
 * results, database rows and run files, each model trained once; a killed task attempt is retried, and a model
 * whose every attempt dies becomes a FAIL row while the suite goes on.
 */
class SparkSweepTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> MODELS = List.of("resnet8", "resnet14");
    @TempDir
    static Path dir;
    static TinySuite suite;

    @BeforeAll
    static void setUp() throws Exception {
        suite = TinySuite.open(dir, """
                depth: [resnet8, resnet14]
                """);
    }

    @AfterAll
    static void tearDown() {
        suite.close();
    }

    @Test
    void sameResultsAsTheLocalEngineEachModelTrainedOnce() throws Exception {
        CliRun.Result local = suite.paper("local");
        assertEquals(0, local.exitCode(), local.err());

        int tasksBefore = SharedSpark.tasks();
        CliRun.Result spark = suite.paper("spark", "--engine", "spark", "--master", "local[2]");
        assertEquals(0, spark.exitCode(), spark.err());
        assertEquals(MODELS.size(), SharedSpark.tasks() - tasksBefore, "one task attempt per model: " + spark.out());
        assertTrue(spark.out().contains("2 depth model(s) as Spark tasks"), spark.out());
        assertFalse(spark.out().contains("train, evaluate and measure"), "no model trained in a JVM of its own: " + spark.out());

        Path l = suite.directory("local");
        Path s = suite.directory("spark");
        String lPath = l.toString();
        String sPath = s.toString();
        for (String model : MODELS) {
            assertTrue(spark.out().contains(model + ": trained on "), spark.out());
            JsonNode expected = JSON.readTree(l.resolve("parts/depth-" + model + ".json").toFile()).get("result");
            JsonNode actual = JSON.readTree(s.resolve("parts/depth-" + model + ".json").toFile()).get("result");
            assertTrue(expected.get("top1").asDouble() > 0 && expected.get("msrs_mean").isNumber(), expected.toString());
            assertEquals(expected, actual, model + ": accuracy, MSRS, gamma, Params and FLOPs");
            assertEquals(runFiles(l.resolve(model)), runFiles(s.resolve(model)), model + ": the same run files");
            assertEquals(Files.readString(l.resolve(model).resolve("run.json")), Files.readString(s.resolve(model).resolve("run.json")));
        }
        // the driver wrote the rows the local engine writes, scratch paths rewritten to the suite's
        String runs = "SELECT name, kind, status, config_text, config_hash, seed, dataset, model_spec, params, flops, "
                + "epochs_planned, final_top1, final_top5, final_loss FROM runs ORDER BY name";
        assertEquals(MODELS.size(), query(l, runs).size());
        assertEquals(query(l, runs), query(s, runs).stream().map(r -> r.replace(sPath, lPath)).toList());
        assertTrue(query(s, runs).get(0).contains(sPath) && !query(s, runs).get(0).contains("redtest-sweep"), query(s, runs).get(0));
        String epochs = "SELECT r.name, e.epoch, e.learning_rate, e.train_loss, e.test_top1, e.test_top5, e.test_loss "
                + "FROM epochs e JOIN runs r ON r.id = e.run_id ORDER BY r.name, e.epoch";
        assertEquals(query(l, epochs), query(s, epochs));
        String measurements = "SELECT r.name, m.kind, m.model_spec, m.checkpoint, m.gamma, m.msrs_mean, m.msrs_std, m.per_batch, "
                + "m.cka, m.test_top1, m.origin FROM measurements m JOIN runs r ON r.id = m.run_id ORDER BY r.name, m.id";
        assertEquals(MODELS.size(), query(l, measurements).size());
        assertEquals(query(l, measurements), query(s, measurements).stream().map(r -> r.replace(sPath, lPath)).toList());
        String suiteJson = Files.readString(s.resolve("suite.json"));
        assertFalse(suiteJson.contains("\"engine\""), "suite.json says what the suite computes, as before: " + suiteJson);
        assertEquals(Files.readString(l.resolve("suite.json")),
                suiteJson.replace(dir.resolve("spark").toString(), dir.resolve("local").toString()));
        JsonNode table = JSON.readTree(s.resolve("paper.json").toFile()).get("rows");
        assertEquals(JSON.readTree(l.resolve("paper.json").toFile()).get("rows"), table, "the same reproduction rows");

        // a restarted driver reuses every recorded model, on either engine: no task, no training
        int tasksAfter = SharedSpark.tasks();
        CliRun.Result again = suite.paper("spark", "--engine", "spark");
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(tasksAfter, SharedSpark.tasks());
        assertFalse(again.out().contains("Spark tasks"), again.out());
        CliRun.Result locally = suite.paper("spark");
        assertEquals(0, locally.exitCode(), locally.err());
        assertFalse(locally.out().contains("train, evaluate and measure"), locally.out());
        assertEquals(table, JSON.readTree(s.resolve("paper.json").toFile()).get("rows"));
    }

    @Test
    void aKilledAttemptIsRetriedAndAModelFailingEveryAttemptIsAFailRow() throws Exception {
        int tasksBefore = SharedSpark.tasks();
        int failedBefore = SharedSpark.failedTasks();
        CliRun.Result r = suite.paperWithFaults("depth-resnet8:1,depth-resnet14:99", "faults", "--engine", "spark");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(1 + SharedSpark.MAX_FAILURES, SharedSpark.failedTasks() - failedBefore, "killed attempts");
        assertEquals(2 + SharedSpark.MAX_FAILURES, SharedSpark.tasks() - tasksBefore, "attempts in all");
        assertTrue(r.out().contains("resnet8: trained on "), r.out());
        assertTrue(r.out().contains(", 2 attempt(s), recorded"), "the killed attempt was retried once: " + r.out());
        assertTrue(r.out().contains("1 part(s) did not finish (depth-resnet14)"), r.out());

        Path s = suite.directory("faults");
        JsonNode fail = rows(s).stream().filter(x -> x.get("item").asText().startsWith("part depth-resnet14")).findFirst()
                .orElseThrow(() -> new AssertionError("no FAIL row for resnet14"));
        assertEquals("FAIL", fail.get("verdict").asText());
        assertEquals("msrs vs depth", fail.get("section").asText());
        String item = fail.get("item").asText();
        assertTrue(item.contains("its Spark task failed " + SharedSpark.MAX_FAILURES + " attempt(s)"), item);
        assertTrue(item.contains("fault injection: attempt " + SharedSpark.MAX_FAILURES + " of depth-resnet14's task killed"), item);
        assertTrue(rows(s).stream().anyMatch(x -> x.get("item").asText().startsWith("resnet8 ")), "the suite went on");
        assertTrue(Files.isRegularFile(s.resolve("parts/depth-resnet8.json")));
        assertFalse(Files.exists(s.resolve("parts/depth-resnet14.json")));
        assertEquals(List.of("resnet8|finished"), query(s, "SELECT name, status FROM runs"), "nothing recorded of the failed model");

        // running again trains the failed model alone
        int tasksAfter = SharedSpark.tasks();
        CliRun.Result again = suite.paper("faults", "--engine", "spark");
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(1, SharedSpark.tasks() - tasksAfter);
        assertTrue(again.out().contains("1 depth model(s) as Spark tasks") && again.out().contains("resnet14: trained on "),
                again.out());
        assertTrue(rows(s).stream().noneMatch(x -> x.get("item").asText().startsWith("part ")), "no unfinished part left");
        assertEquals(List.of("resnet14|finished", "resnet8|finished"), query(s, "SELECT name, status FROM runs ORDER BY name"));
    }

    private static List<JsonNode> rows(Path suiteDir) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        JSON.readTree(suiteDir.resolve("paper.json").toFile()).get("rows").forEach(rows::add);
        return rows;
    }

    /** The files of a run directory, by relative path. */
    private static List<String> runFiles(Path runDirectory) throws Exception {
        try (Stream<Path> files = Files.walk(runDirectory)) {
            return files.filter(Files::isRegularFile).map(p -> runDirectory.relativize(p).toString()).sorted().toList();
        }
    }

    private static List<String> query(Path suiteDir, String sql) throws Exception {
        return DatabaseRows.query(suiteDir.resolve("redtest.db"), sql);
    }
}
