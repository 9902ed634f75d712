package org.redtest.pruning;

import org.redtest.RedTestException;
import org.redtest.zoo.Architecture;
import org.redtest.zoo.NatsArchitecture;
import org.redtest.zoo.ResNetArchitecture;
import org.redtest.zoo.VggArchitecture;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The network without the dropped units, and which original unit each of its units is: the rebuilt
 * network has canonical names (its spec, e.g. resnet:6-1-6, builds it anew), so weights are carried
 * over through this map (new unit name -> original unit name).
 */
public record PrunedStructure(Architecture original, Architecture pruned, List<String> dropped,
                              Map<String, String> unitOrigins) {

    public static PrunedStructure of(Architecture original, List<String> dropped) {
        Set<String> drop = Set.copyOf(dropped);
        Map<String, String> origins = new LinkedHashMap<>();
        Architecture pruned;
        if (original instanceof ResNetArchitecture r) {
            int[] counts = new int[3];
            origins.put("stem", "stem");
            for (int s = 0; s < 3; s++) {
                for (int b = 1; b <= r.blocksPerStage()[s]; b++) {
                    String old = "s" + (s + 1) + ".b" + b;
                    if (!drop.contains(old)) {
                        counts[s]++;
                        origins.put("s" + (s + 1) + ".b" + counts[s], old);
                    }
                }
                if (counts[s] == 0) {
                    throw new RedTestException("pruning would empty ResNet stage " + (s + 1));
                }
            }
            pruned = new ResNetArchitecture(counts);
        } else if (original instanceof VggArchitecture v) {
            List<String> layers = new ArrayList<>();
            int oldConv = 0;
            int newConv = 0;
            for (String layer : v.layers()) {
                if (layer.equals("M")) {
                    layers.add(layer);
                } else if (!drop.contains("conv" + (++oldConv))) {
                    layers.add(layer);
                    origins.put("conv" + (++newConv), "conv" + oldConv);
                }
            }
            pruned = new VggArchitecture(layers);
        } else if (original instanceof NatsArchitecture n) {
            List<Integer> counts = new ArrayList<>(List.of(0, 0, 0));
            origins.put("stem", "stem");
            int oldCell = 0;
            int newCell = 0;
            for (int stage = 0; stage < 3; stage++) {
                if (stage > 0) {
                    origins.put("cell" + (++newCell), "cell" + (++oldCell)); // reduction block: always kept
                }
                for (int i = 0; i < n.cellsPerStage().get(stage); i++) {
                    if (!drop.contains("cell" + (++oldCell))) {
                        counts.set(stage, counts.get(stage) + 1);
                        origins.put("cell" + (++newCell), "cell" + oldCell);
                    }
                }
            }
            pruned = new NatsArchitecture(n.cell(), n.channels(), counts);
        } else {
            throw new IllegalArgumentException("unknown architecture " + original);
        }
        return new PrunedStructure(original, pruned, List.copyOf(dropped), origins);
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
