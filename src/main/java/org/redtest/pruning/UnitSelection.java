package org.redtest.pruning;

import org.redtest.RedTestException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chooses the units to drop. Every criterion comes down to an order of preference (most redundant
 * first) and a number of units to drop; units are then dropped greedily in that order, skipping any
 * whose removal would break a rule: the last unit stays, and each group (a ResNet stage, a VGG stage) keeps a unit.
 */
public final class UnitSelection {
    private UnitSelection() {
    }

    /** Threshold mode (docs/method.md, "Pruning"): as many units go as have c_k >= tau. */
    public static int thresholdCount(List<PrunableUnit> units, double tau) {
        return (int) units.stream().filter(u -> !u.last() && u.adjacentCka() >= tau).count();
    }

    /** Budget mode: keep {@code keep} units, i.e. drop the rest (at least the last unit is kept). */
    public static int budgetCount(List<PrunableUnit> units, int keep) {
        if (keep < 1 || keep > units.size()) {
            throw new RedTestException("keep must be between 1 and the " + units.size() + " prunable units, got " + keep);
        }
        return units.size() - keep;
    }

    /** Most redundant first: the highest adjacent CKA. */
    public static Comparator<PrunableUnit> byAdjacentCka() {
        return Comparator.comparingDouble((PrunableUnit u) -> Double.isNaN(u.adjacentCka()) ? Double.NEGATIVE_INFINITY : u.adjacentCka())
                .reversed();
    }

    /**
     * Drops up to {@code count} units in {@code preference} order under the rules.
     * @return the dropped unit names, in network order
     */
    public static List<String> drop(List<PrunableUnit> units, Comparator<PrunableUnit> preference, int count) {
        Map<String, Integer> keptPerGroup = new HashMap<>();
        units.forEach(u -> keptPerGroup.merge(u.group(), 1, Integer::sum));
        List<PrunableUnit> ordered = new ArrayList<>(units);
        ordered.sort(preference);
        Set<String> dropped = new LinkedHashSet<>();
        for (PrunableUnit u : ordered) {
            if (dropped.size() == count) {
                break;
            }
            // a ResNet or VGG stage (for NATS, the whole network) must keep at least one unit
            if (u.last() || keptPerGroup.get(u.group()) <= 1) {
                continue;
            }
            dropped.add(u.name());
            keptPerGroup.merge(u.group(), -1, Integer::sum);
        }
        return units.stream().map(PrunableUnit::name).filter(dropped::contains).toList();
    }
}
