package org.redtest.config;

import org.redtest.RedTestException;

import java.util.Map;

/**
 * The {@code search.spark} section, used when {@code search.engine} is {@code spark}, and the {@code spark} section of a
 * reproduction suite, used when its {@code engine} is {@code spark} (docs/cluster.md).
 * {@code master}: a Spark master URL ({@code local[2]}, {@code spark://host:7077}, {@code yarn},
 * {@code k8s://...}); unset, the one {@code spark-submit} set, else {@code local[*]}.
 * {@code max_failures}: attempts of a task (a candidate, a suite's training) before it is recorded as failed
 * (Spark's {@code spark.task.maxFailures}; a {@code local[N]} master becomes {@code local[N,F]}, since
 * local mode otherwise never retries). {@code slots}: tasks in flight at once; unset, Spark's
 * default parallelism (executor cores over {@code spark.task.cpus}). {@code conf}: further Spark
 * settings, passed as they are (e.g. {@code spark.executor.memory}, {@code spark.task.resource.gpu.amount}).
 * {@code master_timeout}: seconds to wait for a {@code spark://} master to accept a connection before the command
 * gives up with one line (default 10; Spark's own client would retry for about a minute).
 */
public record SparkConfig(String master, Integer maxFailures, Integer slots, Map<String, String> conf,
                          Integer masterTimeout) {
    public SparkConfig {
        Builder d = new Builder(); // an absent YAML key (null) takes the builder's default
        maxFailures = maxFailures == null ? d.maxFailures : maxFailures;
        masterTimeout = masterTimeout == null ? d.masterTimeout : masterTimeout;
        conf = conf == null ? d.conf : Map.copyOf(conf);
    }

    public static SparkConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Spark settings, each starting at its default (master and slots unset) and checked when built. */
    public static final class Builder {
        private String master;
        private int maxFailures = 4;
        private Integer slots;
        private Map<String, String> conf = Map.of();
        private int masterTimeout = 10;

        private Builder() {
        }

        public Builder master(String url) {
            master = url;
            return this;
        }

        public Builder maxFailures(int n) {
            maxFailures = n;
            return this;
        }

        public Builder slots(Integer n) {
            slots = n;
            return this;
        }

        public Builder conf(Map<String, String> settings) {
            conf = Map.copyOf(settings);
            return this;
        }

        public Builder masterTimeout(int seconds) {
            masterTimeout = seconds;
            return this;
        }

        public SparkConfig build() {
            return new SparkConfig(master, maxFailures, slots, conf, masterTimeout).validate();
        }
    }

    public SparkConfig withMaster(String url) {
        return new SparkConfig(url, maxFailures, slots, conf, masterTimeout);
    }

    public SparkConfig validate() {
        return validate("search.spark");
    }

    /** As above, naming the section as the file spells it ({@code search.spark} or a suite's {@code spark}). */
    public SparkConfig validate(String section) {
        if (masterTimeout < 1) {
            throw new RedTestException(section + ".master_timeout must be >= 1 (seconds), got " + masterTimeout);
        }
        if (maxFailures < 1 || (slots != null && slots < 1)) {
            throw new RedTestException(section + ".max_failures and " + section + ".slots must be >= 1");
        }
        if (master != null && master.isBlank()) {
            throw new RedTestException(section + ".master is empty: give a Spark master URL such as local[2] or spark://host:7077");
        }
        return this;
    }
}
