package org.redtest.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.redtest.training.CheckpointStore;
import org.redtest.training.EpochRecord;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The summary's one-line facts about a run (model, data, accuracy, MSRS), in words and rounded numbers. */
final class RunFacts {
    private RunFacts() {
    }

    /** "resnet20: 20 weight layers, 269 k parameters, 40.8 M FLOPs per image, input 1x32x32, 10 classes". */
    static String model(JsonNode runJson, JsonNode measure, RunRecord record) {
        String spec = runJson != null ? runJson.path("model_spec").asText() : measure.path("model").asText();
        List<String> parts = new ArrayList<>();
        if (measure != null && measure.path("depth").asInt() > 0) {
            parts.add(measure.path("depth").asInt() + " weight layers");
        }
        if (record != null && record.params() != null) {
            parts.add(ReportNumbers.si(record.params()) + " parameters");
        }
        if (record != null && record.flops() != null) {
            parts.add(ReportNumbers.si(record.flops()) + " FLOPs per image");
        }
        if (runJson != null && runJson.hasNonNull("input_shape")) {
            parts.add("input " + runJson.path("input_shape").asText() + ", " + runJson.path("classes").asInt() + " classes");
        }
        return spec + (parts.isEmpty() ? "" : ": " + String.join(", ", parts));
    }

    /** "fashion-mnist: 6,000 training images (600 per class), 2,560 test images". */
    static String data(JsonNode runJson) {
        JsonNode d = runJson.path("data");
        int classes = runJson.path("classes").asInt();
        String train = d.hasNonNull("train_per_class") ? count(d.path("train_per_class").asLong() * classes)
                + " training images (" + d.path("train_per_class").asLong() + " per class)"
                : d.hasNonNull("train_limit") ? "the first " + count(d.path("train_limit").asLong()) + " training images"
                : "the full training set";
        String test = d.hasNonNull("test_per_class") ? count(d.path("test_per_class").asLong() * classes)
                + " test images (" + d.path("test_per_class").asLong() + " per class)"
                : d.hasNonNull("test_limit") ? count(d.path("test_limit").asLong()) + " test images"
                : "the full test set";
        boolean augment = d.path("augment").asBoolean(false);
        return d.path("dataset").asText() + ": " + train + (augment ? ", augmented" : "") + "; " + test;
    }

    /** Final test top-1: the run's recorded result, else its last completed epoch (database or epochs.json). */
    static Optional<String> top1(RunRecord record, JsonNode runJson, Path dir) {
        List<EpochRecord> epochs = record != null && !record.epochs().isEmpty() ? record.epochs()
                : new CheckpointStore(dir).readEpochLog();
        Double top1 = record != null && record.finalTop1() != null ? record.finalTop1()
                : epochs.isEmpty() ? null : epochs.get(epochs.size() - 1).testTop1();
        if (top1 == null) {
            return Optional.empty();
        }
        int planned = runJson == null ? 0 : runJson.path("epochs_planned").asInt();
        String after = epochs.isEmpty() ? "" : " after " + epochs.size() + (planned > epochs.size() ? " of " + planned : "")
                + " epoch" + (epochs.size() == 1 ? "" : "s");
        return Optional.of(ReportNumbers.percent(top1) + " %" + after);
    }

    /** "20.9 ± 1.2 over 10 batches of 256 test images (gamma 0.8)". */
    static String msrs(JsonNode measure) {
        JsonNode m = measure.path("msrs");
        int kept = measure.path("batches").asInt() - m.path("nan_batches_dropped").asInt();
        return ReportNumbers.significant(m.path("mean")) + " ± " + ReportNumbers.significant(m.path("std")) + " over " + kept
                + " batch" + (kept == 1 ? "" : "es") + " of " + measure.path("batch_size").asInt() + " "
                + measure.path("split").asText() + " images (gamma " + measure.path("gamma").asText() + ").";
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
