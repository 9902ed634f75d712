package org.redtest.pruning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.engine.LatencyMeter;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pruning summary a researcher reads: MSRS as a share of the pairs (a count falls with the units even when
 * the share rises), the change in top-1, latency noise called noise, a verdict naming the best method, and
 * earlier timings kept on a re-run.
 */
class PruningReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The quickstart's shape: 10 units (45 pairs) before, 7 after (21 pairs). */
    static PruningOutcome outcome(String method, long seed, double tuned, double msrsPruned, double latencyPruned,
                                  int fasterRounds) {
        return new PruningOutcome(new PruningOutcome.Selection(method, "keep6", seed, List.of(
                new PruningOutcome.DroppedUnit("s1.b2", 0.97), new PruningOutcome.DroppedUnit("s2.b3", 0.95),
                new PruningOutcome.DroppedUnit("s3.b2", Double.NaN))),
                new PruningOutcome.Side("resnet20", 269_000, 40_800_000, 88.0, 19.9, 10, 0.0016, 0.0001),
                new PruningOutcome.Side("resnet:2-2-2", 170_000, 26_500_000, tuned, msrsPruned, 7, latencyPruned, 0.0001),
                new PruningOutcome.FineTuning(List.of(), 1, 40.0), fasterRounds, 7,
                Path.of("checkpoints/q/prune-" + method + "-keep6"));
    }

    @Test
    void msrsIsShownAsAShareOfThePairsSoAFallingCountWithARisingShareIsVisible() {
        PruningOutcome o = outcome("cka", 42, 86.5, 9.95, 0.0012, 7);
        assertEquals(100 * 19.9 / 45, o.msrsShareOriginal(), 1e-9);
        assertEquals(100 * 9.95 / 21, o.msrsSharePruned(), 1e-9);
        assertTrue(o.msrsSharePruned() > o.msrsShareOriginal(), "the count halved but the share rose");
        String table = PruningReport.table(List.of(o));
        assertTrue(table.contains("19.90 of 45 (44%)"), table);
        assertTrue(table.contains("9.95 of 21 (47%)"), table);
        assertTrue(table.contains("-1.50"), "the change in top-1 against the original: " + table);
    }

    @Test
    void aLatencyReductionIsMarkedNotSignificantWhenTheSpreadReachesItOrTheRoundsDisagree() {
        LatencyDifference clear = new LatencyDifference(26, 10, 7, 7);
        assertTrue(clear.significant());
        assertEquals("26 ± 10", clear.describe());
        LatencyDifference wide = new LatencyDifference(1, 10, 7, 7);
        assertFalse(wide.significant(), "the spread reaches the value");
        assertEquals("1 ± 10 (not significant)", wide.describe());
        LatencyDifference split = new LatencyDifference(30, 5, 5, 7);
        assertFalse(split.significant(), "faster in only 5 of 7 rounds");
        assertEquals("faster in 5 of 7 timing rounds", split.reason());
        assertFalse(new LatencyDifference(30, 5, 0, 7).significant(), "slower in every round cannot be a reduction");
        assertTrue(new LatencyDifference(-30, 5, 0, 7).significant(), "slower in every round: a significant increase");
        assertTrue(new LatencyDifference(30, 5, 0, 0).significant(), "old files: judged on the spread alone");

        String table = PruningReport.table(List.of(outcome("cka", 42, 86.5, 9.95, 0.0012, 7),
                outcome("random", 42, 87.0, 9.0, 0.00155, 3)));
        assertTrue(table.contains("n.s."), table);
        assertTrue(table.contains("random (faster in 3 of 7 timing rounds)"), table);
        assertFalse(table.contains("cka (faster"), table);
    }

    @Test
    void fasterRoundsPairTheRoundsByIndex() {
        assertEquals(2, LatencyDifference.fasterRounds(new double[] {3, 3, 3}, new double[] {2, 4, 1}));
        LatencyMeter.Latency original = new LatencyMeter.Latency(0.003, 0.0002, new double[] {0.003, 0.0031, 0.0029});
        LatencyMeter.Latency pruned = new LatencyMeter.Latency(0.002, 0.0002, new double[] {0.002, 0.0032, 0.002});
        PruningOutcome timed = outcome("cka", 1, 80, 5, Double.NaN, 0).withLatency(original, pruned);
        assertEquals(2, timed.latencyFasterRounds());
        assertEquals(3, timed.latencyRounds());
        assertFalse(timed.latencyDifference().significant());
    }

    @Test
    void theVerdictNamesTheBestMethodOnAccuracyAndOnRedundancy() {
        String verdict = PruningVerdict.of(List.of(outcome("cka", 42, 85.0, 12.0, 0.0012, 7),
                outcome("random", 42, 86.0, 10.0, 0.0012, 7), outcome("linear-probe", 42, 87.5, 11.0, 0.0012, 7)));
        assertTrue(verdict.startsWith("Verdict: best on accuracy linear-probe (top-1 87.50 %, -0.50 points"), verdict);
        assertTrue(verdict.contains("least redundancy random (MSRS 10.00, 48 % of its unit pairs)"), verdict);
        assertTrue(verdict.contains("One seed per method"), verdict);
        assertTrue(PruningVerdict.of(List.of(outcome("cka", 42, 85.0, 12.0, 0.0012, 7), outcome("random", 42, 85.0, 10.0,
                0.0012, 7))).startsWith("Verdict: best on accuracy cka and random (tied, top-1 85.00 %"), "a tie is called a tie");

        String seeds = PruningVerdict.of(List.of(outcome("cka", 1, 84.8, 12.0, 0.0012, 7), outcome("cka", 2, 85.0, 12.0, 0.0012, 7),
                outcome("random", 1, 80.0, 10.0, 0.0012, 7), outcome("random", 2, 90.0, 10.2, 0.0012, 7)));
        assertTrue(seeds.contains("best on accuracy random (top-1 85.00 %"), seeds);
        assertTrue(seeds.contains("within the seeds' spread"), "a 0.1 point lead under a 7 point spread: " + seeds);
    }

    @Test
    void theJsonSaysWhatTheTableSaysAndReadsBack() throws Exception {
        PruningOutcome o = outcome("random", 42, 87.0, 9.0, 0.00155, 3);
        JsonNode j = JSON.valueToTree(PruningReport.json(o));
        assertEquals(-1.0, j.at("/top1/change_points").asDouble(), 1e-9);
        assertEquals(7, j.at("/msrs/units_pruned").asInt());
        assertEquals(100 * 9.0 / 21, j.at("/msrs/share_pruned_pct").asDouble(), 1e-9);
        assertFalse(j.at("/latency_s/significant").asBoolean());
        assertEquals(3, j.at("/latency_s/faster_rounds").asInt());
        PruningOutcome back = PruningReport.fromJson(JSON.readTree(JSON.writeValueAsString(PruningReport.json(o))), 0);
        assertEquals(o, back);
    }

    @Test
    void aReRunKeepsTheEarlierTimingsOfTheSameModels(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pruning-keep6.json");
        PruningOutcome cka = outcome("cka", 42, 86.5, 9.95, 0.0012, 7);
        PruningOutcome random = outcome("random", 42, 87.0, 9.0, 0.0013, 7);
        PruningReport.writeJson(List.of(cka, random), file);
        List<PruningOutcome> untimed = List.of(cka.withLatency(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0),
                random.withLatency(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0));
        List<PruningOutcome> kept = EarlierTimings.reuse(file, untimed).orElseThrow();
        assertEquals(List.of(cka, random), kept);

        PruningOutcome otherModel = new PruningOutcome(new PruningOutcome.Selection("cka", "keep6", 42,
                cka.selection().dropped()), new PruningOutcome.Side("resnet20", 1, 1, 88, 19.9, 10, Double.NaN, Double.NaN),
                new PruningOutcome.Side("resnet:3-2-1", 1, 1, 86, 9, 7, Double.NaN, Double.NaN),
                new PruningOutcome.FineTuning(List.of(), 1, 40), 0, 0, dir);
        assertTrue(EarlierTimings.reuse(file, List.of(otherModel)).isEmpty(), "another structure is timed again");
        assertTrue(EarlierTimings.reuse(dir.resolve("none.json"), untimed).isEmpty(), "nothing timed before");
    }
}
