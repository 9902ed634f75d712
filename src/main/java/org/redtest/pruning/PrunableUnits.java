package org.redtest.pruning;

import org.redtest.zoo.Architecture;
import org.redtest.zoo.NatsArchitecture;
import org.redtest.zoo.ResNetArchitecture;

import java.util.ArrayList;
import java.util.List;

/**
 * Which measured units are prunable (docs/method.md, "Units"): ResNet BasicBlocks (not the stem), VGG
 * conv units, NATS normal cells (not the stem, not the two reduction blocks).
 */
public final class PrunableUnits {
    private PrunableUnits() {
    }

    /** How many units of {@code architecture} pruning may drop; from the unit list alone, no graph or data needed. */
    public static int count(Architecture architecture) {
        // the unit list does not depend on the input shape or class count
        List<String> units = architecture.blueprint(new org.redtest.zoo.Shape(3, 32, 32), 10).unitNames();
        return of(architecture, units, new double[Math.max(0, units.size() - 1)]).size();
    }

    /**
     * @param units    the architecture's measured units, in order
     * @param adjacent adjacent[k] = CKA(unit k, unit k+1), averaged over the measurement batches
     */
    public static List<PrunableUnit> of(Architecture architecture, List<String> units, double[] adjacent) {
        List<Integer> reductions = architecture instanceof NatsArchitecture n ? n.reductionCells() : List.of();
        List<PrunableUnit> out = new ArrayList<>();
        for (int k = 0; k < units.size(); k++) {
            String name = units.get(k);
            if (name.equals("stem") || reductions.stream().anyMatch(r -> name.equals("cell" + r))) {
                continue;
            }
            String group = architecture instanceof ResNetArchitecture ? name.substring(0, name.indexOf('.')) : "";
            boolean last = k == units.size() - 1;
            out.add(new PrunableUnit(name, group, last, last ? Double.NaN : adjacent[k]));
        }
        return out;
    }
}
