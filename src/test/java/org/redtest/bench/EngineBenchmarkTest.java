package org.redtest.bench;

import org.junit.jupiter.api.Test;
import org.redtest.storage.CandidateOutcome;
import org.redtest.storage.CandidateStatus;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The engine benchmark's overhead measure: idle slot time between candidates, first wave and tail excluded. */
class EngineBenchmarkTest {
    private static CandidateOutcome ran(int index, long startMicros, long endMicros) {
        return new CandidateOutcome(index, "a", CandidateStatus.DONE, 1, 1, 1, 1, 1, 1, 0, 1, 1, "h", 1, null, "{}", startMicros, endMicros);
    }

    @Test
    void idleTimeIsTheGapOnTheSlotThatFreedUpLastBeforeEachStart() {
        // two slots: A 0-10 then C 10.5-20; B 1-12 then D 12.1-19; E 20.2-30 after C
        List<CandidateOutcome> runs = List.of(ran(1, 0, 10_000_000), ran(2, 1_000_000, 12_000_000),
                ran(3, 10_500_000, 20_000_000), ran(4, 12_100_000, 19_000_000), ran(5, 20_200_000, 30_000_000));
        // E starts at 20.2 s: the slot freed last before then is C's (20.0), so its gap is 0.2 s
        assertEquals((0.5 + 0.1 + 0.2) / 3, EngineBenchmark.idlePerCandidate(runs, 2), 1e-9);
        assertEquals(Double.NaN, EngineBenchmark.idlePerCandidate(runs.subList(0, 2), 2));
    }
}
