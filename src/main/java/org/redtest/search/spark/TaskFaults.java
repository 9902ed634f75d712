package org.redtest.search.spark;

/**
 * Fault injection for the tests of the engine's retry path. The system property
 * {@code redtest.faultInjection.sparkTask} lists {@code INDEX:N} pairs (comma-separated): the first N
 * attempts of candidate INDEX's task die with an exception, as a task does when its executor fails.
 * It is read on the executor (local mode: the test's JVM; a cluster: spark.executor.extraJavaOptions).
 * Unset, always outside tests, it does nothing.
 */
final class TaskFaults {
    static final String PROPERTY = "redtest.faultInjection.sparkTask";

    private TaskFaults() {
    }

    static void reach(int index, int attempt) {
        String spec = System.getProperty(PROPERTY);
        if (spec == null || spec.isBlank()) {
            return;
        }
        for (String pair : spec.split(",")) {
            String[] parts = pair.trim().split(":");
            if (Integer.parseInt(parts[0]) == index && attempt < Integer.parseInt(parts[1])) {
                throw new IllegalStateException("fault injection: attempt " + (attempt + 1) + " of candidate "
                        + index + "'s task killed");
            }
        }
    }
}
