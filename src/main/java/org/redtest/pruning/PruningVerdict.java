package org.redtest.pruning;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The one line a reader wants from a pruning table: which method kept the most accuracy and which left the
 * least redundancy. Every method drops as many units, so their pruned models have the same unit pairs and their
 * MSRS compare directly. With several seeds the methods are judged on their means and the line says whether the
 * lead exceeds the seeds' spread; with one seed it says that a small lead may be chance.
 */
public final class PruningVerdict {
    private PruningVerdict() {
    }

    /** One method's figures, averaged over its seeds. */
    private record Method(String name, SeedStatistics top1, SeedStatistics change, SeedStatistics msrs, double share) {
    }

    public static String of(List<PruningOutcome> outcomes) {
        List<Method> methods = methods(outcomes);
        if (methods.isEmpty()) {
            return "";
        }
        Method accurate = methods.stream().max(Comparator.comparingDouble(m -> m.top1().mean())).orElseThrow();
        Method lean = methods.stream().min(Comparator.comparingDouble(m -> m.msrs().mean())).orElseThrow();
        List<String> accurateNames = tied(methods, accurate, m -> m.top1().mean());
        List<String> leanNames = tied(methods, lean, m -> m.msrs().mean());
        StringBuilder s = new StringBuilder("Verdict: best on accuracy ").append(names(accurateNames))
                .append(String.format(" (%stop-1 %.2f %%, %+.2f points against the original%s)",
                        accurateNames.size() > 1 ? "tied, " : "", accurate.top1().mean(),
                        accurate.change().mean(), lead(methods, accurate, m -> m.top1().mean(), m -> m.top1().standardDeviation(), true)))
                .append("; least redundancy ").append(names(leanNames))
                .append(String.format(" (%sMSRS %.2f%s%s)", leanNames.size() > 1 ? "tied, " : "", lean.msrs().mean(),
                        Double.isFinite(lean.share()) ? String.format(", %.0f %% of its unit pairs", lean.share()) : "",
                        lead(methods, lean, m -> m.msrs().mean(), m -> m.msrs().standardDeviation(), false)))
                .append('.');
        if (methods.size() > 1 && methods.stream().allMatch(m -> m.top1().runs() == 1)) {
            s.append(" One seed per method: a lead of a point or two may be chance (prune.repeats gives a spread).");
        }
        return s.toString();
    }

    /** The best method and any other that reaches the same figure to the shown decimals. */
    private static List<String> tied(List<Method> methods, Method best, ToDoubleFunction<Method> figure) {
        return methods.stream().filter(m -> Math.abs(figure.applyAsDouble(m) - figure.applyAsDouble(best)) < 0.005)
                .map(Method::name).toList();
    }

    /** "cka", "cka and random", "cka, random and linear-probe". */
    private static String names(List<String> names) {
        return names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }

    /** "; ahead by 1.3 points, within the seeds' spread" where several seeds were run, else nothing. */
    private static String lead(List<Method> methods, Method best, ToDoubleFunction<Method> figure,
                               ToDoubleFunction<Method> spread, boolean higherIsBetter) {
        if (methods.size() < 2 || best.top1().runs() < 2) {
            return "";
        }
        double next = methods.stream().filter(m -> m != best).mapToDouble(figure)
                .reduce(higherIsBetter ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, higherIsBetter ? Math::max : Math::min);
        double margin = Math.abs(figure.applyAsDouble(best) - next);
        double largest = methods.stream().mapToDouble(spread).max().orElse(0);
        return String.format(", mean of %d seeds, ahead by %.2f, %s the seeds' spread of %.2f", best.top1().runs(), margin,
                margin > largest ? "beyond" : "within", largest);
    }

    private static List<Method> methods(List<PruningOutcome> outcomes) {
        Map<String, List<PruningOutcome>> byMethod = new LinkedHashMap<>();
        outcomes.forEach(o -> byMethod.computeIfAbsent(o.selection().method(), k -> new ArrayList<>()).add(o));
        List<Method> methods = new ArrayList<>();
        byMethod.forEach((name, runs) -> methods.add(new Method(name, SeedStatistics.of(runs, o -> o.after().top1()),
                SeedStatistics.of(runs, PruningOutcome::top1Change), SeedStatistics.of(runs, o -> o.after().msrs()),
                SeedStatistics.of(runs, PruningOutcome::msrsSharePruned).mean())));
        return methods;
    }
}
