package org.redtest.search.spark;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redtest.cli.RedTestCli;
import org.redtest.search.NatsSpace;
import org.redtest.spark.TaskFaults;
import org.redtest.testing.DatabaseRows;
import org.redtest.testing.SharedSpark;
import org.redtest.zoo.NatsCell;
import org.redtest.testing.TinyCifarWorkspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark engine on local[2] (the shared test context) against the local engine: a small NATS
 * search (C=8, N=1, tiny data) gives exactly the same candidate metrics, every candidate trained
 * once; a task attempt killed on purpose is retried, and a candidate whose every attempt dies is
 * recorded as failed while the search goes on.
 */
class SparkEngineTest {
    private static final long SEED = 7;
    @RegisterExtension
    static final TinyCifarWorkspace WORK = new TinyCifarWorkspace(12, 3);

    @BeforeAll
    static void setUp() throws Exception {
        SparkCandidateEngine.provideContext(SharedSpark.context());
    }

    @AfterAll
    static void tearDown() {
        SparkCandidateEngine.provideContext(null);
        System.clearProperty(TaskFaults.PROPERTY);
    }

    record Result(int exitCode, String out, String err) {
    }

    static Result run(String... args) {
        picocli.CommandLine cl = RedTestCli.newCommandLine();
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private static Path config(String name, int sample) throws Exception {
        Path cfg = WORK.dir().resolve(name + ".yaml");
        Files.writeString(cfg, """
                name: %s
                seed: %d
                output_dir: %s
                data: {dataset: cifar10, dir: %s}
                measure: {batches: 2, batch_size: 6}
                search:
                  sample: %d
                  top_k: 2
                  channels: 8
                  cells: 1
                  budget: {epochs: 1, batch_size: 20, learning_rate: 0.05}
                """.formatted(name, SEED, WORK.dir().resolve(name), WORK.cifar(), sample));
        return cfg;
    }

    /** index, status, accuracy, Params, FLOPs, MSRS mean and std of every candidate, as text for an exact comparison. */
    private static List<String> metrics(Path db) throws Exception {
        return DatabaseRows.query(db, "SELECT arch_index, status, accuracy, params, flops, msrs_mean, msrs_std FROM nas_candidates ORDER BY arch_index");
    }

    @Test
    void sameMetricsAsTheLocalEngineEachCandidateTrainedOnce() throws Exception {
        int sample = 5;
        Result local = run("search", "--config", config("local", sample).toString());
        assertEquals(0, local.exitCode(), local.err());

        int tasksBefore = SharedSpark.tasks();
        Result spark = run("search", "--config", config("spark", sample).toString(),
                "--engine", "spark", "--master", "local[2]");
        assertEquals(0, spark.exitCode(), spark.err());
        assertEquals(sample, SharedSpark.tasks() - tasksBefore, "one task attempt per candidate");
        Path sparkDb = WORK.dir().resolve("spark/redtest.db");
        List<String> expected = metrics(WORK.dir().resolve("local/redtest.db"));
        assertEquals(sample, expected.size());
        assertTrue(expected.stream().anyMatch(r -> r.contains("|done|")), expected.toString());
        assertEquals(expected, metrics(sparkDb), "the same candidate metrics on both engines");
        for (String row : DatabaseRows.query(sparkDb, "SELECT attempts, host, status, train_seconds FROM nas_candidates")) {
            String[] f = row.split("\\|");
            assertEquals("1", f[0], row);
            assertTrue(!f[1].equals("null") && (f[2].equals("degenerate") || !f[3].equals("null")), row);
        }
        assertTrue(spark.out().contains(sample + " candidates evaluated"), spark.out());

        // a restarted driver reuses everything recorded: no task runs
        List<String> finished = DatabaseRows.query(sparkDb, "SELECT finished_at FROM nas_candidates ORDER BY arch_index");
        int tasksAfter = SharedSpark.tasks();
        Result resumed = run("search", "--config", config("spark", sample).toString(),
                "--engine", "spark", "--resume");
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertEquals(tasksAfter, SharedSpark.tasks());
        assertEquals(finished, DatabaseRows.query(sparkDb, "SELECT finished_at FROM nas_candidates ORDER BY arch_index"));
    }

    @Test
    void aKilledAttemptIsRetriedAndACandidateFailingEveryAttemptIsRecordedAsFailed() throws Exception {
        int[] indices = Arrays.stream(NatsSpace.sample(6, SEED + 1000))
                .filter(i -> !NatsSpace.isDegenerate(NatsCell.fromIndex(i))).limit(3).toArray();
        assertEquals(3, indices.length);
        int retried = indices[0];
        int doomed = indices[1];
        Path cfg = WORK.dir().resolve("faults.yaml");
        Files.writeString(cfg, Files.readString(config("faults", 1)).replace("sample: 1", "sample: 6")
                .replace("seed: " + SEED, "seed: " + (SEED + 1000)));
        int tasksBefore = SharedSpark.tasks();
        int failedBefore = SharedSpark.failedTasks();
        System.setProperty(TaskFaults.PROPERTY, retried + ":1," + doomed + ":99");
        Result r;
        try {
            r = run("search", "--config", cfg.toString(), "--engine", "spark");
        } finally {
            System.clearProperty(TaskFaults.PROPERTY);
        }
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("1 candidate(s) failed every attempt"), r.out());
        assertEquals(1 + SharedSpark.MAX_FAILURES, SharedSpark.failedTasks() - failedBefore, "killed attempts");
        assertEquals(6 + 1 + (SharedSpark.MAX_FAILURES - 1), SharedSpark.tasks() - tasksBefore, "attempts in all");
        Path db = WORK.dir().resolve("faults/redtest.db");
        String retriedRow = DatabaseRows.query(db, "SELECT status, attempts FROM nas_candidates WHERE arch_index = " + retried).get(0);
        assertEquals("done|2", retriedRow, "the killed attempt was retried once and succeeded");
        String doomedRow = DatabaseRows.query(db, "SELECT status, attempts, accuracy, error FROM nas_candidates WHERE arch_index = " + doomed).get(0);
        assertTrue(doomedRow.startsWith("failed|" + SharedSpark.MAX_FAILURES + "|null|"), doomedRow);
        assertTrue(doomedRow.contains("fault injection: attempt " + SharedSpark.MAX_FAILURES + " of candidate " + doomed),
                doomedRow);
        List<String> others = DatabaseRows.query(db, "SELECT status FROM nas_candidates WHERE arch_index <> " + doomed);
        assertEquals(5, others.size());
        assertTrue(others.stream().noneMatch("failed"::equals), "the search went on: " + others);
    }
}
