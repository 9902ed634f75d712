package org.redtest.config;

import org.redtest.Choice;
import org.redtest.RedTestException;
import org.redtest.zoo.Architecture;
import org.redtest.zoo.DroppableUnit;

import java.util.LinkedHashSet;
import java.util.List;

/**
 * The {@code prune} section (docs/method.md, "Pruning"). Exactly one of {@code tau} (threshold mode: drop unit
 * k when its CKA with unit k+1 is >= tau) and {@code keep} (budget mode: keep the K least redundant
 * units). {@code method} chooses the units; the {@code baselines} drop as many units by their own
 * criterion, through the same rebuild and fine-tuning, for the side-by-side report. {@code repeats} fine-tunes
 * every method that many times with seeds seed, seed + 1, ... (the random baseline also draws a new selection
 * per seed), so a comparison of methods can be told apart from the noise of one run.
 */
public record PruneConfig(PruneMethod method, Double tau, Integer keep, List<PruneMethod> baselines, Integer finetuneEpochs,
                          Double learningRate, Integer probeTrainImages, Integer repeats) {
    public PruneConfig {
        Builder d = new Builder(); // an absent YAML key (null) takes the builder's default
        method = method == null ? d.method : method;
        // a blank entry (`baselines: [random, ~]`) binds as null: kept so that validate() can name it
        baselines = baselines == null ? d.baselines : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(baselines));
        finetuneEpochs = finetuneEpochs == null ? d.finetuneEpochs : finetuneEpochs;
        probeTrainImages = probeTrainImages == null ? d.probeTrainImages : probeTrainImages;
        repeats = repeats == null ? d.repeats : repeats;
    }

    public static PruneConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Pruning settings, each starting at its default and checked as it is set; {@link #build()} checks what involves
     * two settings (tau and keep exclusive). A null tau, keep or learning rate means unset.
     */
    public static final class Builder {
        private PruneMethod method = PruneMethod.CKA;
        private Double tau;
        private Integer keep;
        private List<PruneMethod> baselines = List.of(PruneMethod.RANDOM, PruneMethod.LINEAR_PROBE);
        private int finetuneEpochs = 10;
        private Double learningRate;
        private int probeTrainImages = 2560;
        private int repeats = 1;

        private Builder() {
        }

        public Builder method(PruneMethod m) {
            method = java.util.Objects.requireNonNull(m, "method");
            return this;
        }

        public Builder tau(Double t) {
            checkCriterion("prune.tau", t, "prune.keep", null);
            tau = t;
            return this;
        }

        public Builder keep(Integer k) {
            checkCriterion("prune.tau", null, "prune.keep", k);
            keep = k;
            return this;
        }

        public Builder baselines(List<PruneMethod> methods) {
            checkBaselines(methods);
            baselines = List.copyOf(methods);
            return this;
        }

        public Builder finetuneEpochs(int n) {
            checkFinetuneEpochs(n);
            finetuneEpochs = n;
            return this;
        }

        public Builder learningRate(Double lr) {
            checkLearningRate(lr);
            learningRate = lr;
            return this;
        }

        public Builder probeTrainImages(int n) {
            checkProbeTrainImages(n);
            probeTrainImages = n;
            return this;
        }

        public Builder repeats(int n) {
            checkRepeats(n);
            repeats = n;
            return this;
        }

        public PruneConfig build() {
            return new PruneConfig(method, tau, keep, baselines, finetuneEpochs, learningRate, probeTrainImages, repeats)
                    .validate(false);
        }
    }

    /** Checks the section; {@code required} when a prune stage will run. */
    public PruneConfig validate(boolean required) {
        checkBaselines(baselines);
        if (tau != null && keep != null) {
            throw new RedTestException("prune.tau and prune.keep are mutually exclusive; set one");
        }
        if (required && tau == null && keep == null) {
            throw new RedTestException("the prune stage needs prune.tau (threshold mode) or prune.keep (budget mode)");
        }
        checkCriterion("prune.tau", tau, "prune.keep", keep);
        checkFinetuneEpochs(finetuneEpochs);
        checkLearningRate(learningRate);
        checkProbeTrainImages(probeTrainImages);
        checkRepeats(repeats);
        return this;
    }

    private static void checkBaselines(List<PruneMethod> methods) {
        if (methods.stream().anyMatch(java.util.Objects::isNull)) {
            throw new RedTestException("prune.baselines has an empty entry; known methods: " + Choice.words(PruneMethod.class));
        }
    }

    private static void checkFinetuneEpochs(int n) {
        if (n < 0) {
            throw new RedTestException("prune.finetune_epochs must be >= 0, got " + n);
        }
    }

    private static void checkLearningRate(Double lr) {
        if (lr != null && !(lr > 0)) {
            throw new RedTestException("prune.learning_rate must be > 0, got " + lr);
        }
    }

    private static void checkProbeTrainImages(int n) {
        if (n < 10) {
            throw new RedTestException("prune.probe_train_images must be >= 10, got " + n);
        }
    }

    private static void checkRepeats(int n) {
        if (n < 1) {
            throw new RedTestException("prune.repeats must be >= 1 (fine-tunings per method, one seed each), got " + n);
        }
    }

    /**
     * Checks {@code keep} against the model: at most as many units as it has prunable ones. Needs only
     * the model spec (the unit list is plain data), so it runs before any stage trains or measures.
     */
    public PruneConfig checkAgainst(Architecture architecture) {
        return checkAgainst(architecture, "prune.keep");
    }

    /** As {@link #checkAgainst(Architecture)}, naming the setting as the user gave it (e.g. {@code --keep}). */
    public PruneConfig checkAgainst(Architecture architecture, String keepName) {
        if (keep != null) {
            int prunable = architecture.prunableUnits().size();
            if (keep < 1 || keep > prunable) {
                throw new RedTestException(keepName + " must be between 1 and the " + prunable + " prunable units of "
                        + architecture.spec() + ", got " + keep);
            }
            // each group (a ResNet or VGG stage; the whole of a NATS network) keeps a unit: fewer cannot be met,
            // and would fine-tune an unchanged or half-pruned model under the keep's name
            long groups = architecture.prunableUnits().stream().map(DroppableUnit::group).distinct().count();
            if (keep < groups) {
                throw new RedTestException(keepName + " " + keep + " cannot be met on " + architecture.spec() + ": each of its "
                        + groups + " stages keeps one of its " + prunable + " prunable units, so at least " + groups + " stay");
            }
        }
        return this;
    }

    /** The ranges of the criterion, the one check YAML and the prune command's flags go through. */
    public static void checkCriterion(String tauName, Double tau, String keepName, Integer keep) {
        if (tau != null && !(tau > 0 && tau <= 1)) {
            throw new RedTestException(tauName + " must be in (0, 1] (a CKA threshold), got " + tau);
        }
        if (keep != null && keep < 1) {
            throw new RedTestException(keepName + " must be >= 1, got " + keep);
        }
    }

    /** The method, then the baselines, each once, in the order they run. */
    public List<PruneMethod> methods() {
        LinkedHashSet<PruneMethod> all = new LinkedHashSet<>();
        all.add(method);
        all.addAll(baselines);
        return List.copyOf(all);
    }

    /** The same settings keeping {@code keep} units (budget mode). */
    public PruneConfig withKeep(int keep) {
        return new PruneConfig(method, null, keep, baselines, finetuneEpochs, learningRate, probeTrainImages, repeats);
    }

    /** A short name of the criterion for directory and report names, e.g. "tau0.9" or "keep8". */
    public String criterion() {
        return tau != null ? "tau" + tau : "keep" + keep;
    }
}
