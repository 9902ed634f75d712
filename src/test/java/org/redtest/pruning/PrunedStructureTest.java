package org.redtest.pruning;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.redtest.engine.cpu.CpuAcceleration;
import org.redtest.zoo.Architecture;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.GraphSettings;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.Shape;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrunedStructureTest {
    static {
        CpuAcceleration.configure();
    }

    private static final Shape INPUT = new Shape(3, 16, 16);
    private static final String NATS = "nats[C=4,N=2]:|nor_conv_3x3~0|+|skip_connect~0|avg_pool_3x3~1|+|none~0|nor_conv_1x1~1|skip_connect~2|";

    private record Rebuilt(ComputationGraph original, ComputationGraph pruned, PrunedStructure structure,
                           WeightTransfer.Result transfer) {
    }

    private static Rebuilt rebuild(String spec, List<String> dropped) {
        Architecture arch = ModelSpec.parse(spec);
        ComputationGraph original = Dl4jGraphFactory.create(arch.blueprint(INPUT, 5), GraphSettings.inference(1));
        PrunedStructure s = PrunedStructure.of(arch, dropped);
        ComputationGraph pruned = Dl4jGraphFactory.create(s.pruned().blueprint(INPUT, 5), GraphSettings.inference(99));
        return new Rebuilt(original, pruned, s, WeightTransfer.copy(original, pruned, s));
    }

    private static void assertSameParams(ComputationGraph a, String layerA, ComputationGraph b, String layerB) {
        assertArrayEquals(a.getLayer(layerA).params().toFloatVector(), b.getLayer(layerB).params().toFloatVector(),
                layerA + " -> " + layerB);
    }

    @Test
    void pruningNothingReproducesTheOriginalOutputsExactly() {
        for (String spec : List.of("resnet:2-2-2", "vgg:8,M,16,16,M", NATS)) {
            Rebuilt r = rebuild(spec, List.of());
            assertEquals(ModelSpec.parse(spec), r.structure().pruned(), spec);
            assertTrue(r.transfer().reinitialized().isEmpty(), spec);
            INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, 16, 16);
            assertArrayEquals(r.original().outputSingle(false, x).reshape(-1).toFloatVector(),
                    r.pruned().outputSingle(false, x).reshape(-1).toFloatVector(), spec);
        }
    }

    @Test
    void resnetNeighboursKeepTheirWeightsAndAStageHeadTakesOverTheStride() {
        Rebuilt r = rebuild("resnet:3-3-3", List.of("s1.b2", "s2.b1"));
        assertEquals("resnet:2-2-3", r.structure().pruned().spec());
        assertSameParams(r.original(), "s1.b1.conv1", r.pruned(), "s1.b1.conv1");
        for (String layer : List.of("conv1", "bn1", "conv2", "bn2")) {
            assertSameParams(r.original(), "s1.b3." + layer, r.pruned(), "s1.b2." + layer);
        }
        // old s2.b2 now opens stage 2: its first conv sees 16 channels at stride 2 instead of 32
        assertEquals(List.of("s2.b1.conv1"), r.transfer().reinitialized());
        assertSameParams(r.original(), "s2.b2.conv2", r.pruned(), "s2.b1.conv2");
        assertSameParams(r.original(), "s2.b2.bn1", r.pruned(), "s2.b1.bn1");
        assertSameParams(r.original(), "output", r.pruned(), "output");
    }

    @Test
    void vggConvAfterADroppedConvIsFreshTheRestIsCarriedOver() {
        Rebuilt r = rebuild("vgg:8,16,M,32,M", List.of("conv2"));
        assertEquals("vgg:8,M,32,M", r.structure().pruned().spec());
        assertEquals(List.of("conv2"), r.transfer().reinitialized());
        assertSameParams(r.original(), "conv1", r.pruned(), "conv1");
        assertSameParams(r.original(), "conv3.bn", r.pruned(), "conv2.bn");
        assertSameParams(r.original(), "fc1", r.pruned(), "fc1");
    }

    @Test
    void vggFirstDenseIsFreshWhenTheFlattenedSizeChanges() {
        Rebuilt r = rebuild("vgg:8,M,16", List.of("conv1"));
        assertTrue(r.transfer().reinitialized().contains("conv1"));
        assertTrue(!r.transfer().reinitialized().contains("fc1"), "16x8x8 before and after");
        Rebuilt widthChange = rebuild("vgg:8,M,16", List.of("conv2"));
        assertEquals(List.of("fc1"), widthChange.transfer().reinitialized(), "flattened 8x8x8 instead of 16x8x8");
    }

    @Test
    void natsCellsAreDroppedReductionBlocksStay() {
        Rebuilt r = rebuild(NATS, List.of("cell2", "cell4"));
        assertEquals("nats[C=4,N=1-1-2]:" + NATS.substring(NATS.indexOf(':') + 1), r.structure().pruned().spec());
        assertTrue(r.transfer().reinitialized().isEmpty());
        assertSameParams(r.original(), "cell3.a.conv", r.pruned(), "cell2.a.conv");
        assertSameParams(r.original(), "cell5.e01.conv", r.pruned(), "cell3.e01.conv");
    }

    @Test
    void prunedUnitsAreNamedAfterTheOriginalUnitsTheyAre() {
        Architecture resnet = ModelSpec.parse("resnet20");
        PrunedStructure r = PrunedStructure.of(resnet, List.of("s1.b2", "s3.b1", "s3.b3"));
        List<String> prunedUnits = r.pruned().blueprint(INPUT, 5).unitNames();
        assertEquals(List.of("stem", "s1.b1", "s1.b2", "s2.b1", "s2.b2", "s2.b3", "s3.b1"), prunedUnits);
        assertEquals(List.of("stem", "s1.b1", "s1.b3", "s2.b1", "s2.b2", "s2.b3", "s3.b2"), r.originalUnitNames(prunedUnits),
                "the pruned model's unit k is the original's k-th kept unit; no dropped name appears");

        PrunedStructure v = PrunedStructure.of(ModelSpec.parse("vgg:8,8,M,16,16,M,32"), List.of("conv1", "conv4"));
        List<String> vggUnits = v.pruned().blueprint(INPUT, 5).unitNames();
        assertEquals(List.of("conv1", "conv2", "conv3"), vggUnits);
        assertEquals(List.of("conv2", "conv3", "conv5"), v.originalUnitNames(vggUnits));
    }
}
