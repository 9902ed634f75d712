package org.redtest.zoo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * VGG with batch norm for small inputs (docs/method.md, "Networks"): each number is a 3x3 conv (with bias) + BN +
 * ReLU, "M" a 2x2 max pool; then Dropout, Linear 512, ReLU, Dropout, Linear 512, ReLU, Linear.
 *
 * <p>Names: conv i (1-based) is "conv{i}" (its output, before BN, is unit "conv{i}"), then
 * "conv{i}.bn", "conv{i}.relu"; pools "pool{j}"; classifier "fc1.dropout", "fc1", "fc2.dropout",
 * "fc2", "output".
 *
 * <p>Pruning drops conv units (with their BN and ReLU); pools and the classifier stay. The convs between two
 * pools form a stage, and each stage keeps at least one conv: without it a pool would read the previous
 * pool (or the raw image) directly and the stage's channel change would fall to the next conv.
 */
public record VggArchitecture(List<String> layers) implements Architecture {
    public static final List<String> VGG11 = List.of("64", "M", "128", "M", "256", "256", "M", "512", "512", "M", "512", "512", "M");
    public static final List<String> VGG13 = List.of("64", "64", "M", "128", "128", "M", "256", "256", "M", "512", "512", "M", "512", "512", "M");
    public static final List<String> VGG16 = List.of("64", "64", "M", "128", "128", "M", "256", "256", "256", "M", "512", "512", "512", "M", "512", "512", "512", "M");
    public static final List<String> VGG19 = List.of("64", "64", "M", "128", "128", "M", "256", "256", "256", "256", "M", "512", "512", "512", "512", "M", "512", "512", "512", "512", "M");
    public static final int HIDDEN = 512;
    public static final double DROPOUT = 0.5;

    public VggArchitecture {
        layers = List.copyOf(layers);
        if (layers.stream().noneMatch(l -> !l.equals("M"))) {
            throw new IllegalArgumentException("a VGG needs at least one conv");
        }
    }

    public long convCount() {
        return layers.stream().filter(l -> !l.equals("M")).count();
    }

    /** Convs plus the three linear layers (VGG-19 is 19). */
    @Override
    public int depth() {
        return (int) convCount() + 3;
    }

    @Override
    public String spec() {
        if (layers.equals(VGG11)) return "vgg11";
        if (layers.equals(VGG13)) return "vgg13";
        if (layers.equals(VGG16)) return "vgg16";
        if (layers.equals(VGG19)) return "vgg19";
        return "vgg:" + String.join(",", layers);
    }

    @Override
    public Family family() {
        return Family.VGG;
    }

    @Override
    public NetworkBlueprint blueprint(Shape input, int classes) {
        BlueprintBuilder b = new BlueprintBuilder(spec(), family(), input, classes);
        String x = NetworkBlueprint.INPUT;
        int conv = 0;
        int pool = 0;
        for (String layer : layers) {
            if (layer.equals("M")) {
                x = b.maxPool("pool" + (++pool), x, 2, 2);
            } else {
                String name = convName(++conv);
                x = b.conv(name, x, Integer.parseInt(layer), 3, 1, true);
                b.unit(name, x);
                x = b.relu(name + ".relu", b.batchNorm(name + ".bn", x));
            }
        }
        x = b.dense("fc1", b.dropout("fc1.dropout", x, DROPOUT), HIDDEN, true);
        x = b.dense("fc2", b.dropout("fc2.dropout", x, DROPOUT), HIDDEN, true);
        b.classifier("output", x);
        return b.build();
    }

    /** Conv {@code i}, 1-based: "conv5". */
    private static String convName(int i) {
        return "conv" + i;
    }

    /** Every conv, grouped by stage ("stage1" ... : the convs before the first pool, between pools, after the last). */
    @Override
    public List<DroppableUnit> prunableUnits() {
        List<DroppableUnit> units = new ArrayList<>();
        int conv = 0;
        int stage = 1;
        for (String layer : layers) {
            if (layer.equals("M")) {
                stage++;
            } else {
                units.add(new DroppableUnit(convName(++conv), stageName(stage)));
            }
        }
        return units;
    }

    private static String stageName(int stage) {
        return "stage" + stage;
    }

    /** The kept convs are renumbered from 1; every pool stays where it was. */
    @Override
    public ReducedArchitecture without(Set<String> dropped) {
        List<String> kept = new ArrayList<>();
        Map<String, String> origins = new LinkedHashMap<>();
        int oldConv = 0;
        int newConv = 0;
        for (String layer : layers) {
            if (layer.equals("M")) {
                kept.add(layer);
            } else if (!dropped.contains(convName(++oldConv))) {
                kept.add(layer);
                origins.put(convName(++newConv), convName(oldConv));
            }
        }
        return new ReducedArchitecture(new VggArchitecture(kept), origins);
    }

    @Override
    public String toString() {
        return layers.stream().collect(Collectors.joining(" "));
    }
}
