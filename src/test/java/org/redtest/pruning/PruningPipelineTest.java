package org.redtest.pruning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.RedTestException;
import org.redtest.config.MeasureConfig;
import org.redtest.config.PruneConfig;
import org.redtest.config.PruneMethod;
import org.redtest.config.TrainingConfig;
import org.redtest.data.ChannelNormalization;
import org.redtest.data.DataSpec;
import org.redtest.data.ImageDataset;
import org.redtest.data.LoadedData;
import org.redtest.measure.MeasurementSettings;
import org.redtest.measure.RedundancyMeasurement;
import org.redtest.engine.cpu.CpuAcceleration;
import org.redtest.storage.ResultsDatabase;
import org.redtest.testing.TinyData;
import org.redtest.training.TrainedModel;
import org.redtest.zoo.Architecture;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.DroppableUnit;
import org.redtest.zoo.GraphSettings;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.Shape;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pruning pipeline on a tiny VGG and synthetic images: what it drops is what the rules and the
 * measured CKA say, what it rebuilds is what the family says is left, and what it records and writes
 * names the original units. The pipeline's own measurement of the original is repeated here independently.
 */
class PruningPipelineTest {
    static {
        CpuAcceleration.configure();
    }

    private static final ImageDataset TRAIN = TinyData.learnable(60, 3, 8, 3, 1);
    private static final ImageDataset TEST = TinyData.learnable(40, 3, 8, 3, 2);
    private static final LoadedData DATA = new LoadedData(TRAIN, TEST, ChannelNormalization.fromData(TRAIN));
    private static final Shape INPUT = new Shape(3, 8, 8);
    private static final int CLASSES = 3;
    private static final MeasurementSettings MEASUREMENT = new MeasurementSettings(2, 10, org.redtest.config.Sampling.FIRST, 5, 100, 0.8);
    private static final String VGG = "vgg:4,4,M,8,8,8";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static PruneConfig keep(int keep, List<PruneMethod> baselines) {
        return PruneConfig.builder().keep(keep).baselines(baselines).finetuneEpochs(1).probeTrainImages(20).build()
                .validate(true);
    }

    private static PruneConfig tau(double tau, Double learningRate) {
        return PruneConfig.builder().tau(tau).baselines(List.of()).finetuneEpochs(1).learningRate(learningRate)
                .probeTrainImages(20).build().validate(true);
    }

    private PruningPipeline.Job job(Architecture arch, ComputationGraph trained, PruneConfig prune) {
        TrainingConfig recipe = TrainingConfig.builder().epochs(1).batchSize(20).learningRate(0.01).weightDecay(0.0005)
                .lrMilestones(List.of()).evalBatchSize(20).build();
        DataSpec spec = new DataSpec(DataSpec.CIFAR10, dir.toString(), null, null, null, null, false);
        return new PruningPipeline.Job("tiny", dir.resolve("run"), model(arch, trained), DATA, spec, recipe, MEASUREMENT,
                prune, 11, "config-hash");
    }

    private static ComputationGraph trained(Architecture arch) {
        return Dl4jGraphFactory.create(arch.blueprint(INPUT, CLASSES), GraphSettings.inference(3));
    }

    private static TrainedModel model(Architecture arch, ComputationGraph graph) {
        return TrainedModel.of(graph, arch, arch.blueprint(INPUT, CLASSES), DATA.normalization());
    }

    /** Adjacent CKA of each measured unit of the original, measured here as the pipeline measures it. */
    private static Map<String, Double> adjacentCka(Architecture arch, ComputationGraph graph) {
        var summary = RedundancyMeasurement.run(model(arch, graph), TEST, "test", MEASUREMENT).summary();
        Map<String, Double> cka = new HashMap<>();
        for (int k = 0; k + 1 < summary.units().size(); k++) {
            cka.put(summary.units().get(k), summary.adjacent()[k]);
        }
        return cka;
    }

    private static List<String> names(List<PruningOutcome.DroppedUnit> dropped) {
        return dropped.stream().map(PruningOutcome.DroppedUnit::unit).toList();
    }

    /**
     * The rules of selection, checked on any result: the last prunable unit stays, every group keeps a unit,
     * and (for the CKA method) a kept unit more redundant than a dropped one was kept only because it was
     * the last of its group.
     */
    private static void assertFollowsTheRules(Architecture arch, List<String> dropped, Map<String, Double> cka, boolean byCka) {
        List<DroppableUnit> units = arch.prunableUnits();
        assertTrue(!dropped.contains(units.get(units.size() - 1).name()), "the last unit stays: " + dropped);
        Map<String, Integer> kept = new HashMap<>();
        units.stream().filter(u -> !dropped.contains(u.name())).forEach(u -> kept.merge(u.group(), 1, Integer::sum));
        units.forEach(u -> assertTrue(kept.getOrDefault(u.group(), 0) >= 1, "group " + u.group() + " keeps a unit"));
        if (!byCka) {
            return;
        }
        double leastDropped = dropped.stream().mapToDouble(cka::get).min().orElse(Double.POSITIVE_INFINITY);
        for (DroppableUnit u : units.subList(0, units.size() - 1)) {
            if (!dropped.contains(u.name()) && cka.get(u.name()) > leastDropped) {
                assertEquals(1, kept.get(u.group()), u.name() + " is more redundant than a dropped unit yet kept");
            }
        }
    }

    /**
     * One family is enough here: which units each family offers and what it leaves is tested without the
     * pipeline (UnitSelectionTest, PrunedStructureTest, zoo.PrunableStructureTest); a run costs tens of seconds.
     */
    @Test
    void dropsWhatTheRulesAndTheMeasuredCkaSayAndRebuildsWhatTheFamilySaysIsLeft() throws Exception {
        Architecture arch = ModelSpec.parse(VGG);
        ComputationGraph graph = trained(arch);
        Map<String, Double> cka = adjacentCka(arch, graph);
        int keep = 3;
        int count = arch.prunableUnits().size() - keep;
        List<PruningOutcome> outcomes;
        try (ResultsDatabase db = ResultsDatabase.open(dir.resolve("r.db"))) {
            outcomes = new PruningPipeline(job(arch, graph, keep(keep, List.of(PruneMethod.RANDOM))), db).run();
            assertEquals(List.of(PruneMethod.CKA.word(), PruneMethod.RANDOM.word()), outcomes.stream().map(o -> o.selection().method()).toList());
            for (PruningOutcome o : outcomes) {
                List<String> dropped = names(o.selection().dropped());
                assertEquals(count, dropped.size(), o.selection().method() + " drops the prunable units beyond " + keep);
                assertFollowsTheRules(arch, dropped, cka, o.selection().method().equals(PruneMethod.CKA.word()));
                o.selection().dropped().forEach(d -> assertEquals(cka.get(d.unit()), d.adjacentCka(), 1e-9, d.unit()));

                Architecture pruned = arch.without(Set.copyOf(dropped)).architecture();
                assertEquals(pruned.spec(), o.after().spec());
                assertEquals(arch.spec(), o.before().spec());
                assertEquals(arch.blueprint(INPUT, CLASSES).params(), o.before().params());
                assertEquals(pruned.blueprint(INPUT, CLASSES).params(), o.after().params());
                assertEquals(pruned.blueprint(INPUT, CLASSES).flops(), o.after().flops());
                assertTrue(o.after().params() < o.before().params() && o.after().flops() < o.before().flops(), o.after().spec());
                assertTrue(o.before().latency() > 0 && o.after().latency() > 0, "both timed");

                String dirName = "prune-" + o.selection().method() + "-keep" + keep;
                assertEquals(dir.resolve("run").resolve(dirName), o.directory());
                assertTrue(Files.exists(o.directory().resolve("model.zip")) && Files.exists(o.directory().resolve("plan.json")));
                long runId = db.runId("tiny/" + dirName).orElseThrow();
                assertEquals(1, db.epochs(runId).size(), "one fine-tuning epoch recorded");
                assertEquals("finished", db.runStatus(runId));

                List<String> keptUnits = new ArrayList<>(arch.blueprint(INPUT, CLASSES).unitNames());
                keptUnits.removeAll(dropped);
                assertEquals(keptUnits, unitsOf(o.directory().resolve("measure-msrs.json")),
                        "the pruned model's measurement names the original units it keeps");
            }
        }
    }

    private static List<String> unitsOf(Path msrsJson) throws Exception {
        JsonNode m = JSON.readTree(msrsJson.toFile());
        List<String> units = new ArrayList<>();
        m.get("units").forEach(u -> units.add(u.asText()));
        return units;
    }

    /** Threshold mode drops exactly the units at or above tau; a rerun resumes; another plan in the directory is refused. */
    @Test
    void thresholdModeDropsTheUnitsAtOrAboveTauAndARerunResumes() throws Exception {
        Architecture arch = ModelSpec.parse(VGG);
        ComputationGraph graph = trained(arch);
        Map<String, Double> cka = adjacentCka(arch, graph);
        List<String> notLast = arch.prunableUnits().stream().map(DroppableUnit::name).limit(arch.prunableUnits().size() - 1).toList();
        double[] sorted = notLast.stream().mapToDouble(cka::get).sorted().toArray();
        double tau = sorted[sorted.length - 2]; // the two most redundant convs reach it
        List<String> expected = notLast.stream().filter(u -> cka.get(u) >= tau).toList();
        assertEquals(2, expected.size(), "distinct CKAs: " + Arrays.toString(sorted));
        try (ResultsDatabase db = ResultsDatabase.open(dir.resolve("r.db"))) {
            PruningOutcome first = new PruningPipeline(job(arch, graph, tau(tau, null)), db).run().get(0);
            assertEquals(expected, names(first.selection().dropped()));
            Path model = first.directory().resolve("model.zip");
            FileTime saved = Files.getLastModifiedTime(model);

            PruningOutcome again = new PruningPipeline(job(arch, graph, tau(tau, null)), db).run().get(0);
            assertEquals(first.fineTuning().top1Pruned(), again.fineTuning().top1Pruned(), "the plan's accuracy after pruning, not a new rebuild");
            assertEquals(first.after().top1(), again.after().top1());
            assertEquals(saved, Files.getLastModifiedTime(model), "nothing left to fine-tune");
            assertEquals(1, db.epochs(db.runId("tiny/" + first.directory().getFileName()).orElseThrow()).size());

            RedTestException e = assertThrows(RedTestException.class,
                    () -> new PruningPipeline(job(arch, graph, tau(tau, 0.5)), db).run());
            assertTrue(e.getMessage().contains("holds another pruning plan"), e.getMessage());
            // what a driver checks before sending fine-tunings elsewhere: the same refusal, its own plan passes
            PruningPipeline other = new PruningPipeline(job(arch, graph, tau(tau, 0.5)), db);
            PruningPipeline.FineTuning changed = other.select().fineTunings().get(0);
            assertEquals(e.getMessage(), assertThrows(RedTestException.class, () -> other.requireOwnDirectory(changed)).getMessage());
            PruningPipeline same = new PruningPipeline(job(arch, graph, tau(tau, null)), db);
            same.requireOwnDirectory(same.select().fineTunings().get(0));
        }
    }
}
