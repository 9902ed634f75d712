package org.redtest.pruning;

import org.redtest.zoo.Architecture;
import org.redtest.zoo.ReducedArchitecture;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The network without the dropped units, and which original unit each of its units is: the rebuilt
 * network has canonical names (its spec, e.g. resnet:6-1-6, builds it anew), so weights are carried
 * over through this map (new unit name -> original unit name). The family decides both
 * ({@link Architecture#without}); this class only reads the map.
 */
public record PrunedStructure(Architecture original, Architecture pruned, List<String> dropped,
                              Map<String, String> unitOrigins) {

    public static PrunedStructure of(Architecture original, List<String> dropped) {
        ReducedArchitecture reduced = original.without(Set.copyOf(dropped));
        return new PrunedStructure(original, reduced.architecture(), List.copyOf(dropped), reduced.unitOrigins());
    }

    /**
     * The rebuilt model's units under their original names (its unit k is the k-th kept unit of the
     * original): figures and files of a pruned model must never show a name that was reported dropped.
     * Names that are not units (none are expected) pass through.
     */
    public List<String> originalUnitNames(List<String> units) {
        return units.stream().map(u -> unitOrigins.getOrDefault(u, u)).toList();
    }

    /**
     * The original layer a rebuilt layer comes from: the same suffix inside the original unit
     * ("s2.b1.conv2" -> "s2.b5.conv2"); layers outside units (stem parts, classifier) keep their name.
     */
    public String originalLayerName(String layer) {
        for (Map.Entry<String, String> e : unitOrigins.entrySet()) {
            String unit = e.getKey();
            if (layer.equals(unit)) {
                return e.getValue();
            }
            if (layer.startsWith(unit + ".")) {
                return e.getValue() + layer.substring(unit.length());
            }
        }
        return layer;
    }
}
