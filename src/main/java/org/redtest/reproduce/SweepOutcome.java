package org.redtest.reproduce;

/**
 * One Spark task's work from a sweep engine (a depth model, a fine-tuning), by its key: done with its result, or
 * failed every attempt with the last error.
 */
public record SweepOutcome<T>(String key, T result, int attempts, String error) {
    public static <T> SweepOutcome<T> done(String key, T result, int attempts) {
        return new SweepOutcome<>(key, result, attempts, null);
    }

    public static <T> SweepOutcome<T> failed(String key, int attempts, String error) {
        return new SweepOutcome<>(key, null, attempts, error);
    }

    public boolean succeeded() {
        return result != null;
    }
}
