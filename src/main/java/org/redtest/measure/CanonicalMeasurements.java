package org.redtest.measure;

import org.redtest.RedTestException;
import org.redtest.config.ConfigLoader;
import org.redtest.config.ExperimentConfig;
import org.redtest.config.Sampling;
import org.redtest.data.Split;
import org.redtest.storage.MeasurementOrigin;
import org.redtest.storage.MeasurementTable;
import org.redtest.storage.MeasurementTable.Stored;
import org.redtest.storage.ResultsDatabase;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which stored measurement speaks for a run. Its canonical measurement is the latest one made by the
 * measure stage, i.e. with the run's configured settings; every other stand-alone measurement (an
 * {@code msrs --batches 2}, say) is ad hoc: reported as such and never put in the canonical one's place.
 * Rows written before the origin column existed count as canonical when their settings equal those of
 * the run's stored configuration, and as ad hoc otherwise.
 */
public final class CanonicalMeasurements {
    private final List<Stored> rows;
    private final Set<Long> canonicalIds;
    private final Map<Long, Stored> canonicalByRun = new HashMap<>();

    private CanonicalMeasurements(List<Stored> rows, Set<Long> canonicalIds) {
        this.rows = rows;
        this.canonicalIds = canonicalIds;
        rows.stream().filter(this::isCanonical).filter(r -> r.runId() != null)
                .forEach(r -> canonicalByRun.put(r.runId(), r)); // oldest first: the latest stays
    }

    public static CanonicalMeasurements read(ResultsDatabase db) {
        List<Stored> rows = new MeasurementTable(db).standAlone();
        Map<Long, Optional<Configured>> configured = new HashMap<>();
        Set<Long> canonical = rows.stream().filter(r -> r.origin() == MeasurementOrigin.MEASURE_STAGE
                        || r.origin() == null && r.runId() != null && configured
                        .computeIfAbsent(r.runId(), id -> configuredSettings(db, id))
                        .map(s -> sameSettings(r, s)).orElse(false))
                .map(Stored::id).collect(Collectors.toSet());
        return new CanonicalMeasurements(rows, canonical);
    }

    public boolean isCanonical(Stored row) {
        return canonicalIds.contains(row.id());
    }

    /** The run's canonical measurement, if the measure stage has measured it. */
    public Optional<Stored> of(long runId) {
        return Optional.ofNullable(canonicalByRun.get(runId));
    }

    /** The run's ad-hoc measurements, oldest first. */
    public List<Stored> adHocOf(long runId) {
        return rows.stream().filter(r -> !isCanonical(r) && r.runId() != null && r.runId() == runId).toList();
    }

    /** A point for the expected-MSRS fit and the measurement it comes from. */
    public record FitPoint(Stored source, boolean canonical) {
    }

    /**
     * The points of MSRS against depth: one per (family, data set, model, gamma), the latest canonical
     * measurement, or, where a model has none and the caller asks for them, the latest ad-hoc measurement
     * of a trained model ({@code adHoc}) or of an untrained one ({@code untrained}).
     */
    public List<FitPoint> depthPoints(boolean adHoc, boolean untrained) {
        Map<String, FitPoint> chosen = new java.util.LinkedHashMap<>();
        for (Stored r : rows) { // oldest first: a later row of the same kind replaces an earlier one
            if (!Double.isFinite(r.msrsMean())) {
                continue;
            }
            boolean canonical = isCanonical(r);
            boolean wanted = canonical || (r.checkpoint() != null ? adHoc : untrained);
            if (!wanted) {
                continue;
            }
            String key = r.family() + "\u0000" + r.dataset() + "\u0000" + r.modelSpec() + "\u0000" + r.gamma();
            FitPoint previous = chosen.get(key);
            if (previous == null || canonical || !previous.canonical()) {
                chosen.put(key, new FitPoint(r, canonical));
            }
        }
        List<FitPoint> out = new ArrayList<>(chosen.values());
        out.sort(java.util.Comparator.comparing((FitPoint p) -> p.source().family())
                .thenComparing(p -> p.source().dataset()).thenComparingInt(p -> p.source().depth()));
        return out;
    }

    /** How many stand-alone measurements are ad hoc. */
    public long adHocCount() {
        return rows.stream().filter(r -> !isCanonical(r)).count();
    }

    /** The measure stage's settings and split as a run's configuration gives them. */
    private record Configured(MeasurementSettings settings, Split split) {
    }

    /** From the run's stored configuration; empty when it has none or it no longer parses. */
    private static Optional<Configured> configuredSettings(ResultsDatabase db, long runId) {
        return db.configText(runId).flatMap(text -> {
            try {
                ExperimentConfig c = ConfigLoader.parse(text, "the configuration of run " + runId).config();
                return Optional.of(new Configured(MeasurementSettings.from(c.measure(), c.model().architecture().family(),
                        c.seed()), c.measure().split()));
            } catch (RedTestException | IllegalArgumentException e) {
                return Optional.empty();
            }
        });
    }

    private static boolean sameSettings(Stored r, Configured c) {
        MeasurementSettings s = c.settings();
        return r.batches() == s.batches() && r.batchSize() == s.batchSize() && s.sampling().word().equals(r.sampling())
                && c.split().word().equals(r.split()) && r.beta() == s.beta() && r.gamma() == s.gamma()
                && (s.sampling() != Sampling.RANDOM || r.seed() == s.seed());
    }
}
