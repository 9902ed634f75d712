package org.redtest.spark;

/**
 * Fault injection for the tests of the Spark engines' retry path. The system property
 * {@code redtest.faultInjection.sparkTask} lists {@code KEY:N} pairs (comma-separated): the first N
 * attempts of the task of KEY die with an exception, as a task does when its executor fails. KEY is a
 * search candidate's index ({@code 1234:1}) or a suite part's name ({@code depth-resnet14:99}).
 * It is read on the executor (local mode: the test's JVM; a cluster: spark.executor.extraJavaOptions).
 * Unset, always outside tests, it does nothing.
 */
public final class TaskFaults {
    public static final String PROPERTY = "redtest.faultInjection.sparkTask";

    private TaskFaults() {
    }

    /** A search candidate's task, keyed by its NATS index. */
    public static void reach(int index, int attempt) {
        reach(String.valueOf(index), "candidate " + index, attempt);
    }

    /** Any task: {@code key} as the property names it, {@code what} for the message. */
    public static void reach(String key, String what, int attempt) {
        String spec = System.getProperty(PROPERTY);
        if (spec == null || spec.isBlank()) {
            return;
        }
        for (String pair : spec.split(",")) {
            String p = pair.trim();
            int colon = p.lastIndexOf(':');
            if (colon > 0 && p.substring(0, colon).equals(key) && attempt < Integer.parseInt(p.substring(colon + 1))) {
                throw new IllegalStateException("fault injection: attempt " + (attempt + 1) + " of " + what + "'s task killed");
            }
        }
    }
}
