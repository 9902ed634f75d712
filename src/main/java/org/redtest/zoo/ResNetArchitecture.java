package org.redtest.zoo;

import org.redtest.RedTestException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * CIFAR ResNet (He et al. 2016; docs/method.md, "Networks"): a 16-channel stem, three stages of BasicBlocks at
 * 16/32/64 channels (stride 2 entering stages 2 and 3) with parameter-free option-A shortcuts,
 * global average pooling and a linear classifier. Depth = 2 + 2 * (total blocks).
 *
 * <p>Names: stem "stem.conv/bn/relu"; block b of stage s "s{s}.b{b}.conv1/bn1/relu1/conv2/bn2",
 * shortcut "s{s}.b{b}.shortcut", sum "s{s}.b{b}.add", block output "s{s}.b{b}" (after the final
 * ReLU, the unit's IR). The stem unit's IR is "stem.conv" (before its BN).
 *
 * <p>Pruning drops blocks (not the stem); every stage keeps at least one.
 */
public record ResNetArchitecture(int[] blocksPerStage) implements Architecture {
    public static final int[] STAGE_WIDTHS = {16, 32, 64};
    private static final String STEM = "stem";

    public ResNetArchitecture {
        if (blocksPerStage.length != STAGE_WIDTHS.length) {
            throw new IllegalArgumentException("a CIFAR ResNet has 3 stages");
        }
        blocksPerStage = blocksPerStage.clone();
    }

    @Override
    public int depth() {
        return 2 + 2 * Arrays.stream(blocksPerStage).sum();
    }

    @Override
    public String spec() {
        int k = blocksPerStage[0];
        if (blocksPerStage[1] == k && blocksPerStage[2] == k) {
            return "resnet" + depth();
        }
        return "resnet:" + Arrays.stream(blocksPerStage).mapToObj(String::valueOf).collect(Collectors.joining("-"));
    }

    @Override
    public Family family() {
        return Family.RESNET;
    }

    @Override
    public NetworkBlueprint blueprint(Shape input, int classes) {
        BlueprintBuilder b = new BlueprintBuilder(spec(), family(), input, classes);
        String x = b.conv("stem.conv", NetworkBlueprint.INPUT, STAGE_WIDTHS[0], 3, 1, false);
        b.unit(STEM, x);
        x = b.relu("stem.relu", b.batchNorm("stem.bn", x));
        for (int s = 0; s < STAGE_WIDTHS.length; s++) {
            for (int i = 0; i < blocksPerStage[s]; i++) {
                int stride = (s > 0 && i == 0) ? 2 : 1;
                x = basicBlock(b, blockName(s + 1, i + 1), x, STAGE_WIDTHS[s], stride);
            }
        }
        String pooled = b.globalAvgPool("pool", x);
        b.classifier("output", pooled);
        return b.build();
    }

    /** Block {@code block} of stage {@code stage}, both 1-based: "s2.b3". */
    private static String blockName(int stage, int block) {
        return "s" + stage + ".b" + block;
    }

    @Override
    public List<DroppableUnit> prunableUnits() {
        List<DroppableUnit> units = new ArrayList<>();
        for (int s = 1; s <= STAGE_WIDTHS.length; s++) {
            for (int b = 1; b <= blocksPerStage[s - 1]; b++) {
                units.add(new DroppableUnit(blockName(s, b), "s" + s));
            }
        }
        return units;
    }

    /** The kept blocks of each stage are renumbered from 1: dropping s1.b2 of three makes old s1.b3 the new s1.b2. */
    @Override
    public ReducedArchitecture without(Set<String> dropped) {
        int[] counts = new int[STAGE_WIDTHS.length];
        Map<String, String> origins = new LinkedHashMap<>();
        origins.put(STEM, STEM);
        for (int s = 1; s <= STAGE_WIDTHS.length; s++) {
            for (int b = 1; b <= blocksPerStage[s - 1]; b++) {
                String old = blockName(s, b);
                if (!dropped.contains(old)) {
                    origins.put(blockName(s, ++counts[s - 1]), old);
                }
            }
            if (counts[s - 1] == 0) {
                throw new RedTestException("pruning would empty ResNet stage " + s);
            }
        }
        return new ReducedArchitecture(new ResNetArchitecture(counts), origins);
    }

    private static String basicBlock(BlueprintBuilder b, String name, String in, int width, int stride) {
        String y = b.conv(name + ".conv1", in, width, 3, stride, false);
        y = b.relu(name + ".relu1", b.batchNorm(name + ".bn1", y));
        y = b.batchNorm(name + ".bn2", b.conv(name + ".conv2", y, width, 3, 1, false));
        String shortcut = (stride != 1 || b.shape(in).channels() != width)
                ? b.shortcutA(name + ".shortcut", in, stride, width)
                : in;
        String out = b.relu(name, b.sum(name + ".add", java.util.List.of(y, shortcut)));
        b.unit(name, out);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResNetArchitecture r && Arrays.equals(blocksPerStage, r.blocksPerStage);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(blocksPerStage);
    }

    @Override
    public String toString() {
        return spec();
    }
}
