package org.redtest.zoo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.redtest.RedTestException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Each family's answer to "which units may go, and what is left without them", checked against the
 * network its blueprint builds. Plain data: no DL4J graph.
 */
class PrunableStructureTest {
    private static final Shape CIFAR = new Shape(3, 32, 32);
    private static final String NATS_CELL = "|nor_conv_3x3~0|+|skip_connect~0|avg_pool_3x3~1|+|none~0|nor_conv_1x1~1|skip_connect~2|";

    private static List<String> unitNames(Architecture a) {
        return a.blueprint(CIFAR, 10).unitNames();
    }

    private static List<String> names(List<DroppableUnit> units) {
        return units.stream().map(DroppableUnit::name).toList();
    }

    @Test
    void resnetBlocksArePrunableInStageGroupsTheStemIsNot() {
        Architecture a = ModelSpec.parse("resnet:2-3-1");
        assertEquals(List.of(new DroppableUnit("s1.b1", "s1"), new DroppableUnit("s1.b2", "s1"),
                new DroppableUnit("s2.b1", "s2"), new DroppableUnit("s2.b2", "s2"), new DroppableUnit("s2.b3", "s2"),
                new DroppableUnit("s3.b1", "s3")), a.prunableUnits());
    }

    @Test
    void everyVggConvIsPrunableInTheGroupOfItsStage() {
        Architecture a = ModelSpec.parse("vgg:8,M,16,16,M,32");
        assertEquals(List.of(new DroppableUnit("conv1", "stage1"), new DroppableUnit("conv2", "stage2"),
                new DroppableUnit("conv3", "stage2"), new DroppableUnit("conv4", "stage3")), a.prunableUnits());
    }

    @Test
    void natsNormalCellsArePrunableTheStemAndReductionBlocksAreNot() {
        Architecture a = ModelSpec.parse("nats[C=4,N=2]:" + NATS_CELL);
        assertEquals(List.of("stem", "cell1", "cell2", "cell3", "cell4", "cell5", "cell6", "cell7", "cell8"), unitNames(a));
        assertEquals(List.of("cell1", "cell2", "cell4", "cell5", "cell7", "cell8"), names(a.prunableUnits()));
    }

    /** The prunable units are measured units, in the order the network measures them. */
    @ParameterizedTest
    @ValueSource(strings = {"resnet20", "resnet:1-4-2", "vgg11", "vgg19", "vgg:8,M,16", "nats:" + NATS_CELL,
            "nats[C=4,N=1-0-3]:" + NATS_CELL})
    void prunableUnitsAreMeasuredUnitsInNetworkOrder(String spec) {
        Architecture a = ModelSpec.parse(spec);
        List<String> prunable = names(a.prunableUnits());
        List<String> measured = new ArrayList<>(unitNames(a));
        measured.retainAll(prunable);
        assertEquals(prunable, measured);
    }

    /**
     * Whatever is dropped, the reduced network's units map onto the original's kept units in order: unit k of
     * the reduced network is the k-th unit of the original that was not dropped.
     */
    @ParameterizedTest
    @ValueSource(strings = {"resnet:3-3-3", "vgg:8,16,M,32,M,32", "nats[C=4,N=2]:" + NATS_CELL})
    void reducedUnitsAreTheKeptOriginalUnitsInOrder(String spec) {
        Architecture a = ModelSpec.parse(spec);
        List<String> prunable = names(a.prunableUnits());
        // every other prunable unit, starting with the second: no group is emptied
        Set<String> dropped = Set.of(prunable.get(1), prunable.get(3));
        ReducedArchitecture r = a.without(dropped);
        List<String> kept = unitNames(a).stream().filter(u -> !dropped.contains(u)).toList();
        assertEquals(unitNames(r.architecture()), List.copyOf(r.unitOrigins().keySet()));
        assertEquals(kept, List.copyOf(r.unitOrigins().values()));
        assertEquals(prunable.size() - 2, r.architecture().prunableUnits().size());
    }

    @Test
    void droppingNothingGivesTheSameArchitecture() {
        for (String spec : List.of("resnet:2-2-2", "vgg13", "nats[C=4,N=2]:" + NATS_CELL)) {
            Architecture a = ModelSpec.parse(spec);
            ReducedArchitecture r = a.without(Set.of());
            assertEquals(a, r.architecture(), spec);
            r.unitOrigins().forEach((now, was) -> assertEquals(was, now, spec));
        }
    }

    @Test
    void reducedSpecsRenumberWhatIsLeft() {
        assertEquals("resnet:2-1-3", ModelSpec.parse("resnet:3-2-3").without(Set.of("s1.b2", "s2.b1")).architecture().spec());
        assertEquals("vgg:8,M,32,M", ModelSpec.parse("vgg:8,16,M,32,M").without(Set.of("conv2")).architecture().spec());
        assertEquals("nats[C=4,N=1-1-2]:" + NATS_CELL,
                ModelSpec.parse("nats[C=4,N=2]:" + NATS_CELL).without(Set.of("cell2", "cell4")).architecture().spec());
    }

    @Test
    void namesThatAreNotPrunableUnitsAreIgnored() {
        Architecture resnet = ModelSpec.parse("resnet:2-2-2");
        assertEquals(resnet, resnet.without(Set.of("stem", "s9.b1", "output")).architecture());
        Architecture nats = ModelSpec.parse("nats[C=4,N=2]:" + NATS_CELL);
        assertEquals(nats, nats.without(Set.of("stem", "cell3", "cell6")).architecture(), "reduction blocks stay");
    }

    @Test
    void aResnetStageKeepsABlockANatsStageMayLoseAllItsCells() {
        RedTestException e = assertThrows(RedTestException.class,
                () -> ModelSpec.parse("resnet:2-1-2").without(Set.of("s2.b1")));
        assertEquals("pruning would empty ResNet stage 2", e.getMessage());
        Architecture nats = ModelSpec.parse("nats[C=4,N=1]:" + NATS_CELL).without(Set.of("cell3")).architecture();
        assertEquals(List.of(1, 0, 1), ((NatsArchitecture) nats).cellsPerStage());
    }
}
