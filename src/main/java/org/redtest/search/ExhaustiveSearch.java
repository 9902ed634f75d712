package org.redtest.search;

import org.redtest.console.Progress;
import org.redtest.console.ProgressBars;
import org.redtest.storage.CandidateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Algorithm 2 of the paper: evaluate every candidate (or a seeded random sample of K) and rank them
 * by each reward. Candidates already evaluated under the budget are reused; candidates claimed by
 * another live search process are left to it.
 */
public final class ExhaustiveSearch {
    private static final Logger LOG = LoggerFactory.getLogger(ExhaustiveSearch.class);
    private final CandidateStore store;
    private final CandidateRunner runner;
    private final String budgetKey;

    public ExhaustiveSearch(CandidateStore store, CandidateEngine engine, String budgetKey) {
        this.store = store;
        this.runner = new CandidateRunner(store, budgetKey, engine);
        this.budgetKey = budgetKey;
    }

    /** @return the finished results of the given candidates (those another process still trains are missing) */
    public List<CandidateStore.Result> run(int[] indices) {
        CandidateRunner.Tally tally;
        try (Progress bar = ProgressBars.create("search", indices.length, "cand")) {
            tally = runner.run(indices, bar::step);
        }
        LOG.info("{} candidates: {} reused from earlier runs, {} evaluated ({} failed), {} left to another search process",
                indices.length, tally.reused(), tally.evaluated(), tally.failed(), tally.leftToOthers().size());
        List<CandidateStore.Result> out = new ArrayList<>();
        for (int index : indices) {
            store.result(budgetKey, index).ifPresent(out::add);
        }
        return out;
    }
}
