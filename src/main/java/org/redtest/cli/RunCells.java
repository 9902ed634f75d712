package org.redtest.cli;

import org.redtest.storage.JsonNumbers;
import org.redtest.storage.MeasurementTable.Stored;
import org.redtest.storage.RunSummaries.RunSummary;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How {@code runs} and {@code compare} write a run's values: table cells and JSON objects. */
final class RunCells {
    static final String NONE = "-";
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private RunCells() {
    }

    static String number(Double v, String format) {
        return v == null || !Double.isFinite(v) ? NONE : String.format(format, v);
    }

    /** Long specs (a pruned VGG's layer list) shortened to keep a table's lines readable; JSON keeps them whole. */
    static String model(String spec) {
        int max = 28;
        return spec == null ? NONE : spec.length() <= max ? spec : spec.substring(0, max - 3) + "...";
    }

    static String epochs(RunSummary r) {
        return r.epochsDone() + "/" + r.epochsPlanned();
    }

    /** Database times are UTC instants; shown to the second. */
    static String time(String instant) {
        if (instant == null) {
            return NONE;
        }
        try {
            return UTC.format(Instant.parse(instant));
        } catch (DateTimeParseException e) {
            return instant;
        }
    }

    static String duration(Double seconds) {
        if (seconds == null || !Double.isFinite(seconds)) {
            return NONE;
        }
        long s = Math.round(seconds);
        if (seconds < 60) {
            return String.format("%.1f s", seconds);
        }
        return s < 3600 ? String.format("%d min %02d s", s / 60, s % 60)
                : String.format("%d h %02d min", s / 3600, s % 3600 / 60);
    }

    /** The canonical MSRS, and how many ad-hoc measurements there are besides ("3.00 (+1 ad hoc)"). */
    static String msrs(Optional<Stored> canonical, List<Stored> adHoc) {
        return msrs(canonical, adHoc, null);
    }

    /**
     * As {@link #msrs(Optional, List)}, a fine-tuning run without a canonical measurement showing the MSRS
     * pruning measured it at after fine-tuning ({@code pruned}, null: none), marked as such.
     */
    static String msrs(Optional<Stored> canonical, List<Stored> adHoc, Double pruned) {
        String value = canonical.map(m -> number(m.msrsMean(), "%.2f"))
                .orElse(pruned != null ? number(pruned, "%.2f") + " (pruning)" : NONE);
        return adHoc.isEmpty() ? value : value + " (+" + adHoc.size() + " ad hoc)";
    }

    /** "4 batches of 256, first, test, gamma 0.8": the settings a measurement was made with. */
    static String settings(Stored m) {
        return m.settings();
    }

    static Map<String, Object> measurementJson(Stored m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mean", JsonNumbers.nanToNull(m.msrsMean()));
        out.put("std", JsonNumbers.nanToNull(m.msrsStd()));
        out.put("origin", m.origin() == null ? null : m.origin().column());
        out.put("batches", m.batches());
        out.put("batch_size", m.batchSize());
        out.put("sampling", m.sampling());
        out.put("split", m.split());
        out.put("beta", m.beta());
        out.put("gamma", m.gamma());
        out.put("measured_at", m.measuredAt());
        return out;
    }

    static Map<String, Object> runJson(RunSummary r, Optional<Stored> canonical, List<Stored> adHoc, Double pruned) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", r.name());
        out.put("kind", r.kind());
        out.put("model", r.modelSpec());
        out.put("dataset", r.dataset());
        out.put("status", r.statusText());
        out.put("status_recorded", r.status());
        out.put("error", r.error());
        if (r.owner() != null) {
            Map<String, Object> owner = new LinkedHashMap<>();
            owner.put("pid", r.owner().pid());
            owner.put("host", r.owner().host());
            owner.put("process_start", r.owner().processStart());
            out.put("owner", owner);
        }
        out.put("params", r.params());
        out.put("flops", r.flops());
        out.put("epochs_done", r.epochsDone());
        out.put("epochs_planned", r.epochsPlanned());
        out.put("top1", r.top1());
        out.put("loss", r.loss());
        out.put("train_seconds", r.trainSeconds());
        out.put("msrs", canonical.map(RunCells::measurementJson).orElse(null));
        out.put("ad_hoc_msrs", adHoc.stream().map(RunCells::measurementJson).toList());
        out.put("msrs_after_pruning", pruned == null ? null : JsonNumbers.nanToNull(pruned));
        out.put("started_at", r.startedAt());
        out.put("finished_at", r.finishedAt());
        return out;
    }
}
