package org.redtest.reproduce;

import org.redtest.RedTestException;
import org.redtest.config.ConfigLoader;
import org.redtest.config.PruneConfig;
import org.redtest.data.LoadedData;
import org.redtest.experiment.PruneStage;
import org.redtest.pruning.PruningOutcome;
import org.redtest.storage.ResultsDatabase;
import org.redtest.training.CheckpointStore;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

    record MethodResult(String method, String prunedSpec, double top1Original, double top1FineTuned,
                        double paramsReduction, double flopsReduction, double latencyReduction,
                        double msrsOriginal, double msrsPruned, String directory) {
        double top1Change() {
            return top1FineTuned - top1Original;
        }
    }

    record ModelResult(String model, int keep, List<MethodResult> methods) {
    }

    private PruningPart() {
    }

    static ModelResult run(SuiteConfig suite, SuiteConfig.PruneTarget target, LoadedData data, ResultsDatabase db,
                           Path figures, PrintWriter out) {
        int keep = SuiteConfig.keepFor(target);
        PruneConfig p = suite.prune();
        PruneConfig withKeep = new PruneConfig(p.method(), null, keep, p.baselines(), p.finetuneEpochs(), p.learningRate(),
                p.probeTrainImages());
        ConfigLoader.LoadedConfig loaded = DepthPart.experiment(suite, target.model(), List.of("prune"), withKeep);
        var cfg = loaded.config();
        CheckpointStore store = new CheckpointStore(cfg.runDirectory());
        if (!store.hasModel()) {
            throw new RedTestException("pruning " + target.model() + " needs its trained checkpoint " + store.modelFile());
        }
        Long runId = db.runId(cfg.name()).orElse(null);
        List<PruningOutcome> outcomes = PruneStage.run(loaded, CheckpointStore.load(store.modelFile()), data, db, runId, out);
        List<MethodResult> methods = new ArrayList<>();
        for (PruningOutcome o : outcomes) {
            methods.add(new MethodResult(o.method(), o.prunedSpec(), o.top1Original(), o.top1FineTuned(), o.paramsReduction(),
                    o.flopsReduction(), o.latencyReduction(), o.msrsOriginal(), o.msrsPruned(), o.directory().toString()));
        }
        copy(cfg.runDirectory().resolve("measure-cka.png"), figures.resolve(target.model() + "-cka-before.png"));
        methods.stream().filter(m -> m.method().equals(PruneConfig.CKA)).findFirst().ifPresent(m ->
                copy(Path.of(m.directory()).resolve("measure-cka.png"), figures.resolve(target.model() + "-cka-after.png")));
        return new ModelResult(target.model(), keep, methods);
    }

    static List<ReproductionRow> rows(ModelResult r) {
        List<ReproductionRow> rows = new ArrayList<>();
        PaperNumbers.PrunedStructure paper = PaperNumbers.PRUNED.get(r.model());
        MethodResult cka = r.methods().stream().filter(m -> m.method().equals(PruneConfig.CKA)).findFirst().orElse(null);
        if (cka == null) {
            return rows;
        }
        String what = r.model() + " CKA-guided (keep " + r.keep() + ": " + cka.prunedSpec() + ")";
        if (paper != null) {
            rows.add(ReproductionRow.claim(SECTION, what + " top-1 change after fine-tuning", paper.top1Change(),
                    cka.top1Change(), "points", "ours >= paper - " + ReproductionRow.trim(TOP1_CHANGE_TOLERANCE),
                    cka.top1Change() >= paper.top1Change() - TOP1_CHANGE_TOLERANCE));
            String own = "own selection on this data (the paper's structure is checked exactly above)";
            rows.add(ReproductionRow.info(SECTION, what + " Params PR", paper.paramsReduction(), cka.paramsReduction(), "%", own));
            rows.add(ReproductionRow.info(SECTION, what + " FLOPs PR", paper.flopsReduction(), cka.flopsReduction(), "%", own));
            rows.add(ReproductionRow.info(SECTION, what + " latency PR", paper.latencyReduction(), cka.latencyReduction(), "%",
                    "batch-1 latency on this machine"));
        }
        Double paperAfter = r.model().equals("resnet56") ? 0.0 : null;
        rows.add(ReproductionRow.claim(SECTION, what + String.format(" MSRS after (before %.2f)", cka.msrsOriginal()),
                paperAfter, cka.msrsPruned(), "MSRS", "MSRS falls after pruning", cka.msrsPruned() < cka.msrsOriginal()));
        for (MethodResult b : r.methods()) {
            if (b == cka) {
                continue;
            }
            rows.add(ReproductionRow.claim(SECTION, r.model() + " CKA-guided vs " + b.method() + String.format(
                            " (%.2f vs %.2f top-1 after fine-tuning)", cka.top1FineTuned(), b.top1FineTuned()), null,
                    cka.top1FineTuned() - b.top1FineTuned(), "points", "CKA-guided keeps at least the baseline's top-1",
                    cka.top1FineTuned() >= b.top1FineTuned()));
        }
        return rows;
    }

    private static void copy(Path from, Path to) {
        if (!Files.isRegularFile(from)) {
            return;
        }
        try {
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new RedTestException("cannot copy " + from + " to " + to + ": " + e.getMessage());
        }
    }
}
