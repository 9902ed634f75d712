package org.redtest.reproduce.spark;

import org.apache.spark.api.java.function.Function;
import org.redtest.RedTestException;
import org.redtest.reproduce.SweepOutcome;
import org.redtest.spark.SparkRuntime;
import org.redtest.spark.TaskErrors;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * Runs a suite's independent pieces of work (depth models, fine-tunings) as Spark jobs of one task each, as the
 * search's engine runs candidates: a piece that fails every attempt fails only its own job, and Spark retries a
 * dying task up to {@code max_failures} times. As many jobs as the search keeps in flight (slots + max(1, slots/4))
 * are submitted at once, each from a thread of its own, the next as one finishes; outcomes come back to the
 * caller's thread, which records them.
 */
final class OneTaskJobs {
    private final SparkRuntime spark;

    OneTaskJobs(SparkRuntime spark) {
        this.spark = spark;
    }

    /**
     * Runs {@code task} on each input, one job each; {@code key} names an input (its outcome's key), {@code what}
     * says what an input is ("depth model"), {@code attempts} reads a result's attempt count.
     */
    <I extends Serializable, T> void run(String what, List<I> inputs, java.util.function.Function<I, String> key,
                                         Function<I, T> task, ToIntFunction<T> attempts, Consumer<SweepOutcome<T>> sink) {
        if (inputs.isEmpty()) {
            return;
        }
        int inFlight = Math.min(inputs.size(), spark.slots() + Math.max(1, spark.slots() / 4));
        ExecutorService threads = Executors.newFixedThreadPool(inFlight, r -> {
            Thread t = new Thread(r, "redtest-" + what.replace(' ', '-') + "-submitter");
            t.setDaemon(true);
            return t;
        });
        CompletionService<SweepOutcome<T>> done = new ExecutorCompletionService<>(threads);
        String group = "redtest-sweep-" + System.nanoTime();
        int running = 0;
        try {
            for (I input : inputs) {
                done.submit(() -> one(group, what, key.apply(input), input, task, attempts));
                running++;
            }
            while (running > 0) {
                SweepOutcome<T> outcome = done.take().get();
                running--;
                sink.accept(outcome);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + what + "s were running", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(what + " submitter failed", e.getCause());
        } finally {
            if (running > 0) {
                spark.jsc().cancelJobGroup(group); // the driver stops recording: unrecorded work is wasted anyway
            }
            threads.shutdownNow();
        }
    }

    /** One input as a job of one task; its task failing every attempt gives a failed outcome. */
    private <I, T> SweepOutcome<T> one(String group, String what, String key, I input, Function<I, T> task,
                                       ToIntFunction<T> attempts) {
        spark.jsc().setJobGroup(group, what + " " + key, false);
        try {
            T result = spark.jsc().parallelize(List.of(input), 1).map(task).collect().get(0);
            return SweepOutcome.done(key, result, attempts.applyAsInt(result));
        } catch (Exception e) { // SparkException is checked, though collect() does not declare it
            if (TaskErrors.isTaskFailure(e) && !spark.isStopped()) {
                return SweepOutcome.failed(key, TaskErrors.attempts(e, spark.maxFailures()), TaskErrors.summary(e));
            }
            throw new RedTestException("the Spark job of " + what + " " + key + " did not finish (it runs again when the "
                    + "suite runs again): " + TaskErrors.summary(e), e);
        }
    }
}
