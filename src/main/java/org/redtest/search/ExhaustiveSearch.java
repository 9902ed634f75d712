package org.redtest.search;

import org.redtest.runtime.Progress;
import org.redtest.runtime.ProgressBars;
import org.redtest.storage.CandidateStore;
import org.redtest.zoo.NatsCell;
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
    private final CandidateEvaluator evaluator;
    private final String budgetKey;

    public ExhaustiveSearch(CandidateStore store, CandidateEvaluator evaluator, String budgetKey) {
        this.store = store;
        this.evaluator = evaluator;
        this.budgetKey = budgetKey;
    }

    /** @return the finished results of the given candidates (those another process still trains are missing) */
    public List<CandidateStore.Result> run(int[] indices) {
        int reused = 0;
        int skipped = 0;
        try (Progress bar = ProgressBars.create("search", indices.length, "cand")) {
            for (int index : indices) {
                if (store.result(budgetKey, index).isPresent()) {
                    reused++;
                } else if (store.claim(budgetKey, index, NatsCell.fromIndex(index).arch())) {
                    evaluator.evaluate(index);
                } else {
                    skipped++;
                }
                bar.step();
            }
        }
        LOG.info("{} candidates: {} reused from earlier runs, {} left to another search process", indices.length,
                reused, skipped);
        List<CandidateStore.Result> out = new ArrayList<>();
        for (int index : indices) {
            store.result(budgetKey, index).ifPresent(out::add);
        }
        return out;
    }
}
