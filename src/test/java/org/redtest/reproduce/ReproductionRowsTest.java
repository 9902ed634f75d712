package org.redtest.reproduce;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verdicts: each criterion passes and fails where it should. */
class ReproductionRowsTest {
    private static ReproductionRow.Verdict verdict(List<ReproductionRow> rows, String itemPart) {
        return rows.stream().filter(r -> r.item().contains(itemPart)).findFirst().orElseThrow().verdict();
    }

    @Test
    void structureRowsMatchThePaperExactly() {
        List<ReproductionRow> rows = StructureRows.rows();
        assertEquals(11, rows.size());
        rows.forEach(r -> assertEquals(ReproductionRow.Verdict.PASS, r.verdict(), r.toString()));
    }

    @Test
    void withinToleranceJudgesTheDifference() {
        assertEquals(ReproductionRow.Verdict.PASS, ReproductionRow.within("s", "x", 45.0, 45.07, "%", 0.1).verdict());
        assertEquals(ReproductionRow.Verdict.FAIL, ReproductionRow.within("s", "x", 45.0, 45.2, "%", 0.1).verdict());
        assertEquals(ReproductionRow.Verdict.FAIL, ReproductionRow.within("s", "x", 45.0, Double.NaN, "%", 0.1).verdict());
        assertEquals(-0.2, ReproductionRow.within("s", "x", 45.0, 44.8, "%", 0.1).difference(), 1e-9);
    }

    private static DepthPart.ModelResult model(String spec, String family, int depth, double msrs) {
        return new DepthPart.ModelResult(spec, family, depth, "d", 80, msrs, 0, 0.8, 1, 1);
    }

    @Test
    void msrsGrowingWithDepthPassesAndShrinkingFails() {
        List<ReproductionRow> grows = DepthPart.rows(List.of(model("resnet8", "resnet", 8, 0.5), model("resnet20", "resnet", 20, 3),
                model("resnet56", "resnet", 56, 9), model("vgg11", "vgg", 11, 5), model("vgg13", "vgg", 13, 4),
                model("vgg16", "vgg", 16, 3)), null);
        assertEquals(ReproductionRow.Verdict.PASS, verdict(grows, "resnet: MSRS grows"));
        assertEquals(ReproductionRow.Verdict.FAIL, verdict(grows, "vgg: MSRS grows"));
        assertEquals(ReproductionRow.Verdict.PASS, verdict(grows, "resnet8 MSRS"));
        assertEquals(ReproductionRow.Verdict.INFO, verdict(grows, "resnet20 top-1"));
        List<ReproductionRow> judged = DepthPart.rows(List.of(model("resnet20", "resnet", 20, 3)), 1.0);
        assertEquals(ReproductionRow.Verdict.FAIL, verdict(judged, "resnet20 top-1"), "80% is not within 1 point of 91.78%");
    }

    private static NasPart.SeedRun nasRun(long seed, double[] s1, double[] s2, double[] s3) {
        return new NasPart.SeedRun("n-seed" + seed, seed, 80, Map.of("S1", new NasPart.Selection(s1[0], s1[1], 0, 0),
                "S2", new NasPart.Selection(s2[0], s2[1], 0, 0), "S3", new NasPart.Selection(s3[0], s3[1], 0, 0)));
    }

    @Test
    void nasClaimsCompareTheRewardsSelections() {
        NasPart.Result paperLike = new NasPart.Result(List.of(nasRun(1, new double[]{94, 57}, new double[]{91.8, 34.8},
                new double[]{92.4, 30.4})));
        NasPart.rows(paperLike).stream().filter(r -> r.verdict() != ReproductionRow.Verdict.INFO)
                .forEach(r -> assertEquals(ReproductionRow.Verdict.PASS, r.verdict(), r.toString()));
        NasPart.Result reversed = new NasPart.Result(List.of(nasRun(1, new double[]{90, 20}, new double[]{91.8, 30},
                new double[]{91, 34.8})));
        List<ReproductionRow> rows = NasPart.rows(reversed);
        assertEquals(4, rows.stream().filter(r -> r.verdict() == ReproductionRow.Verdict.FAIL).count(), rows.toString());
    }

    @Test
    void nasOverSeedsIsJudgedOnMeansWithTheSpreadAndTheSeedsThatHeld() {
        // seed 2 alone has S3 above S2 in MSRS; the means (S3 6.0 vs S2 6.5) still hold the claim
        NasPart.Result r = new NasPart.Result(List.of(
                nasRun(1, new double[]{70, 7.0}, new double[]{68, 6.8}, new double[]{68.5, 5.5}),
                nasRun(2, new double[]{71, 7.2}, new double[]{69, 6.2}, new double[]{69, 6.9}),
                nasRun(3, new double[]{69, 6.9}, new double[]{67, 6.5}, new double[]{68, 5.6})));
        List<ReproductionRow> rows = NasPart.rows(r);
        ReproductionRow msrs = rows.stream().filter(x -> x.item().startsWith("S3 MSRS - S2 MSRS")).findFirst().orElseThrow();
        assertEquals(ReproductionRow.Verdict.PASS, msrs.verdict(), msrs.toString());
        assertTrue(msrs.item().contains("mean over 3 seeds; holds in 2 of 3 seeds"), msrs.item());
        assertEquals(-0.5, msrs.ours(), 1e-9);
        assertEquals(org.apache.commons.math3.stat.StatUtils.variance(new double[]{-1.3, 0.7, -0.9}), msrs.spread() * msrs.spread(), 1e-9);
        ReproductionRow s1Info = rows.stream().filter(x -> x.item().startsWith("S1 selection mean top-1")).findFirst().orElseThrow();
        assertEquals(70.0, s1Info.ours(), 1e-9);
        assertEquals(1.0, s1Info.spread(), 1e-9);
        assertEquals(ReproductionRow.Verdict.PASS, rows.stream().filter(x -> x.item().startsWith("S1 has the highest mean MSRS"))
                .findFirst().orElseThrow().verdict());
    }

    @Test
    void pruningClaimsJudgeAccuracyChangeMsrsAndBaselines() {
        PruningPart.MethodResult cka = new PruningPart.MethodResult("cka", 42, "resnet:6-1-6", 90, 89.5, 45, 52, 50, 20, 5, "d");
        PruningPart.MethodResult random = new PruningPart.MethodResult("random", 42, "resnet:4-4-5", 90, 89.9, 40, 40, 40, 20, 8, "d");
        List<ReproductionRow> rows = PruningPart.rows(new PruningPart.ModelResult("resnet56", 13, List.of(cka, random)));
        assertEquals(ReproductionRow.Verdict.PASS, verdict(rows, "top-1 change"), "-0.5 >= 0.29 - 1");
        assertEquals(ReproductionRow.Verdict.PASS, verdict(rows, "MSRS after"));
        assertEquals(ReproductionRow.Verdict.FAIL, verdict(rows, "vs random"));
        assertEquals(0.0, rows.stream().filter(r -> r.item().contains("MSRS after")).findFirst().orElseThrow().paper());
        assertTrue(rows.stream().anyMatch(r -> r.item().contains("Params PR") && r.verdict() == ReproductionRow.Verdict.INFO));
    }

    @Test
    void pruningOverSeedsIsJudgedOnMeansWithTheSpreadShown() {
        // CKA's best seed is below random's best, but its mean is higher: the verdict follows the means
        List<PruningPart.MethodResult> runs = List.of(
                method("cka", 42, "resnet:5-4-4", 90, 88.0), method("cka", 43, "resnet:5-4-4", 90, 88.4),
                method("cka", 44, "resnet:5-4-4", 90, 88.2),
                method("random", 42, "resnet:4-4-5", 90, 88.9), method("random", 43, "resnet:6-3-4", 90, 87.0),
                method("random", 44, "resnet:4-5-4", 90, 87.5));
        List<ReproductionRow> rows = PruningPart.rows(new PruningPart.ModelResult("resnet56", 13, runs));
        ReproductionRow vsRandom = rows.stream().filter(r -> r.item().contains("vs random")).findFirst().orElseThrow();
        assertEquals(ReproductionRow.Verdict.PASS, vsRandom.verdict(), "88.2 mean vs 87.8 mean");
        assertEquals(88.2 - 87.8, vsRandom.ours(), 1e-9);
        assertTrue(vsRandom.spread() > 0, "the spread of the difference is shown");
        assertTrue(vsRandom.item().contains("88.20 +- 0.20 vs 87.80 +- 0.98"), vsRandom.item());
        assertTrue(vsRandom.item().contains("drew resnet:4-4-5, resnet:6-3-4, resnet:4-5-4"), "random's draws are named");
        ReproductionRow change = rows.stream().filter(r -> r.item().contains("top-1 change")).findFirst().orElseThrow();
        assertEquals(-1.8, change.ours(), 1e-9);
        assertEquals(0.2, change.spread(), 1e-9);
        assertTrue(change.item().contains("mean over 3 seeds"), change.item());
        assertTrue(ReproductionTable.markdown("t", "c", rows, List.of()).contains("-1.80 ± 0.20"));
    }

    private static PruningPart.MethodResult method(String method, long seed, String spec, double before, double after) {
        return new PruningPart.MethodResult(method, seed, spec, before, after, 45, 52, 50, 20, 5, "d");
    }
}
