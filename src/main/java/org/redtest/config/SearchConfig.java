package org.redtest.config;

import org.redtest.RedTestException;
import org.redtest.search.RewardSettings;

import java.util.Locale;

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
public record SearchConfig(String strategy, Integer sample, Integer topK, Integer channels, Integer cells,
                           TrainingConfig budget, RewardSettings rewards, EvolutionConfig evolution,
                           String engine, SparkConfig spark) {
    public static final String EXHAUSTIVE = "exhaustive";
    public static final String EVOLUTIONARY = "evolutionary";
    public static final String LOCAL = "local";
    public static final String SPARK = "spark";

    public SearchConfig {
        strategy = strategy == null ? EXHAUSTIVE : strategy.toLowerCase(Locale.ROOT);
        topK = topK == null ? 10 : topK;
        channels = channels == null ? 16 : channels;
        cells = cells == null ? 5 : cells;
        budget = budget == null ? new TrainingConfig(12, null, null, null, null, null, null, null) : budget;
        rewards = rewards == null ? RewardSettings.defaults() : rewards;
        evolution = evolution == null ? EvolutionConfig.defaults() : evolution;
        engine = engine == null ? LOCAL : engine.toLowerCase(Locale.ROOT);
        spark = spark == null ? SparkConfig.defaults() : spark;
    }

    public static SearchConfig defaults() {
        return new SearchConfig(null, null, null, null, null, null, null, null, null, null);
    }

    /** The same search on another engine (command-line --engine and --master). */
    public SearchConfig withEngine(String name, String master) {
        return new SearchConfig(strategy, sample, topK, channels, cells, budget, rewards, evolution,
                name != null ? name : engine, master != null ? spark.withMaster(master) : spark);
    }

    public SearchConfig validate() {
        if (!engine.equals(LOCAL) && !engine.equals(SPARK)) {
            throw new RedTestException("search.engine must be 'local' or 'spark', got '" + engine + "'");
        }
        spark.validate();
        if (!strategy.equals(EXHAUSTIVE) && !strategy.equals(EVOLUTIONARY)) {
            throw new RedTestException("search.strategy must be 'exhaustive' or 'evolutionary', got '" + strategy + "'");
        }
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
