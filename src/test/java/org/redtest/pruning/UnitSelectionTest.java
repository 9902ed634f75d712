package org.redtest.pruning;

import org.junit.jupiter.api.Test;
import org.redtest.RedTestException;
import org.redtest.zoo.ModelSpec;

import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UnitSelectionTest {
    // resnet:2-2-2 units: stem s1.b1 s1.b2 s2.b1 s2.b2 s3.b1 s3.b2; adjacent[k] = CKA(unit k, unit k+1)
    private static final List<String> UNITS = ModelSpec.parse("resnet:2-2-2").blueprint(
            new org.redtest.zoo.Shape(3, 32, 32), 10).unitNames();
    private static final double[] ADJ = {0.5, 0.95, 0.2, 0.97, 0.99, 0.92};

    private static List<PrunableUnit> units() {
        return PrunableUnits.of(ModelSpec.parse("resnet:2-2-2"), UNITS, ADJ);
    }

    @Test
    void stemIsNotPrunableAndTheLastUnitIsKept() {
        List<PrunableUnit> u = units();
        assertEquals(6, u.size());
        assertEquals("s1.b1", u.get(0).name());
        assertEquals(0.95, u.get(0).adjacentCka());
        assertEquals(true, u.get(5).last());
    }

    @Test
    void thresholdDropsUnitsAtOrAboveTauButKeepsOneBlockPerStage() {
        // c >= 0.9: s1.b1 (0.95), s2.b1 (0.97), s2.b2 (0.99), s3.b1 (0.92); stage 2 must keep one block
        int count = UnitSelection.thresholdCount(units(), 0.9);
        assertEquals(4, count);
        assertEquals(List.of("s1.b1", "s2.b2", "s3.b1"), UnitSelection.drop(units(), UnitSelection.byAdjacentCka(), count));
    }

    @Test
    void budgetKeepsTheLeastRedundant() {
        int count = UnitSelection.budgetCount(units(), 4);
        assertEquals(List.of("s2.b2", "s2.b1").size(), count);
        assertEquals(List.of("s1.b1", "s2.b2"), UnitSelection.drop(units(), UnitSelection.byAdjacentCka(), count));
        assertThrows(RedTestException.class, () -> UnitSelection.budgetCount(units(), 0));
    }

    @Test
    void anyPreferenceRespectsTheRules() {
        List<String> dropped = UnitSelection.drop(units(), Comparator.comparing(PrunableUnit::name).reversed(), 6);
        assertEquals(List.of("s1.b2", "s2.b2", "s3.b1"), dropped, "one block per stage and the last stay");
    }

    @Test
    void everyVggConvIsPrunableTheFirstTooButEachStageKeepsAConv() {
        var arch = ModelSpec.parse("vgg:8,M,16,16,M,32");
        List<String> units = arch.blueprint(new org.redtest.zoo.Shape(3, 32, 32), 10).unitNames();
        List<PrunableUnit> u = PrunableUnits.of(arch, units, new double[]{0.97, 0.5, 0.9});
        assertEquals(List.of("conv1", "conv2", "conv3", "conv4"), u.stream().map(PrunableUnit::name).toList());
        int count = UnitSelection.thresholdCount(u, 0.85);
        assertEquals(2, count, "conv1 (0.97) and conv3 (0.9)");
        assertEquals(List.of("conv3"), UnitSelection.drop(u, UnitSelection.byAdjacentCka(), count),
                "conv1 is its stage's only conv: without it the first pool would read the image");
        assertEquals(List.of("conv3"), UnitSelection.drop(u, UnitSelection.byAdjacentCka(), u.size()));
    }

    /** The VGG-19 selection a stage-blind rule made on Fashion-MNIST: both stage-1 convs and all of stage 4. */
    @Test
    void vgg19KeepingEightConvsKeepsOneInEveryStage() {
        var arch = ModelSpec.parse("vgg19");
        List<String> units = arch.blueprint(new org.redtest.zoo.Shape(1, 32, 32), 10).unitNames();
        // stage 1: conv1-2, stage 2: conv3-4, stage 3: conv5-8, stage 4: conv9-12, stage 5: conv13-16
        double[] adjacent = {0.99, 0.98, 0.60, 0.62, 0.70, 0.72, 0.74, 0.90, 0.95, 0.96, 0.97, 0.94, 0.50, 0.52, 0.54};
        List<PrunableUnit> u = PrunableUnits.of(arch, units, adjacent);
        List<String> dropped = UnitSelection.drop(u, UnitSelection.byAdjacentCka(), UnitSelection.budgetCount(u, 8));
        // stage-blind, the 8 highest would be conv1, conv2 (stage 1 empty) and conv8-12 (stage 4 empty)
        assertEquals(List.of("conv1", "conv4", "conv6", "conv7", "conv8", "conv9", "conv10", "conv11"), dropped);
        assertEquals("vgg:64,M,128,M,256,M,512,M,512,512,512,512,M",
                arch.without(java.util.Set.copyOf(dropped)).architecture().spec());
    }

    @Test
    void natsReductionBlocksNeitherCountNorGoHoweverRedundant() {
        var arch = ModelSpec.parse("nats[C=4,N=2]:|skip_connect~0|+|none~0|none~1|+|none~0|none~1|skip_connect~2|");
        List<String> units = arch.blueprint(new org.redtest.zoo.Shape(3, 32, 32), 10).unitNames();
        // stem cell1 cell2 cell3(reduction) cell4 cell5 cell6(reduction) cell7 cell8
        double[] adjacent = {0.1, 0.95, 0.3, 0.99, 0.92, 0.4, 0.98, 0.2};
        List<PrunableUnit> u = PrunableUnits.of(arch, units, adjacent);
        int count = UnitSelection.thresholdCount(u, 0.9);
        assertEquals(2, count, "cell1 and cell4; the reduction blocks' 0.99 and 0.98 do not count");
        assertEquals(List.of("cell1", "cell4"), UnitSelection.drop(u, UnitSelection.byAdjacentCka(), count));
        assertEquals(List.of("cell1", "cell2", "cell4", "cell5"),
                UnitSelection.drop(u, UnitSelection.byAdjacentCka(), UnitSelection.budgetCount(u, 2)));
    }

    @Test
    void natsReductionBlocksAreNotPrunable() {
        var arch = ModelSpec.parse("nats[C=4,N=2]:|skip_connect~0|+|none~0|none~1|+|none~0|none~1|skip_connect~2|");
        List<String> units = arch.blueprint(new org.redtest.zoo.Shape(3, 32, 32), 10).unitNames();
        List<PrunableUnit> u = PrunableUnits.of(arch, units, new double[units.size() - 1]);
        assertEquals(List.of("cell1", "cell2", "cell4", "cell5", "cell7", "cell8"), u.stream().map(PrunableUnit::name).toList());
    }
}
