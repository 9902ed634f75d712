package org.redtest.reproduce.spark;

import org.redtest.RedTestException;
import org.redtest.config.SparkConfig;
import org.redtest.reproduce.TaskData;
import org.redtest.reproduce.SweepEngine;
import org.redtest.reproduce.SweepOutcome;
import org.redtest.spark.SparkRuntime;
import org.redtest.spark.TaskErrors;

import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * A suite's depth models as Spark tasks, as the search's engine runs candidates: each model is a Spark job of one
 * task, so a model that fails every attempt fails only its own job, and Spark retries a dying task up to
 * {@code max_failures} times. As many jobs as the search keeps in flight (slots + max(1, slots/4)) are submitted
 * at once, each from a thread of its own, the next as one finishes; outcomes come back to the caller's thread,
 * which records them.
 */
public final class SparkSweepEngine implements SweepEngine {
    private final SparkRuntime spark;

    public SparkSweepEngine(SparkConfig settings, String appName) {
        spark = SparkRuntime.open(settings, appName);
    }

    @Override
    public void trainDepthModels(String suiteJson, List<String> models, Consumer<SweepOutcome> sink) {
        if (models.isEmpty()) {
            return;
        }
        DepthTask task = new DepthTask(suiteJson);
        int inFlight = Math.min(models.size(), spark.slots() + Math.max(1, spark.slots() / 4));
        ExecutorService threads = Executors.newFixedThreadPool(inFlight, r -> {
            Thread t = new Thread(r, "redtest-depth-submitter");
            t.setDaemon(true);
            return t;
        });
        CompletionService<SweepOutcome> done = new ExecutorCompletionService<>(threads);
        String group = "redtest-sweep-" + System.nanoTime();
        int running = 0;
        try {
            for (String model : models) {
                done.submit(() -> train(group, task, model));
                running++;
            }
            while (running > 0) {
                SweepOutcome outcome = done.take().get();
                running--;
                sink.accept(outcome);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while depth models were training", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("depth model submitter failed", e.getCause());
        } finally {
            if (running > 0) {
                spark.jsc().cancelJobGroup(group); // the driver stops recording: unrecorded work is wasted anyway
            }
            threads.shutdownNow();
        }
    }

    /** Trains one model as a job of one task; its task failing every attempt gives a failed outcome. */
    private SweepOutcome train(String group, DepthTask task, String model) {
        spark.jsc().setJobGroup(group, "depth model " + model, false);
        try {
            return SweepOutcome.done(spark.jsc().parallelize(List.of(model), 1).map(task).collect().get(0));
        } catch (Exception e) { // SparkException is checked, though collect() does not declare it
            if (TaskErrors.isTaskFailure(e) && !spark.isStopped()) {
                return SweepOutcome.failed(model, TaskErrors.attempts(e, spark.maxFailures()), TaskErrors.summary(e));
            }
            throw new RedTestException("the Spark job of depth model " + model + " did not finish (it is trained again "
                    + "when the suite runs again): " + TaskErrors.summary(e), e);
        }
    }

    @Override
    public String describe() {
        return String.format("spark %s: %d task slot(s), up to %d attempt(s) each", spark.master(), spark.slots(),
                spark.maxFailures());
    }

    @Override
    public void close() {
        if (spark.isLocal()) {
            TaskData.release();
        }
        spark.close();
    }
}
