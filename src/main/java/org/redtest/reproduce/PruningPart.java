package org.redtest.reproduce;

import org.redtest.RedTestException;
import org.redtest.config.ConfigLoader;
import org.redtest.config.ExperimentConfig;
import org.redtest.config.PruneMethod;
import org.redtest.config.StageName;
import org.redtest.data.LoadedData;
import org.redtest.experiment.PruneStage;
import org.redtest.io.AtomicFiles;
import org.redtest.pruning.PruningOutcome;
import org.redtest.pruning.SeedStatistics;
import org.redtest.storage.ResultsDatabase;
import org.redtest.training.CheckpointStore;
import org.redtest.training.TrainedModel;
import org.redtest.zoo.ModelSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CKA-guided pruning of a trained depth model beside its baselines (paper Table 1), keeping as many units as the
 * paper's pruned structure, plus the CKA heatmaps before and after (paper Fig. E3).
 */
final class PruningPart {
    static final String SECTION = "pruning";
    /** How many points CKA-guided pruning may fall behind the paper's top-1 change after fine-tuning. */
    static final double TOP1_CHANGE_TOLERANCE = 1.0;

    /** One fine-tuning of one method (one seed). */
    record MethodResult(String method, long seed, String prunedSpec, double top1Original, double top1FineTuned,
                        double paramsReduction, double flopsReduction, double latencyReduction,
                        double msrsOriginal, double msrsPruned, String directory) {
        double top1Change() {
            return top1FineTuned - top1Original;
        }
    }

    /** Every method's fine-tunings, {@code repeats} seeds each. */
    record ModelResult(String model, int keep, List<MethodResult> methods) {
        List<MethodResult> of(String method) {
            return methods.stream().filter(m -> m.method().equals(method)).toList();
        }

        List<String> methodNames() {
            return methods.stream().map(MethodResult::method).distinct().toList();
        }
    }

    private PruningPart() {
    }

    /** The suite part that prunes {@code model}. */
    static String partName(String model) {
        return "prune-" + model;
    }

    static ModelResult run(SuiteConfig suite, SuiteConfig.PruneTarget target, LoadedData data, ResultsDatabase db,
                           Path figures, PrintWriter out) {
        ConfigLoader.LoadedConfig loaded = experiment(suite, target);
        var cfg = loaded.config();
        Long runId = db.runId(cfg.name()).orElse(null);
        List<PruningOutcome> outcomes;
        try (TrainedModel trained = openTrained(cfg, data)) {
            outcomes = PruneStage.run(loaded, trained, data, db, runId, out, false);
        }
        return result(target, cfg.runDirectory(), outcomes, figures);
    }

    /** The prune stage's experiment on the target's trained depth model (its run directory), keeping its units. */
    static ConfigLoader.LoadedConfig experiment(SuiteConfig suite, SuiteConfig.PruneTarget target) {
        return DepthPart.experiment(suite, target.model(), suite.prune().withKeep(SuiteConfig.keepFor(target)), StageName.PRUNE);
    }

    /** The trained depth model pruning starts from: its checkpoint in the run directory. */
    static TrainedModel openTrained(ExperimentConfig cfg, LoadedData data) {
        CheckpointStore store = new CheckpointStore(cfg.runDirectory());
        if (!store.hasModel()) {
            throw new RedTestException("pruning " + cfg.model() + " needs its trained checkpoint " + store.modelFile());
        }
        return TrainedModel.open(store.modelFile(), cfg.model().architecture(), data.train(), data.normalization(), null);
    }

    /** The part's result from the timed outcomes, with the CKA maps before and after copied into the figures. */
    static ModelResult result(SuiteConfig.PruneTarget target, Path runDirectory, List<PruningOutcome> outcomes, Path figures) {
        List<MethodResult> methods = new ArrayList<>();
        for (PruningOutcome o : outcomes) {
            methods.add(new MethodResult(o.selection().method(), o.selection().seed(), o.after().spec(), o.before().top1(), o.after().top1(), o.paramsReduction(),
                    o.flopsReduction(), o.latencyReduction(), o.before().msrs(), o.after().msrs(), o.directory().toString()));
        }
        copy(runDirectory.resolve("measure-cka.png"), figures.resolve(target.model() + "-cka-before.png"));
        // the first seed's map stands for the method (CKA-guided selects the same units for every seed)
        methods.stream().filter(m -> m.method().equals(PruneMethod.CKA.word())).findFirst().ifPresent(m ->
                copy(Path.of(m.directory()).resolve("measure-cka.png"), figures.resolve(target.model() + "-cka-after.png")));
        return new ModelResult(target.model(), SuiteConfig.keepFor(target), methods);
    }

    /**
     * The claims of paper Table 1, judged on means over the seeds with the standard deviation shown: CKA-guided
     * pruning's accuracy change, its costs, MSRS after pruning, and CKA-guided against each baseline.
     */
    static List<ReproductionRow> rows(ModelResult r) {
        List<ReproductionRow> rows = new ArrayList<>();
        PaperNumbers.PrunedStructure paper = PaperNumbers.PRUNED.get(r.model());
        List<MethodResult> cka = r.of(PruneMethod.CKA.word());
        if (cka.isEmpty()) {
            return rows;
        }
        int n = cka.size();
        String seeds = n > 1 ? ", mean over " + n + " seeds" : "";
        String what = r.model() + " CKA-guided (keep " + r.keep() + ": " + specs(cka) + ")";
        SeedStatistics change = SeedStatistics.of(cka, MethodResult::top1Change);
        if (paper != null) {
            rows.add(ReproductionRow.claim(SECTION, what + " top-1 change after fine-tuning" + seeds, paper.top1Change(),
                    change.mean(), "points", "ours >= paper - " + ReproductionRow.trim(TOP1_CHANGE_TOLERANCE),
                    change.mean() >= paper.top1Change() - TOP1_CHANGE_TOLERANCE).withSpread(change.standardDeviation(), n));
            String own = "own selection on this data (the paper's structure is checked exactly above)";
            rows.add(ReproductionRow.info(SECTION, what + " Params PR", paper.paramsReduction(),
                    cka.get(0).paramsReduction(), "%", own));
            rows.add(ReproductionRow.info(SECTION, what + " FLOPs PR", paper.flopsReduction(), cka.get(0).flopsReduction(),
                    "%", own));
            SeedStatistics latency = SeedStatistics.of(cka, MethodResult::latencyReduction);
            rows.add(ReproductionRow.info(SECTION, what + " latency PR" + seeds, paper.latencyReduction(), latency.mean(), "%",
                    "batch-1 latency on this machine").withSpread(latency.standardDeviation(), n));
        }
        Double paperAfter = r.model().equals("resnet56") ? 0.0 : null;
        SeedStatistics msrsAfter = SeedStatistics.of(cka, MethodResult::msrsPruned);
        rows.add(ReproductionRow.claim(SECTION, what + String.format(" MSRS after (before %.2f)", cka.get(0).msrsOriginal())
                        + seeds, paperAfter, msrsAfter.mean(), "MSRS", "MSRS falls after pruning",
                msrsAfter.mean() < cka.get(0).msrsOriginal()).withSpread(msrsAfter.standardDeviation(), n));
        SeedStatistics ckaTop1 = SeedStatistics.of(cka, MethodResult::top1FineTuned);
        for (String method : r.methodNames()) {
            if (method.equals(PruneMethod.CKA.word())) {
                continue;
            }
            List<MethodResult> baseline = r.of(method);
            SeedStatistics b = SeedStatistics.of(baseline, MethodResult::top1FineTuned);
            String structures = method.equals(PruneMethod.RANDOM.word()) ? "; drew " + specs(baseline) : "";
            // the spread of a difference of two independent means
            double spread = Math.sqrt(ckaTop1.standardDeviation() * ckaTop1.standardDeviation() / n
                    + b.standardDeviation() * b.standardDeviation() / baseline.size());
            rows.add(ReproductionRow.claim(SECTION, r.model() + " CKA-guided vs " + method + String.format(
                            " (%s vs %s top-1 after fine-tuning%s%s)", ckaTop1.format(2), b.format(2), seeds, structures),
                    null, ckaTop1.mean() - b.mean(), "points", "CKA-guided keeps at least the baseline's mean top-1",
                    ckaTop1.mean() >= b.mean()).withSpread(spread, Math.min(n, baseline.size())));
        }
        return rows;
    }

    /** The distinct pruned structures of some fine-tunings, e.g. "resnet:5-4-4" or "resnet:4-4-5, resnet:6-3-4". */
    private static String specs(List<MethodResult> runs) {
        return String.join(", ", runs.stream().map(MethodResult::prunedSpec).distinct().toList());
    }

    private static void copy(Path from, Path to) {
        if (!Files.isRegularFile(from)) {
            return;
        }
        try {
            AtomicFiles.copy(from, to);
        } catch (IOException e) {
            throw new RedTestException("cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }
}
