package org.redtest.search;

import org.redtest.storage.CandidateOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.storage.CandidateStatus;
import org.redtest.storage.CandidateStore;
import org.redtest.storage.ResultsDatabase;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The driver's side of an engine, with a synthetic engine: reuse, claims, failed outcomes, each outcome recorded as it arrives. */
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
                            : new CandidateOutcome(k, "arch", CandidateStatus.DONE, 50, 1000, 2000, 0.01, 20, 1, 0, 3, 1,
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
            assertEquals(CandidateStatus.FAILED, store.result("b", 7).orElseThrow().status());
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

    /**
     * Each outcome is in the store before the engine asks for the next candidate (nothing waits in a batch that a
     * driver crash would lose), every candidate is claimed once and recorded once, and the progress step runs once
     * per candidate. The write rate itself is measured by benchmarks/spark-engine.sh, not here.
     */
    @Test
    void theDriverRecordsEachOfThreeHundredOutcomesAsItArrives() throws Exception {
        try (ResultsDatabase db = ResultsDatabase.open(dir.resolve("w.db"))) {
            CandidateStore store = new CandidateStore(db);
            List<Integer> notYetRecorded = new ArrayList<>();
            List<Integer> claimedTwice = new ArrayList<>();
            CandidateEngine checking = new CandidateEngine() {
                @Override
                public void run(Source source, Consumer<CandidateOutcome> sink) {
                    int previous = -1;
                    for (OptionalInt i = source.next(); i.isPresent(); i = source.next()) {
                        if (previous >= 0 && store.result("w", previous).isEmpty()) {
                            notYetRecorded.add(previous);
                        }
                        int k = i.getAsInt();
                        if (store.claimedIndices("w").size() != 1 || !store.claimedIndices("w").contains(k)) {
                            claimedTwice.add(k);
                        }
                        sink.accept(new CandidateOutcome(k, "arch", CandidateStatus.DONE, 50, 1000, 2000, 0.01, 20, 1, 0, 3, 1,
                                "host-a", 1, null, "{}", 0, 4_000_000));
                        previous = k;
                    }
                }

                @Override
                public String describe() {
                    return "checking";
                }

                @Override
                public void close() {
                }
            };
            int[] steps = new int[1];
            CandidateRunner.Tally tally = new CandidateRunner(store, "w", checking)
                    .run(IntStream.range(0, 300).toArray(), () -> steps[0]++);
            assertEquals(List.of(), notYetRecorded, "outcomes still unrecorded when the next candidate was taken");
            assertEquals(List.of(), claimedTwice, "only the candidate in flight is claimed, once");
            assertEquals(new CandidateRunner.Tally(0, 300, 0, List.of()), tally);
            assertEquals(300, steps[0], "one progress step per candidate");
            assertEquals(IntStream.range(0, 300).boxed().toList(),
                    store.results("w").stream().map(CandidateStore.Result::index).toList());
            assertEquals(Set.of(), store.claimedIndices("w"), "no claim left behind");
        }
    }
}
