package org.redtest.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CandidateStoreTest {
    @TempDir
    Path dir;

    @Test
    void aCandidateIsClaimedOnceAndNeverEvaluatedTwice() {
        try (ResultsDatabase db = ResultsDatabase.open(dir.resolve("r.db"))) {
            CandidateStore store = new CandidateStore(db);
            assertTrue(store.claim("b1", 7, "|arch|"));
            assertTrue(store.result("b1", 7).isEmpty(), "claimed, not finished");
            store.complete("b1", 7, CandidateStatus.DONE, 88.5, 1000, 2000, 0.01, 12.0, 1.5, 30.0, "{}");
            assertFalse(store.claim("b1", 7, "|arch|"), "evaluated candidates are never trained again");
            CandidateStore.Result r = store.result("b1", 7).orElseThrow();
            assertEquals(88.5, r.accuracy());
            assertEquals(12.0, r.msrsMean());
            assertTrue(store.claim("b2", 7, "|arch|"), "another budget is another candidate");
        }
    }

    @Test
    void aLiveClaimIsRespectedADeadOneIsTakenOver() {
        Path file = dir.resolve("r.db");
        try (ResultsDatabase a = ResultsDatabase.open(file); ResultsDatabase b = ResultsDatabase.open(file)) {
            CandidateStore live = new CandidateStore(a, ProcessHandle.current().pid());
            assertTrue(live.claim("b", 1, "x"));
            CandidateStore other = new CandidateStore(b, ProcessHandle.current().pid() + 1_000_000);
            assertFalse(other.claim("b", 1, "x"), "this process is alive: its claim stands");

            CandidateStore dead = new CandidateStore(a, Long.MAX_VALUE - 1);
            assertTrue(dead.claim("b", 2, "x"));
            assertTrue(new CandidateStore(b).claim("b", 2, "x"), "a killed search's claim is taken over on resume");
        }
    }

    @Test
    void concurrentClaimsOfTwoLiveWorkersGiveExactlyOneWinner() throws Exception {
        Path file = dir.resolve("r.db");
        AtomicInteger wins = new AtomicInteger();
        long self = ProcessHandle.current().pid();
        long parent = ProcessHandle.current().parent().orElseThrow().pid(); // alive: it runs this test
        try (ResultsDatabase a = ResultsDatabase.open(file); ResultsDatabase b = ResultsDatabase.open(file)) {
            CandidateStore sa = new CandidateStore(a, self);
            CandidateStore sb = new CandidateStore(b, parent);
            for (int index = 0; index < 50; index++) {
                int i = index;
                Thread t1 = new Thread(() -> wins.addAndGet(sa.claim("c", i, "x") ? 1 : 0));
                Thread t2 = new Thread(() -> wins.addAndGet(sb.claim("c", i, "x") ? 1 : 0));
                t1.start();
                t2.start();
                t1.join();
                t2.join();
            }
        }
        assertEquals(50, wins.get(), "each candidate goes to exactly one of two live workers");
    }
}
