package org.redtest.search;

import org.redtest.storage.CandidateOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.storage.CandidateStore;
import org.redtest.storage.ResultsDatabase;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The driver's side of an engine, with a synthetic engine: reuse, claims, failed outcomes, write rate. */
class CandidateRunnerTest {
    @TempDir
    Path dir;

    /** Returns an outcome at once for each candidate; the ones in {@code failing} fail. */
    private static CandidateEngine synthetic(List<Integer> seen, int... failing) {
        return new CandidateEngine() {
            @Override
            public void run(Source source, Consumer<CandidateOutcome> sink) {
                for (OptionalInt i = source.next(); i.isPresent(); i = source.next()) {
                    int k = i.getAsInt();
                    seen.add(k);
                    boolean fails = IntStream.of(failing).anyMatch(f -> f == k);
                    sink.accept(fails ? CandidateOutcome.failed(k, "arch", 4, "boom")
                            : new CandidateOutcome(k, "arch", CandidateStore.DONE, 50, 1000, 2000, 0.01, 20, 1, 0, 3, 1,
                            "host-a", 1, null, "{}", 0, 4_000_000));
                }
            }

            @Override
            public String describe() {
                return "synthetic";
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void recordsEveryOutcomeOnceAndReusesRecordedOnes() throws Exception {
        try (ResultsDatabase db = ResultsDatabase.open(dir.resolve("r.db"))) {
            CandidateStore store = new CandidateStore(db);
            List<Integer> seen = new ArrayList<>();
            CandidateRunner runner = new CandidateRunner(store, "b", synthetic(seen, 7));
            CandidateRunner.Tally first = runner.run(new int[]{3, 7, 9, 3}, () -> { });
            assertEquals(List.of(3, 7, 9), seen, "a repeated index is evaluated once");
            assertEquals(new CandidateRunner.Tally(0, 3, 1, List.of()), first);
            assertEquals(CandidateStore.FAILED, store.result("b", 7).orElseThrow().status());
            try (Statement s = db.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT error, attempts, params FROM nas_candidates WHERE arch_index = 7")) {
                assertTrue(rs.next());
                assertEquals("boom", rs.getString(1));
                assertEquals(4, rs.getInt(2));
                assertEquals(null, rs.getObject(3), "a failed candidate has no metrics");
            }
            seen.clear();
            CandidateRunner.Tally again = runner.run(new int[]{3, 7, 9, 11}, () -> { });
            assertEquals(List.of(11), seen, "recorded outcomes, failed ones included, are reused");
            assertEquals(3, again.reused());
        }
    }

    @Test
    void theDriverRecordsThreeHundredOutcomesInSeconds() throws Exception {
        try (ResultsDatabase db = ResultsDatabase.open(dir.resolve("w.db"))) {
            CandidateStore store = new CandidateStore(db);
            long t0 = System.nanoTime();
            new CandidateRunner(store, "w", synthetic(new ArrayList<>())).run(IntStream.range(0, 300).toArray(), () -> { });
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(300, store.results("w").size());
            // 15,625 candidates of minutes each arrive far slower than this (docs/cluster.md; benchmarks/spark-engine.sh)
            assertTrue(seconds < 30, seconds + " s");
        }
    }
}
