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
        population = population == null ? 20 : population;
        generations = generations == null ? 10 : generations;
        reward = reward == null ? RewardKind.S3 : reward;
        selector = selector == null ? SelectorKind.TOURNAMENT : selector;
        tournamentSize = tournamentSize == null ? 3 : tournamentSize;
        mutation = mutation == null ? 0.2 : mutation;
        crossover = crossover == null ? 0.6 : crossover;
    }

    public static EvolutionConfig defaults() {
        return new EvolutionConfig(null, null, null, null, null, null, null);
    }

    public EvolutionConfig validate() {
        if (population < 2 || generations < 1) {
            throw new RedTestException("search.evolution.population must be >= 2 and generations >= 1");
        }
        if (tournamentSize < 2 || mutation < 0 || mutation > 1 || crossover < 0 || crossover > 1) {
            throw new RedTestException("search.evolution: tournament_size >= 2, mutation and crossover in [0, 1]");
        }
        return this;
    }
}
