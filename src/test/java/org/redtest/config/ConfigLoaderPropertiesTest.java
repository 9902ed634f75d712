package org.redtest.config;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Histogram;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.redtest.RedTestException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Issue 15: the config loader on mutated experiment files either accepts one that round-trips
 * (its canonical YAML loads back to an equal config with the same hash) or refuses it with one
 * {@link RedTestException} line; never another exception.
 */
class ConfigLoaderPropertiesTest {
    private static final String VALID = """
            name: prop
            model: resnet20
            seed: 7
            data:
              dataset: cifar10
              dir: /data/cifar
              train_per_class: 10
            training:
              epochs: 3
              batch_size: 64
              learning_rate: 0.05
              lr_milestones: [2]
            measure:
              batches: 2
              gamma: 0.8
            prune:
              keep: 4
            stages: [train, evaluate, measure, prune]
            """;
    private static final String SEARCH = """
            name: nas
            seed: 5
            data: {dataset: cifar10, dir: /data/cifar}
            measure: {batches: 1, batch_size: 12}
            search:
              sample: 6
              top_k: 2
              budget: {epochs: 1, batch_size: 30}
            """;
    /** Tokens that stress YAML and the binder: wrong types, special floats, nesting, anchors, huge numbers. */
    private static final List<String> TOKENS = List.of("", " ", ":", ": ", "-", "- ", "{", "}", "[", "]", ",", "#", "'", "\"",
            "\n", "\n  ", "\t", "~", "null", "true", "yes", ".nan", ".inf", "-.inf", "1.5", "0", "-1", "1e3", "99999999999",
            "0x1F", "&a", "*a", "!!str", "!!binary", "<<: *a", "%YAML 1.2", "---", "...", "name", "model", "epochs", "search",
            "keep", "tau", "gamma", "resnet:1-1-1", "vgg11", "..", "/", "é", "\\u0000", "[1, 2]", "{a: 1}");

    @Provide
    Arbitrary<String> mutatedConfig() {
        Arbitrary<String> base = Arbitraries.of(VALID, SEARCH);
        Arbitrary<Mutation> one = Combinators.combine(Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(0, 10_000),
                Arbitraries.of(TOKENS)).as(Mutation::new);
        return Combinators.combine(base, one.list().ofMinSize(1).ofMaxSize(4)).as((text, mutations) -> {
            String t = text;
            for (Mutation m : mutations) {
                t = m.apply(t);
            }
            return t;
        });
    }

    /** One edit at a random place: insert a token, delete a span, replace a span, duplicate or drop a line. */
    record Mutation(int kind, int at, int length, String token) {
        String apply(String text) {
            int i = text.isEmpty() ? 0 : at % (text.length() + 1);
            int j = Math.min(text.length(), i + length % 8);
            List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
            int line = at % lines.size();
            return switch (kind) {
                case 0 -> text.substring(0, i) + token + text.substring(i);
                case 1 -> text.substring(0, i) + text.substring(j);
                case 2 -> text.substring(0, i) + token + text.substring(j);
                case 3 -> {
                    lines.add(line, lines.get(line));
                    yield String.join("\n", lines);
                }
                default -> {
                    lines.remove(line);
                    yield String.join("\n", lines);
                }
            };
        }
    }

    @Property(tries = 1500)
    @StatisticsReport(format = Histogram.class)
    void acceptsAndRoundTripsOrRefusesWithOneLine(@ForAll("mutatedConfig") String yaml) {
        ConfigLoader.LoadedConfig loaded;
        try {
            loaded = ConfigLoader.parse(yaml, "mutated.yaml");
            Statistics.collect("accepted");
        } catch (RedTestException e) {
            Statistics.collect("refused");
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "a message");
            assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
            return;
        }
        Statistics.coverage(c -> c.check("accepted").percentage(p -> p > 3)); // the round trip is exercised
        ConfigLoader.LoadedConfig again = ConfigLoader.parse(ConfigLoader.toYaml(loaded.config()), "canonical.yaml");
        assertEquals(loaded.config(), again.config(), "round trip of\n" + yaml);
        assertEquals(loaded.hash(), again.hash());
    }

    @Property(tries = 300)
    void randomTextIsAcceptedOrRefusedWithOneLine(@ForAll("anyText") String yaml) {
        try {
            ConfigLoader.parse(yaml, "random.yaml");
        } catch (RedTestException e) {
            assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
        }
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(60),
                Arbitraries.of(TOKENS).list().ofMaxSize(20).map(l -> String.join("", l)));
    }
}
