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
    private static final TrainingConfig DEFAULT_BUDGET = TrainingConfig.builder().epochs(12).build();

    public SearchConfig {
        Builder d = new Builder(); // an absent YAML key (null) takes the builder's default
        strategy = strategy == null ? d.strategy : strategy;
        topK = topK == null ? d.topK : topK;
        channels = channels == null ? d.channels : channels;
        cells = cells == null ? d.cells : cells;
        budget = budget == null ? d.budget : budget;
        rewards = rewards == null ? d.rewards : rewards;
        evolution = evolution == null ? d.evolution : evolution;
        engine = engine == null ? d.engine : engine;
        spark = spark == null ? d.spark : spark;
    }

    public static SearchConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Search settings, each starting at its default (every cell, no sample) and checked when built. */
    public static final class Builder {
        private SearchStrategy strategy = SearchStrategy.EXHAUSTIVE;
        private Integer sample;
        private int topK = 10;
        private int channels = 16;
        private int cells = 5;
        private TrainingConfig budget = DEFAULT_BUDGET;
        private RewardsConfig rewards = RewardsConfig.defaults();
        private EvolutionConfig evolution = EvolutionConfig.defaults();
        private EngineKind engine = EngineKind.LOCAL;
        private SparkConfig spark = SparkConfig.defaults();

        private Builder() {
        }

        public Builder strategy(SearchStrategy s) {
            strategy = java.util.Objects.requireNonNull(s, "strategy");
            return this;
        }

        public Builder sample(Integer k) {
            sample = k;
            return this;
        }

        public Builder topK(int k) {
            topK = k;
            return this;
        }

        public Builder skeleton(int channels, int cells) {
            this.channels = channels;
            this.cells = cells;
            return this;
        }

        public Builder budget(TrainingConfig recipe) {
            budget = recipe.validate();
            return this;
        }

        public Builder rewards(RewardsConfig r) {
            rewards = r.validate();
            return this;
        }

        public Builder evolution(EvolutionConfig e) {
            evolution = e.validate();
            return this;
        }

        public Builder engine(EngineKind e, SparkConfig settings) {
            engine = java.util.Objects.requireNonNull(e, "engine");
            spark = settings.validate();
            return this;
        }

        public SearchConfig build() {
            return new SearchConfig(strategy, sample, topK, channels, cells, budget, rewards, evolution, engine, spark)
                    .validate();
        }
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
