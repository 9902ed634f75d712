package org.redtest.experiment;

import org.redtest.config.ConfigLoader;
import org.redtest.config.ExperimentConfig;
import org.redtest.config.SearchConfig;
import org.redtest.config.SearchStrategy;
import org.redtest.data.LoadedData;
import org.redtest.io.Sha256;
import org.redtest.measure.MeasurementSettings;
import org.redtest.search.CandidateEngine;
import org.redtest.search.CandidateEngines;
import org.redtest.search.CandidateEvaluator;
import org.redtest.search.EvolutionarySearch;
import org.redtest.search.ExhaustiveSearch;
import org.redtest.search.NatsSpace;
import org.redtest.search.SearchReport;
import org.redtest.storage.CandidateStatus;
import org.redtest.storage.CandidateStore;
import org.redtest.storage.GenerationStore;
import org.redtest.storage.ResultsDatabase;
import org.redtest.zoo.Family;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code search} stage: exhaustive (or sampled) or evolutionary redundancy-aware NAS over the NATS space,
 * candidates stored in the results database under a budget key, then the reward comparison.
 * Running it again resumes: evaluated candidates are reused, never retrained.
 */
public final class SearchStage implements Stage {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SearchStage.class);

    @Override
    public void run(ExperimentRun run) {
        run(run.config(), run.data(), run.db(), run.out());
    }

    public static void run(ExperimentConfig cfg, LoadedData data, ResultsDatabase db, PrintWriter out) {
        SearchConfig s = cfg.search();
        MeasurementSettings measurement = MeasurementSettings.from(cfg.measure(), Family.NATS, cfg.seed());
        String budget = budgetDefinition(cfg, measurement);
        String budgetKey = Sha256.hex(budget).substring(0, 16);
        CandidateStore store = new CandidateStore(db);
        store.registerBudget(budgetKey, budget);
        CandidateEvaluator evaluator = CandidateEvaluator.forSearch(cfg, data);
        List<CandidateStore.Result> results;
        SearchReport.Completeness completeness = null;
        try (CandidateEngine engine = CandidateEngines.open(cfg, data, evaluator)) {
            LOG.info("candidates run on engine {}", engine.describe());
            if (s.strategy() == SearchStrategy.EVOLUTIONARY) {
                String searchName = cfg.name() + "/" + budgetKey + "/" + s.evolution().reward();
                results = new EvolutionarySearch(store, engine, budgetKey, s.rewards(), s.evolution(),
                        new GenerationStore(db), searchName, cfg.seed()).run();
            } else {
                int[] indices = s.sample() != null ? NatsSpace.sample(s.sample(), cfg.seed()) : NatsSpace.indices().toArray();
                results = new ExhaustiveSearch(store, engine, budgetKey).run(indices);
                java.util.Set<Integer> claimed = store.claimedIndices(budgetKey);
                completeness = new SearchReport.Completeness(indices.length, results.size(),
                        (int) java.util.Arrays.stream(indices).filter(claimed::contains).count());
            }
        }
        List<SearchReport.Selection> selections = SearchReport.select(results, s.rewards(), s.topK());
        long degenerate = results.stream().filter(r -> r.status() == CandidateStatus.DEGENERATE).count();
        Path dir = cfg.runDirectory();
        SearchReport.writeJson(selections, completeness, dir.resolve("search.json"));
        SearchReport.writeScatter(results, selections, dir.resolve("search-scatter.png"));
        if (completeness != null) {
            out.println(completeness.describe());
        }
        long failed = results.stream().filter(r -> r.status() == CandidateStatus.FAILED).count();
        if (failed > 0) {
            out.printf("%d candidate(s) failed every attempt and are left out of the ranking (errors: column error of "
                    + "table nas_candidates)%n", failed);
        }
        out.print(SearchReport.table(selections, results.size(), (int) degenerate));
        out.println("search report: " + dir.resolve("search.json") + ", scatter: " + dir.resolve("search-scatter.png"));
        out.flush();
    }

    /** What makes two evaluations of a cell comparable: data, seed, skeleton, budget and measurement (JSON). */
    static String budgetDefinition(ExperimentConfig cfg, MeasurementSettings m) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("data", cfg.data());
        key.put("seed", cfg.seed());
        key.put("channels", cfg.search().channels());
        key.put("cells", cfg.search().cells());
        key.put("budget", cfg.search().budget());
        key.put("measure", m);
        return ConfigLoader.toJson(key);
    }
}
