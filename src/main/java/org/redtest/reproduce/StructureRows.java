package org.redtest.reproduce;

import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Exact, data-free rows: the families' parameter counts and the paper's pruned structures' reductions. */
public final class StructureRows {
    static final String SECTION = "structure";
    private static final Shape CIFAR = new Shape(3, 32, 32);

    private StructureRows() {
    }

    public static List<ReproductionRow> rows() {
        List<ReproductionRow> rows = new ArrayList<>();
        Map<String, Long> sorted = new TreeMap<>((a, b) -> Long.compare(PaperNumbers.PARAMS.get(a), PaperNumbers.PARAMS.get(b)));
        sorted.putAll(PaperNumbers.PARAMS);
        sorted.forEach((model, paper) -> rows.add(ReproductionRow.within(SECTION, model + " Params",
                paper.doubleValue(), blueprint(model).params(), "params", 0)));
        for (PaperNumbers.PrunedStructure p : List.of(PaperNumbers.PRUNED.get("resnet56"), PaperNumbers.PRUNED.get("vgg19"))) {
            NetworkBlueprint before = blueprint(p.original());
            NetworkBlueprint after = blueprint(p.pruned());
            rows.add(ReproductionRow.within(SECTION, p.original() + " -> " + p.pruned() + " Params PR",
                    p.paramsReduction(), reduction(before.params(), after.params()), "%", 0.1));
            rows.add(ReproductionRow.within(SECTION, p.original() + " -> " + p.pruned() + " FLOPs PR",
                    p.flopsReduction(), reduction(before.flops(), after.flops()), "%", 0.1));
        }
        return rows;
    }

    static double reduction(double before, double after) {
        return 100.0 * (before - after) / before;
    }

    private static NetworkBlueprint blueprint(String spec) {
        return ModelSpec.parse(spec).blueprint(CIFAR, 10);
    }
}
