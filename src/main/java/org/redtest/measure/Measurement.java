package org.redtest.measure;

import org.redtest.similarity.MsrsSummary;
import org.redtest.zoo.Architecture;

/** One redundancy measurement with what produced it (model, data, settings, source checkpoint). */
public record Measurement(Architecture architecture, String dataset, String split, MeasurementSettings settings,
                          MsrsSummary summary, double seconds, String checkpoint, Long runId, Integer epoch) {
    /** The same measurement recorded as one of run {@code runId} (at {@code epoch}, for a during-training probe). */
    public Measurement ofRun(Long runId, Integer epoch) {
        return new Measurement(architecture, dataset, split, settings, summary, seconds, checkpoint, runId, epoch);
    }

    public String describe() {
        MsrsSummary s = summary;
        String dropped = s.nanBatchesDropped() == 0 ? ""
                : String.format("; %d NaN batch(es) dropped (%s)", s.nanBatchesDropped(), String.join(", ", s.nanSources()));
        return String.format("MSRS of %s on %s %s: %.4f +- %.4f over %d batch(es) of %d (beta %s, gamma %s, %d units)%s",
                architecture.spec(), dataset, split, s.mean(), s.std(), s.batches() - s.nanBatchesDropped(),
                settings.batchSize(), trim(s.beta()), trim(s.gamma()), s.units().size(), dropped);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
