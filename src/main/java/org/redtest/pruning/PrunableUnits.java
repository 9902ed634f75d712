package org.redtest.pruning;

import org.redtest.zoo.Architecture;
import org.redtest.zoo.DroppableUnit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The measured units pruning may drop, with what selection needs to know about each. Which units those
 * are is the family's answer ({@link Architecture#prunableUnits()}; docs/method.md, "Units").
 */
public final class PrunableUnits {
    private PrunableUnits() {
    }

    /** How many units of {@code architecture} pruning may drop; from the spec alone, no graph or data needed. */
    public static int count(Architecture architecture) {
        return architecture.prunableUnits().size();
    }

    /**
     * @param units    the architecture's measured units, in order
     * @param adjacent adjacent[k] = CKA(unit k, unit k+1), averaged over the measurement batches
     */
    public static List<PrunableUnit> of(Architecture architecture, List<String> units, double[] adjacent) {
        Map<String, String> groups = new HashMap<>();
        for (DroppableUnit u : architecture.prunableUnits()) {
            groups.put(u.name(), u.group());
        }
        List<PrunableUnit> out = new ArrayList<>();
        for (int k = 0; k < units.size(); k++) {
            String group = groups.get(units.get(k));
            if (group == null) {
                continue;
            }
            boolean last = k == units.size() - 1;
            out.add(new PrunableUnit(units.get(k), group, last, last ? Double.NaN : adjacent[k]));
        }
        return out;
    }
}
