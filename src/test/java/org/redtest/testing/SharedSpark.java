package org.redtest.testing;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One local Spark context for every Spark test of the JVM (starting one takes seconds): local[2,3],
 * two task slots and three attempts per task, loopback only, no web UI. It counts task ends, so a
 * test can tell how many attempts ran and how many failed.
 */
public final class SharedSpark {
    public static final int MAX_FAILURES = 3;
    private static SparkContext context;
    private static final AtomicInteger TASKS = new AtomicInteger();
    private static final AtomicInteger FAILED_TASKS = new AtomicInteger();

    private SharedSpark() {
    }

    public static synchronized SparkContext context() {
        if (context == null) {
            context = new SparkContext(new SparkConf()
                    .setMaster("local[2," + MAX_FAILURES + "]")
                    .setAppName("redtest-tests")
                    .set("spark.ui.enabled", "false")
                    .set("spark.driver.host", "127.0.0.1")
                    .set("spark.driver.bindAddress", "127.0.0.1"));
            context.addSparkListener(new SparkListener() {
                @Override
                public void onTaskEnd(SparkListenerTaskEnd end) {
                    TASKS.incrementAndGet();
                    if (!end.taskInfo().successful()) {
                        FAILED_TASKS.incrementAndGet();
                    }
                }
            });
            SparkContext started = context;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
        }
        return context;
    }

    /** Task attempts ended so far (listener events arrive asynchronously: waits until the bus is drained). */
    public static int tasks() {
        drain();
        return TASKS.get();
    }

    public static int failedTasks() {
        drain();
        return FAILED_TASKS.get();
    }

    private static void drain() {
        try {
            context.listenerBus().waitUntilEmpty();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
