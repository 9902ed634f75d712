package org.redtest.search;

import io.jenetics.Genotype;
import io.jenetics.IntegerChromosome;
import io.jenetics.IntegerGene;
import io.jenetics.Mutator;
import io.jenetics.Phenotype;
import io.jenetics.RouletteWheelSelector;
import io.jenetics.Selector;
import io.jenetics.SinglePointCrossover;
import io.jenetics.TournamentSelector;
import io.jenetics.engine.Engine;
import io.jenetics.engine.EvolutionResult;
import io.jenetics.engine.EvolutionStart;
import io.jenetics.util.ISeq;
import io.jenetics.util.Seq;
import io.jenetics.util.RandomRegistry;
import org.redtest.config.EvolutionConfig;
import org.redtest.config.RewardsConfig;
import org.redtest.config.SelectorKind;
import org.redtest.storage.CandidateStatus;
import org.redtest.storage.CandidateStore;
import org.redtest.storage.GenerationStore;
import org.redtest.zoo.NatsCell;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Jenetics-driven search: a genotype is 6 integer genes in 0..4 (the cell's edges, ops in NATS
 * order), its fitness the chosen reward of the evaluated candidate (0 for a degenerate cell). The
 * population is saved after every generation; a killed search restarts from the last saved one,
 * and every candidate already in the store is reused, never retrained.
 */
public final class EvolutionarySearch {
    private static final Logger LOG = LoggerFactory.getLogger(EvolutionarySearch.class);
    private final CandidateStore store;
    private final CandidateRunner runner;
    private final String budgetKey;
    private final Reward reward;
    private final EvolutionConfig config;
    private final GenerationStore generations;
    private final String searchName;
    private final long seed;
    private final Set<Integer> visited = new LinkedHashSet<>();

    public EvolutionarySearch(CandidateStore store, CandidateEngine engine, String budgetKey, RewardsConfig rewards,
                              EvolutionConfig config, GenerationStore generations, String searchName, long seed) {
        this.store = store;
        this.runner = new CandidateRunner(store, budgetKey, engine);
        this.budgetKey = budgetKey;
        this.reward = Reward.of(config.reward(), rewards);
        this.config = config;
        this.generations = generations;
        this.searchName = searchName;
        this.seed = seed;
    }

    /** @return every candidate the search evaluated or reused */
    public List<CandidateStore.Result> run() {
        Optional<GenerationStore.Generation> saved = generations.latest(searchName);
        long start = saved.map(g -> g.number() + 1).orElse(1L);
        if (start > config.generations()) {
            LOG.info("evolutionary search '{}' already ran its {} generations", searchName, config.generations());
        } else {
            saved.ifPresent(g -> LOG.info("resuming evolutionary search '{}' after generation {}", searchName, g.number()));
            RandomRegistry.using(new Random(seed + start), r -> evolve(saved, start));
        }
        List<CandidateStore.Result> out = new ArrayList<>();
        generations.latest(searchName).ifPresent(g -> visited.addAll(g.population()));
        for (int index : visited) {
            store.result(budgetKey, index).ifPresent(out::add);
        }
        return out;
    }

    private void evolve(Optional<GenerationStore.Generation> saved, long start) {
        Selector<IntegerGene, Double> selector = config.selector() == SelectorKind.ROULETTE
                ? new RouletteWheelSelector<>() : new TournamentSelector<>(config.tournamentSize());
        // a batch evaluator: a generation's new candidates go to the candidate engine together, so
        // an engine with several task slots (Spark) trains them at the same time
        Engine<IntegerGene, Double> engine = new Engine.Builder<IntegerGene, Double>(
                this::evaluate, Genotype.of(IntegerChromosome.of(0, 4, NatsCell.EDGES)))
                .populationSize(config.population())
                .selector(selector)
                .alterers(new Mutator<>(config.mutation()), new SinglePointCrossover<>(config.crossover()))
                .executor(Runnable::run)
                .build();
        EvolutionStart<IntegerGene, Double> first = saved
                .map(g -> EvolutionStart.of(ISeq.of(g.population().stream()
                        .map(i -> Phenotype.<IntegerGene, Double>of(genotype(i), g.number())).toList()), start))
                .orElse(EvolutionStart.empty());
        engine.stream(() -> first)
                .limit(config.generations() - start + 1)
                .forEach(this::saveGeneration);
    }

    private void saveGeneration(EvolutionResult<IntegerGene, Double> result) {
        List<Integer> population = result.population().stream().map(p -> index(p.genotype())).toList();
        generations.save(searchName, result.generation(), population);
        LOG.info("generation {}/{}: best {} {} = {}", result.generation(), config.generations(), reward,
                NatsCell.fromIndex(index(result.bestPhenotype().genotype())).arch(), String.format("%.3f", result.bestFitness()));
    }

    /** Scores the population's unevaluated phenotypes, kept after the evaluated ones as Jenetics' own evaluator does. */
    private ISeq<Phenotype<IntegerGene, Double>> evaluate(Seq<Phenotype<IntegerGene, Double>> population) {
        List<Phenotype<IntegerGene, Double>> fresh = population.stream().filter(Phenotype::nonEvaluated).toList();
        if (fresh.isEmpty()) {
            return population.asISeq();
        }
        int[] indices = fresh.stream().mapToInt(p -> index(p.genotype())).toArray();
        for (int index : indices) {
            visited.add(index);
        }
        // candidates another search process is training: wait for their results
        runner.awaitOthers(runner.run(indices, () -> { }).leftToOthers());
        ISeq<Phenotype<IntegerGene, Double>> scored = fresh.stream()
                .map(p -> p.withFitness(fitness(index(p.genotype())))).collect(ISeq.toISeq());
        return fresh.size() == population.size() ? scored
                : population.stream().filter(Phenotype::isEvaluated).collect(ISeq.toISeq()).append(scored);
    }

    private double fitness(int index) {
        CandidateStore.Result r = store.result(budgetKey, index).orElseThrow();
        return r.status() == CandidateStatus.DONE ? reward.score(SearchReport.metrics(r)) : 0.0;
    }

    static int index(Genotype<IntegerGene> genotype) {
        int index = 0;
        for (IntegerGene gene : genotype.chromosome()) {
            index = index * 5 + gene.allele();
        }
        return index;
    }

    static Genotype<IntegerGene> genotype(int index) {
        List<IntegerGene> genes = new ArrayList<>();
        int rest = index;
        int[] digits = new int[NatsCell.EDGES];
        for (int e = NatsCell.EDGES - 1; e >= 0; e--) {
            digits[e] = rest % 5;
            rest /= 5;
        }
        for (int d : digits) {
            genes.add(IntegerGene.of(d, 0, 4));
        }
        return Genotype.of(IntegerChromosome.of(genes));
    }
}
