package org.redtest.search;

import org.redtest.storage.CandidateStatus;
import org.redtest.storage.CandidateStore;
import org.redtest.zoo.NatsCell;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The search driver's side of evaluating a set of candidates on an engine: reuses recorded results,
 * claims each remaining candidate just before the engine takes it (so several search processes can
 * share the database, and a driver crash loses only what was in flight), and records each outcome
 * as it arrives. Only this class, on the driver's thread, writes the candidate store.
 */
public final class CandidateRunner {
    private static final Logger LOG = LoggerFactory.getLogger(CandidateRunner.class);
    private final CandidateStore store;
    private final String budgetKey;
    private final CandidateEngine engine;

    /** How a call went: reused from earlier runs, evaluated now (failed among them), left to other processes. */
    public record Tally(int reused, int evaluated, int failed, List<Integer> leftToOthers) {
    }

    public CandidateRunner(CandidateStore store, String budgetKey, CandidateEngine engine) {
        this.store = store;
        this.budgetKey = budgetKey;
        this.engine = engine;
    }

    /**
     * Evaluates those of {@code indices} without a recorded result. {@code step} runs once per index
     * (reused, left to another process, or recorded now), for a progress bar.
     */
    public Tally run(int[] indices, Runnable step) {
        Set<Integer> distinct = new LinkedHashSet<>();
        Arrays.stream(indices).forEach(distinct::add);
        Iterator<Integer> pending = distinct.iterator();
        int[] counts = new int[3]; // reused, evaluated, failed
        List<Integer> others = new ArrayList<>();
        CandidateEngine.Source source = () -> {
            while (pending.hasNext()) {
                int index = pending.next();
                if (store.result(budgetKey, index).isPresent()) {
                    counts[0]++;
                    step.run();
                } else if (store.claim(budgetKey, index, NatsCell.fromIndex(index).arch())) {
                    return OptionalInt.of(index);
                } else {
                    others.add(index);
                    step.run();
                }
            }
            return OptionalInt.empty();
        };
        engine.run(source, outcome -> {
            store.record(budgetKey, outcome);
            counts[1]++;
            if (outcome.status() == CandidateStatus.FAILED) {
                counts[2]++;
                LOG.warn("candidate {} ({}) failed after {} attempt(s): {}", outcome.index(), outcome.arch(),
                        outcome.attempts(), outcome.error());
            }
            step.run();
        });
        return new Tally(counts[0], counts[1], counts[2], others);
    }

    /** Waits until the candidates other search processes claimed have their results (they may take hours). */
    public void awaitOthers(List<Integer> indices) {
        for (int index : indices) {
            // run() takes a candidate over when its claimant has died
            while (store.result(budgetKey, index).isEmpty() && !run(new int[]{index}, () -> { }).leftToOthers().isEmpty()) {
                sleep();
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
