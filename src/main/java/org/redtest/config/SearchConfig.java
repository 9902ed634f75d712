package org.redtest.config;

import org.redtest.RedTestException;

/**
 * The {@code search} section (docs/method.md, "Architecture search"): redundancy-aware NAS over the NATS topology space.
 * Each candidate is trained under {@code budget} (a training recipe, e.g. a few epochs) on the
 * experiment's data, then measured (accuracy, Params, FLOPs, latency, MSRS with the measure
 * section's settings). {@code sample}: evaluate a seeded random sample of K cells instead of all
 * 15,625. {@code top_k}: how many best candidates each reward selects for the comparison report.
 * {@code strategy: evolutionary} runs the Jenetics searcher of {@code evolution} instead.
 * {@code engine}: where candidates train, {@code local} (this process) or {@code spark} (as Spark
 * tasks, settings in {@code spark}; docs/cluster.md).
 */
public record SearchConfig(SearchStrategy strategy, Integer sample, Integer topK, Integer channels, Integer cells,
                           TrainingConfig budget, RewardsConfig rewards, EvolutionConfig evolution,
                           EngineKind engine, SparkConfig spark) {
    /** A candidate's default training budget: the default recipe for 12 epochs (the NATS-Bench short budget). */
    private static final TrainingConfig DEFAULT_BUDGET = TrainingConfig.defaults().withEpochs(12);

    public SearchConfig {
        strategy = strategy == null ? SearchStrategy.EXHAUSTIVE : strategy;
        topK = topK == null ? 10 : topK;
        channels = channels == null ? 16 : channels;
        cells = cells == null ? 5 : cells;
        budget = budget == null ? DEFAULT_BUDGET : budget;
        rewards = rewards == null ? RewardsConfig.defaults() : rewards;
        evolution = evolution == null ? EvolutionConfig.defaults() : evolution;
        engine = engine == null ? EngineKind.LOCAL : engine;
        spark = spark == null ? SparkConfig.defaults() : spark;
    }

    public static SearchConfig defaults() {
        return new SearchConfig(null, null, null, null, null, null, null, null, null, null);
    }

    /** The same search on another engine (command-line --engine and --master). */
    /** The same search over a seeded random sample of {@code k} cells. */
    public SearchConfig withSample(int k) {
        return new SearchConfig(strategy, k, topK, channels, cells, budget, rewards, evolution, engine, spark);
    }

    public SearchConfig withEngine(EngineKind name, String master) {
        return new SearchConfig(strategy, sample, topK, channels, cells, budget, rewards, evolution,
                name != null ? name : engine, master != null ? spark.withMaster(master) : spark);
    }

    public SearchConfig validate() {
        spark.validate();
        if (sample != null && (sample < 1 || sample > 15625)) {
            throw new RedTestException("search.sample must be between 1 and 15625, got " + sample);
        }
        if (topK < 1 || channels < 1 || cells < 1) {
            throw new RedTestException("search.top_k, search.channels and search.cells must be >= 1");
        }
        budget.validate();
        rewards.validate();
        evolution.validate();
        return this;
    }
}
