package org.redtest.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.redtest.RedTestException;
import org.redtest.config.SparkConfig;
import org.redtest.console.Verbose;
import org.slf4j.LoggerFactory;

import java.time.Duration;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Spark context one engine runs its tasks on, with what the engine needs to know about it: the task slots,
 * how many attempts a task gets, the master. Shared by the search's engine and the reproduction suite's sweeps,
 * so that both read the same settings block ({@link SparkConfig}) the same way.
 */
public final class SparkRuntime implements AutoCloseable {
    /** A context the caller owns (tests share one); engines then neither create nor stop one. */
    private static volatile SparkContext provided;

    private final SparkContext context;
    private final boolean owned;
    private final JavaSparkContext jsc;
    private final int slots;
    private final int maxFailures;

    private SparkRuntime(SparkContext context, boolean owned, SparkConfig s) {
        this.context = context;
        this.owned = owned;
        this.jsc = JavaSparkContext.fromSparkContext(context);
        this.maxFailures = context.isLocal() ? localMaxFailures(context.master(), s.maxFailures()) : s.maxFailures();
        this.slots = s.slots() != null ? s.slots() : Math.max(1, context.defaultParallelism());
    }

    /** The provided context if there is one, else a new one from the settings (stopped by {@link #close()}). */
    public static SparkRuntime open(SparkConfig s, String appName) {
        SparkMaster.check(requestedMaster(s, new SparkConf()), Duration.ofSeconds(s.masterTimeout()));
        SparkContext shared = provided;
        return shared != null ? new SparkRuntime(shared, false, s) : new SparkRuntime(start(s, appName), true, s);
    }

    /**
     * A new context, or one line naming the master and why it could not start: a malformed or unreachable master
     * is found before Spark tries ({@link #open} asks SparkMaster), and Spark's own start-up errors, logged with stack traces, are kept
     * off the console unless --verbose.
     */
    private static SparkContext start(SparkConfig s, String appName) {
        SparkConf conf = sparkConf(s, appName);
        String master = requestedMaster(s, new SparkConf());
        Logger sparkLog = (Logger) LoggerFactory.getLogger("org.apache.spark");
        Level before = sparkLog.getLevel();
        if (!Verbose.on()) {
            sparkLog.setLevel(Level.OFF);
        }
        try {
            return new SparkContext(conf);
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().lines().findFirst().orElse("");
            throw new RedTestException("cannot start Spark with master " + master + ": " + why, e);
        } finally {
            sparkLog.setLevel(before);
        }
    }

    /** The master as the user gave it (before local[N] gets its retry count): the setting, spark-submit's, or local[*]. */
    private static String requestedMaster(SparkConfig s, SparkConf conf) {
        s.conf().forEach(conf::set);
        return s.master() != null ? s.master() : conf.get("spark.master", "local[*]");
    }

    /** Hands the engines a context to use instead of their own (the caller stops it); null takes it back. */
    public static void provideContext(SparkContext context) {
        provided = context;
    }

    static SparkConf sparkConf(SparkConfig s, String appName) {
        SparkConf conf = new SparkConf(); // with the spark.* settings spark-submit passes as system properties
        String master = requestedMaster(s, conf);
        conf.setMaster(withLocalRetries(master, s.maxFailures()));
        conf.set("spark.task.maxFailures", String.valueOf(s.maxFailures()));
        conf.setIfMissing("spark.app.name", appName);
        return conf;
    }

    /** Local mode retries a task only when the master says so: local[N] becomes local[N,F]. */
    public static String withLocalRetries(String master, int maxFailures) {
        if (master.equals("local")) {
            return "local[1," + maxFailures + "]";
        }
        if (master.matches("local\\[(\\d+|\\*)]")) {
            return master.substring(0, master.length() - 1) + "," + maxFailures + "]";
        }
        return master;
    }

    private static int localMaxFailures(String master, int fallback) {
        Matcher m = Pattern.compile("local\\[[^,]+,(\\d+)]").matcher(master);
        return m.matches() ? Integer.parseInt(m.group(1)) : master.startsWith("local") ? 1 : fallback;
    }

    public SparkContext context() {
        return context;
    }

    public JavaSparkContext jsc() {
        return jsc;
    }

    /** Tasks that can run at once: search.spark.slots, else Spark's default parallelism. */
    public int slots() {
        return slots;
    }

    /** Attempts a task gets before its job fails. */
    public int maxFailures() {
        return maxFailures;
    }

    public String master() {
        return context.master();
    }

    /** Whether executors share this JVM (local mode), so that they can reuse what the driver holds. */
    public boolean isLocal() {
        return context.isLocal();
    }

    public boolean isStopped() {
        return context.isStopped();
    }

    @Override
    public void close() {
        if (owned) {
            context.stop();
        }
    }
}
