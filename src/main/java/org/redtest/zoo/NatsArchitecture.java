package org.redtest.zoo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * NATS-Bench / NAS-Bench-201 topology network (docs/method.md, "Networks"): stem conv + BN; N cells at C; a
 * reduction block; N cells at 2C; a reduction block; N cells at 4C; BN + ReLU; global average pool;
 * linear classifier. Pruning may leave different cell counts per stage (N = a-b-c). Cells and reduction blocks are numbered together: "cell1".."cell{3N+2}".
 *
 * <p>Names inside cell k: edge i->j's op "cell{k}.e{i}{j}.relu/conv/bn" (or ".pool"), node j's sum
 * "cell{k}.n{j}", the cell output (its unit IR) "cell{k}". Reduction block k: "cell{k}.a.relu/conv/bn",
 * "cell{k}.b.relu/conv/bn", "cell{k}.shortcut.pool/conv", output "cell{k}".
 *
 * <p>Pruning drops normal cells; the stem and the two reduction blocks stay.
 */
public record NatsArchitecture(NatsCell cell, int channels, List<Integer> cellsPerStage) implements Architecture {
    public static final int DEFAULT_CHANNELS = 16;
    public static final int DEFAULT_CELLS = 5;
    private static final String STEM = "stem";

    public NatsArchitecture {
        cellsPerStage = List.copyOf(cellsPerStage);
        if (channels < 1 || cellsPerStage.size() != 3 || cellsPerStage.stream().anyMatch(n -> n < 0)) {
            throw new org.redtest.RedTestException("NATS needs C >= 1 and three cell counts >= 0, got C=" + channels
                    + " N=" + cellsPerStage);
        }
    }

    /** The benchmark skeleton: {@code cells} normal cells in each of the three stages. */
    public NatsArchitecture(NatsCell cell, int channels, int cells) {
        this(cell, channels, List.of(cells, cells, cells));
    }

    /** Cells and reduction blocks: all NATS networks of one skeleton share a depth. */
    @Override
    public int depth() {
        return cellsPerStage.stream().mapToInt(Integer::intValue).sum() + 2;
    }

    /** "5" for equal stages (the benchmark form), "5-1-3" after pruning. */
    private String cellCounts() {
        return cellsPerStage.stream().distinct().count() == 1 ? String.valueOf(cellsPerStage.get(0))
                : cellsPerStage.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining("-"));
    }

    @Override
    public String spec() {
        String n = cellCounts();
        String options = (channels == DEFAULT_CHANNELS && n.equals(String.valueOf(DEFAULT_CELLS)))
                ? "" : "[C=" + channels + ",N=" + n + "]";
        return "nats" + options + ":" + cell.arch();
    }

    @Override
    public Family family() {
        return Family.NATS;
    }

    @Override
    public NetworkBlueprint blueprint(Shape input, int classes) {
        BlueprintBuilder b = new BlueprintBuilder(spec(), family(), input, classes);
        String x = b.conv("stem.conv", NetworkBlueprint.INPUT, channels, 3, 1, false);
        b.unit(STEM, x);
        x = b.batchNorm("stem.bn", x);
        int k = 0;
        for (int stage = 0; stage < 3; stage++) {
            int width = channels << stage;
            if (stage > 0) {
                x = reductionBlock(b, cellName(++k), x, width);
            }
            for (int i = 0; i < cellsPerStage.get(stage); i++) {
                x = cell(b, cellName(++k), x);
            }
        }
        x = b.relu("lastact.relu", b.batchNorm("lastact.bn", x));
        b.classifier("output", b.globalAvgPool("pool", x));
        return b.build();
    }

    /** Cell or reduction block {@code k} in the common 1-based numbering: "cell7". */
    private static String cellName(int k) {
        return "cell" + k;
    }

    @Override
    public List<DroppableUnit> prunableUnits() {
        List<DroppableUnit> units = new ArrayList<>();
        int k = 0;
        for (int stage = 0; stage < 3; stage++) {
            k += stage > 0 ? 1 : 0; // the reduction block opening the stage
            for (int i = 0; i < cellsPerStage.get(stage); i++) {
                units.add(new DroppableUnit(cellName(++k), DroppableUnit.WHOLE_NETWORK));
            }
        }
        return units;
    }

    /** Kept cells and the reduction blocks are renumbered together from 1; a stage may be left without cells. */
    @Override
    public ReducedArchitecture without(Set<String> dropped) {
        List<Integer> counts = new ArrayList<>(List.of(0, 0, 0));
        Map<String, String> origins = new LinkedHashMap<>();
        origins.put(STEM, STEM);
        int oldCell = 0;
        int newCell = 0;
        for (int stage = 0; stage < 3; stage++) {
            if (stage > 0) {
                origins.put(cellName(++newCell), cellName(++oldCell)); // reduction block: always kept
            }
            for (int i = 0; i < cellsPerStage.get(stage); i++) {
                if (!dropped.contains(cellName(++oldCell))) {
                    counts.set(stage, counts.get(stage) + 1);
                    origins.put(cellName(++newCell), cellName(oldCell));
                }
            }
        }
        return new ReducedArchitecture(new NatsArchitecture(cell, channels, counts), origins);
    }

    private String cell(BlueprintBuilder b, String name, String in) {
        int width = b.shape(in).channels();
        String[] node = new String[4];
        node[0] = in;
        for (int j = 1; j <= 3; j++) {
            List<String> terms = new ArrayList<>();
            for (int i = 0; i < j; i++) {
                String prefix = name + ".e" + i + j;
                switch (cell.op(i, j)) {
                    case NONE -> { }
                    case SKIP_CONNECT -> terms.add(node[i]);
                    case NOR_CONV_1X1 -> terms.add(reluConvBn(b, prefix, node[i], width, 1, 1));
                    case NOR_CONV_3X3 -> terms.add(reluConvBn(b, prefix, node[i], width, 3, 1));
                    case AVG_POOL_3X3 -> terms.add(b.avgPool(prefix + ".pool", node[i], 3, 1, 1, false));
                }
            }
            String nodeName = j == 3 ? name : name + ".n" + j;
            if (terms.isEmpty()) {
                // Every input edge is `none`: the node is zero, yet later ops on it still run (BN of zero is its shift).
                node[j] = b.zeros(nodeName, in);
            } else if (terms.size() == 1) {
                node[j] = j == 3 ? b.identity(nodeName, terms.get(0)) : terms.get(0);
            } else {
                node[j] = b.sum(nodeName, terms);
            }
        }
        b.unit(name, node[3]);
        return node[3];
    }

    private static String reductionBlock(BlueprintBuilder b, String name, String in, int width) {
        String a = reluConvBn(b, name + ".a", in, width, 3, 2);
        String y = reluConvBn(b, name + ".b", a, width, 3, 1);
        String shortcut = b.conv(name + ".shortcut.conv", b.avgPool(name + ".shortcut.pool", in, 2, 2, 0, true), width, 1, 1, false);
        String out = b.sum(name, List.of(y, shortcut));
        b.unit(name, out);
        return out;
    }

    private static String reluConvBn(BlueprintBuilder b, String prefix, String in, int width, int kernel, int stride) {
        String y = b.relu(prefix + ".relu", in);
        y = b.conv(prefix + ".conv", y, width, kernel, stride, false);
        return b.batchNorm(prefix + ".bn", y);
    }
}
