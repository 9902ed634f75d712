package org.redtest.config;

import org.redtest.RedTestException;

/**
 * The {@code search.evolution} section: a Jenetics genetic algorithm over the 6 edge genes (5 ops
 * each) whose fitness is the chosen reward. Selectors: tournament (of tournament_size) or
 * roulette; alterers: uniform mutation and single-point crossover with the given probabilities.
 */
public record EvolutionConfig(Integer population, Integer generations, RewardKind reward, SelectorKind selector,
                              Integer tournamentSize, Double mutation, Double crossover) {
    public EvolutionConfig {
        Builder d = new Builder(); // an absent YAML key (null) takes the builder's default
        population = population == null ? d.population : population;
        generations = generations == null ? d.generations : generations;
        reward = reward == null ? d.reward : reward;
        selector = selector == null ? d.selector : selector;
        tournamentSize = tournamentSize == null ? d.tournamentSize : tournamentSize;
        mutation = mutation == null ? d.mutation : mutation;
        crossover = crossover == null ? d.crossover : crossover;
    }

    public static EvolutionConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public EvolutionConfig validate() {
        checkSizes(population, generations);
        checkOperators(tournamentSize, mutation, crossover);
        return this;
    }

    private static void checkSizes(int population, int generations) {
        if (population < 2 || generations < 1) {
            throw new RedTestException("search.evolution.population must be >= 2 and generations >= 1");
        }
    }

    private static void checkOperators(int tournamentSize, double mutation, double crossover) {
        if (tournamentSize < 2 || mutation < 0 || mutation > 1 || crossover < 0 || crossover > 1) {
            throw new RedTestException("search.evolution: tournament_size >= 2, mutation and crossover in [0, 1]");
        }
    }

    /** Evolution settings, each starting at its default and checked as it is set. */
    public static final class Builder {
        private int population = 20;
        private int generations = 10;
        private RewardKind reward = RewardKind.S3;
        private SelectorKind selector = SelectorKind.TOURNAMENT;
        private int tournamentSize = 3;
        private double mutation = 0.2;
        private double crossover = 0.6;

        private Builder() {
        }

        public Builder population(int n) {
            checkSizes(n, generations);
            population = n;
            return this;
        }

        public Builder generations(int n) {
            checkSizes(population, n);
            generations = n;
            return this;
        }

        public Builder reward(RewardKind r) {
            reward = java.util.Objects.requireNonNull(r, "reward");
            return this;
        }

        public Builder selector(SelectorKind s) {
            selector = java.util.Objects.requireNonNull(s, "selector");
            return this;
        }

        public Builder tournamentSize(int n) {
            checkOperators(n, mutation, crossover);
            tournamentSize = n;
            return this;
        }

        public Builder mutation(double p) {
            checkOperators(tournamentSize, p, crossover);
            mutation = p;
            return this;
        }

        public Builder crossover(double p) {
            checkOperators(tournamentSize, mutation, p);
            crossover = p;
            return this;
        }

        public EvolutionConfig build() {
            return new EvolutionConfig(population, generations, reward, selector, tournamentSize, mutation, crossover);
        }
    }
}
