package org.redtest.config;

import org.redtest.RedTestException;

import java.util.Map;

/**
 * The {@code search.spark} section, used when {@code search.engine} is {@code spark} (docs/cluster.md).
 * {@code master}: a Spark master URL ({@code local[2]}, {@code spark://host:7077}, {@code yarn},
 * {@code k8s://...}); unset, the one {@code spark-submit} set, else {@code local[*]}.
 * {@code max_failures}: attempts of a candidate's task before the candidate is recorded as failed
 * (Spark's {@code spark.task.maxFailures}; a {@code local[N]} master becomes {@code local[N,F]}, since
 * local mode otherwise never retries). {@code slots}: candidates in flight at once; unset, Spark's
 * default parallelism (executor cores over {@code spark.task.cpus}). {@code conf}: further Spark
 * settings, passed as they are (e.g. {@code spark.executor.memory}, {@code spark.task.resource.gpu.amount}).
 */
public record SparkConfig(String master, Integer maxFailures, Integer slots, Map<String, String> conf) {
    public SparkConfig {
        maxFailures = maxFailures == null ? 4 : maxFailures;
        conf = conf == null ? Map.of() : Map.copyOf(conf);
    }

    public static SparkConfig defaults() {
        return new SparkConfig(null, null, null, null);
    }

    public SparkConfig withMaster(String url) {
        return new SparkConfig(url, maxFailures, slots, conf);
    }

    public SparkConfig validate() {
        if (maxFailures < 1 || (slots != null && slots < 1)) {
            throw new RedTestException("search.spark.max_failures and search.spark.slots must be >= 1");
        }
        if (master != null && master.isBlank()) {
            throw new RedTestException("search.spark.master is empty: give a Spark master URL such as local[2] or spark://host:7077");
        }
        return this;
    }
}
