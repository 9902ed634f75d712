package org.redtest.reproduce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.redtest.RedTestException;
import org.redtest.config.ConfigLoader;
import org.redtest.config.ExperimentConfig;
import org.redtest.config.StageName;
import org.redtest.data.DataLoader;
import org.redtest.data.DataSpec;
import org.redtest.experiment.SearchStage;
import org.redtest.io.AtomicFiles;
import org.redtest.pruning.SeedStatistics;
import org.redtest.storage.ResultsDatabase;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Redundancy-aware NAS (paper Fig. 6): the suite's search experiment, run (or resumed) with its candidates in the
 * suite's database, once per seed ({@code nas_seeds}: another sample of cells and other training seeds each
 * time), and the claim that S3 selects lower MSRS than S2 at equal or better accuracy, judged on the means over
 * the seeds: at a reduced budget one sample of cells is one draw, and the verdicts of single draws flip.
 */
final class NasPart {
    static final String SECTION = "nas";

    record Selection(double accuracy, double msrs, double latency, double params) {
    }

    /** One search: its experiment, seed and each reward's mean over its top-k, keyed S1, S2, S3. */
    record SeedRun(String experiment, long seed, int sample, Map<String, Selection> selections) {
    }

    record Result(List<SeedRun> runs) {
        /** The rewards every run selected for (S1, S2, S3). */
        List<String> rewards() {
            return runs.isEmpty() ? List.of() : runs.get(0).selections().keySet().stream()
                    .filter(k -> runs.stream().allMatch(r -> r.selections().containsKey(k))).sorted().toList();
        }

        SeedStatistics of(String reward, ToDoubleFunction<Selection> figure) {
            return SeedStatistics.of(runs, r -> figure.applyAsDouble(r.selections().get(reward)));
        }

        /** In how many runs {@code holds} is true. */
        long count(java.util.function.Predicate<SeedRun> holds) {
            return runs.stream().filter(holds).count();
        }
    }

    private NasPart() {
    }

    static Result run(SuiteConfig suite, String dataDirOverride, ResultsDatabase db, Path figures, PrintWriter out) {
        ExperimentConfig c = ConfigLoader.load(Path.of(suite.nas())).config();
        DataSpec data = dataDirOverride != null ? c.data().withDir(dataDirOverride) : c.data();
        List<SeedRun> runs = new ArrayList<>();
        for (int k = 0; k < suite.nasSeeds(); k++) {
            long seed = c.seed() + k;
            ExperimentConfig one = c.withModel(null).withData(data).withStages(StageName.SEARCH).withSeed(seed)
                    .withOutput(suite.directory().toString(), db.file().toString());
            if (suite.nasSeeds() > 1) {
                one = one.withName(c.name() + "-seed" + seed);
            }
            if (suite.nasSample() != null) {
                one = one.withSearch(one.search().withSample(suite.nasSample()));
            }
            ExperimentConfig cfg = one.validate();
            out.printf("NAS run %d of %d: %s, seed %d, %s cells%n", k + 1, suite.nasSeeds(), cfg.name(), seed,
                    cfg.search().sample() == null ? "all" : cfg.search().sample());
            out.flush();
            SearchStage.run(cfg, DataLoader.load(cfg.data()), db, out);
            runs.add(new SeedRun(cfg.name(), seed, cfg.search().sample() == null ? 0 : cfg.search().sample(),
                    selections(cfg.runDirectory().resolve("search.json"))));
            copyScatter(cfg.runDirectory().resolve("search-scatter.png"), figures.resolve(scatterName(k, seed)));
        }
        return new Result(runs);
    }

    /** The figures' names of the runs' scatters: the first run's is the suite's "nas-scatter.png". */
    static List<String> scatterNames(Result r) {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < r.runs().size(); k++) {
            names.add(scatterName(k, r.runs().get(k).seed()));
        }
        return names;
    }

    private static String scatterName(int run, long seed) {
        return run == 0 ? "nas-scatter.png" : "nas-scatter-seed" + seed + ".png";
    }

    private static Map<String, Selection> selections(Path json) {
        Map<String, Selection> selections = new LinkedHashMap<>();
        try {
            JsonNode root = new ObjectMapper().readTree(json.toFile());
            root.fields().forEachRemaining(e -> {
                if (e.getValue().has("mean_accuracy")) { // reward selections; "candidates" is the completeness
                    selections.put(e.getKey(), new Selection(number(e.getValue(), "mean_accuracy"),
                    number(e.getValue(), "mean_msrs"), number(e.getValue(), "mean_latency_s"), number(e.getValue(), "mean_params")));
                }
            });
        } catch (IOException e) {
            throw new RedTestException("cannot read the search report " + json + ": " + e.getMessage(), e);
        }
        return selections;
    }

    private static void copyScatter(Path from, Path to) {
        try {
            AtomicFiles.copy(from, to);
        } catch (IOException e) {
            throw new RedTestException("cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    /** The paper's S3 minus S2, for a figure of its Fig. 6. */
    private static double paperDifference(java.util.function.ToDoubleFunction<PaperNumbers.NasSelection> f) {
        return f.applyAsDouble(PaperNumbers.NAS_CIFAR10.get("S3")) - f.applyAsDouble(PaperNumbers.NAS_CIFAR10.get("S2"));
    }

    private static double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
    }

    /** Each reward's means (INFO) and the paper's four claims, judged on the means over the seeds. */
    static List<ReproductionRow> rows(Result r) {
        List<ReproductionRow> rows = new ArrayList<>();
        int n = r.runs().size();
        String seeds = n > 1 ? ", mean over " + n + " seeds" : "";
        for (String reward : r.rewards()) {
            PaperNumbers.NasSelection paper = PaperNumbers.NAS_CIFAR10.get(reward);
            String why = "not judged: paper is NATS-Bench CIFAR-10 at 200 epochs";
            SeedStatistics accuracy = r.of(reward, Selection::accuracy);
            SeedStatistics msrs = r.of(reward, Selection::msrs);
            rows.add(ReproductionRow.info(SECTION, reward + " selection mean top-1" + seeds, paper == null ? null : paper.accuracy(),
                    accuracy.mean(), "%", why).withSpread(accuracy.standardDeviation(), n));
            rows.add(ReproductionRow.info(SECTION, reward + " selection mean MSRS" + seeds, paper == null ? null : paper.msrs(),
                    msrs.mean(), "MSRS", why).withSpread(msrs.standardDeviation(), n));
        }
        if (!r.rewards().containsAll(List.of("S1", "S2", "S3"))) {
            return rows;
        }
        SeedStatistics s1Acc = r.of("S1", Selection::accuracy);
        SeedStatistics s2Acc = r.of("S2", Selection::accuracy);
        SeedStatistics s3Acc = r.of("S3", Selection::accuracy);
        SeedStatistics s1Msrs = r.of("S1", Selection::msrs);
        SeedStatistics s2Msrs = r.of("S2", Selection::msrs);
        SeedStatistics s3Msrs = r.of("S3", Selection::msrs);
        // the spread of a per-seed difference: S2 and S3 rank the same cells of one run, so their figures pair up
        SeedStatistics msrsGap = SeedStatistics.of(r.runs(), s -> msrs(s, "S3") - msrs(s, "S2"));
        SeedStatistics accuracyGap = SeedStatistics.of(r.runs(), s -> accuracy(s, "S3") - accuracy(s, "S2"));
        rows.add(ReproductionRow.claim(SECTION, String.format("S3 MSRS - S2 MSRS (%s vs %s%s%s)", s3Msrs.format(2), s2Msrs.format(2),
                        seeds, held(r, s -> msrs(s, "S3") < msrs(s, "S2"))),
                paperDifference(PaperNumbers.NasSelection::msrs), msrsGap.mean(), "MSRS", "S3 selects lower mean MSRS than S2",
                s3Msrs.mean() < s2Msrs.mean()).withSpread(msrsGap.standardDeviation(), n));
        rows.add(ReproductionRow.claim(SECTION, String.format("S3 top-1 - S2 top-1 (%s vs %s%s%s)", s3Acc.format(2), s2Acc.format(2),
                        seeds, held(r, s -> accuracy(s, "S3") >= accuracy(s, "S2"))),
                paperDifference(PaperNumbers.NasSelection::accuracy), accuracyGap.mean(), "points",
                "S3 at equal or better mean accuracy than S2", s3Acc.mean() >= s2Acc.mean()).withSpread(accuracyGap.standardDeviation(), n));
        SeedStatistics s1AccLead = SeedStatistics.of(r.runs(), s -> accuracy(s, "S1") - Math.max(accuracy(s, "S2"), accuracy(s, "S3")));
        rows.add(ReproductionRow.claim(SECTION, "S1 has the highest mean top-1" + seeds
                        + held(r, s -> accuracy(s, "S1") >= Math.max(accuracy(s, "S2"), accuracy(s, "S3"))), null,
                s1Acc.mean() - Math.max(s2Acc.mean(), s3Acc.mean()), "points", "S1 top-1 >= S2's and S3's",
                s1Acc.mean() >= Math.max(s2Acc.mean(), s3Acc.mean())).withSpread(s1AccLead.standardDeviation(), n));
        SeedStatistics s1MsrsLead = SeedStatistics.of(r.runs(), s -> msrs(s, "S1") - Math.max(msrs(s, "S2"), msrs(s, "S3")));
        rows.add(ReproductionRow.claim(SECTION, "S1 has the highest mean MSRS" + seeds
                        + held(r, s -> msrs(s, "S1") >= Math.max(msrs(s, "S2"), msrs(s, "S3"))), null,
                s1Msrs.mean() - Math.max(s2Msrs.mean(), s3Msrs.mean()), "MSRS", "S1 MSRS >= S2's and S3's",
                s1Msrs.mean() >= Math.max(s2Msrs.mean(), s3Msrs.mean())).withSpread(s1MsrsLead.standardDeviation(), n));
        return rows;
    }

    private static double msrs(SeedRun s, String reward) {
        return s.selections().get(reward).msrs();
    }

    private static double accuracy(SeedRun s, String reward) {
        return s.selections().get(reward).accuracy();
    }

    /** "; holds in 2 of 3 seeds", for more than one seed. */
    private static String held(Result r, java.util.function.Predicate<SeedRun> holds) {
        return r.runs().size() > 1 ? "; holds in " + r.count(holds) + " of " + r.runs().size() + " seeds" : "";
    }
}
