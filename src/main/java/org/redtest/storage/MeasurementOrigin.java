package org.redtest.storage;

/**
 * What made a stored measurement. Only the measure stage measures with the run's configured settings,
 * so only its rows can be a run's canonical measurement; an {@code msrs} command's rows are ad hoc
 * (any batches, batch size, sampling, split) and are kept and shown as such, never put in its place.
 */
public enum MeasurementOrigin {
    MEASURE_STAGE("measure-stage"),
    AD_HOC("ad-hoc"),
    TRAINING_PROBE("training-probe");

    private final String column;

    MeasurementOrigin(String column) {
        this.column = column;
    }

    /** The value of the {@code origin} column. */
    public String column() {
        return column;
    }

    /** Null for rows written before origins were recorded. */
    public static MeasurementOrigin fromColumn(String value) {
        for (MeasurementOrigin o : values()) {
            if (o.column.equals(value)) {
                return o;
            }
        }
        return null;
    }
}
