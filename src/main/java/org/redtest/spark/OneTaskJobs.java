package org.redtest.spark;

import org.apache.spark.api.java.function.Function;
import org.redtest.RedTestException;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one submit-and-collect loop of the Spark engines (search candidates, a suite's depth models and fine-tunings).
 * Each input is a Spark job of one task, so an input that fails every attempt fails only its own job (one job over
 * many inputs would abort them all), and Spark retries a dying task up to {@code max_failures} times. A few more
 * jobs than there are task slots are kept in flight (slots + max(1, slots / 4)), each submitted from a thread of its
 * own: a slot that frees up starts a waiting job at once instead of idling while the driver records the last outcome
 * and takes the next input. Outcomes come back to the caller's thread, which records them, so only the driver
 * writes the database.
 */
public final class OneTaskJobs {
    private final SparkRuntime spark;
    private final int inFlight;

    public OneTaskJobs(SparkRuntime spark) {
        this.spark = spark;
        this.inFlight = spark.slots() + Math.max(1, spark.slots() / 4);
    }

    /**
     * What one kind of job is: how an input is named, the task that computes its result on an executor, and the
     * outcome the caller gets either way.
     *
     * @param <I> an input, sent to the executor
     * @param <T> what its task returns
     * @param <R> the outcome the caller records
     */
    public interface Kind<I extends Serializable, T, R> {
        /** What an input is, for thread names and messages ("candidate", "depth model"). */
        String what();

        /** One input's name in messages ("7", "resnet20"). */
        String name(I input);

        /** What the Spark job of {@code input} is called (in Spark's UI); by default its kind and name. */
        default String description(I input) {
            return what() + " " + name(input);
        }

        /** The task run on the executor. */
        Function<I, T> task();

        R done(I input, T result);

        /** Every attempt of the input's task failed: {@code attempts} of them, the last with {@code error}. */
        R failed(I input, int attempts, String error);

        /** Said when a job is cut off (the driver's context stopped), e.g. "(it runs again when the suite runs again)". */
        String whenCutOff();
    }

    /** How many jobs are kept in flight. */
    public int inFlight() {
        return inFlight;
    }

    /** Runs each of {@code inputs}. */
    public <I extends Serializable, T, R> void run(Kind<I, T, R> kind, List<I> inputs, Consumer<R> sink) {
        Iterator<I> rest = inputs.iterator();
        run(kind, () -> rest.hasNext() ? Optional.of(rest.next()) : Optional.empty(), sink);
    }

    /** Runs inputs as {@code next} hands them out (it is asked only when a job can start), until it has none. */
    public <I extends Serializable, T, R> void run(Kind<I, T, R> kind, Supplier<Optional<I>> next, Consumer<R> sink) {
        ExecutorService threads = Executors.newFixedThreadPool(inFlight, r -> {
            Thread t = new Thread(r, "redtest-" + kind.what().replace(' ', '-') + "-submitter");
            t.setDaemon(true);
            return t;
        });
        CompletionService<R> done = new ExecutorCompletionService<>(threads);
        String group = "redtest-" + kind.what().replace(' ', '-') + "-" + System.nanoTime();
        int running = 0;
        boolean more = true;
        try {
            while (true) {
                while (more && running < inFlight) {
                    Optional<I> input = next.get();
                    if (input.isEmpty()) {
                        more = false;
                    } else {
                        I in = input.get();
                        done.submit(() -> one(group, kind, in));
                        running++;
                    }
                }
                if (running == 0) {
                    return;
                }
                R outcome = done.take().get();
                running--;
                sink.accept(outcome);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + kind.what() + "s were running", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(kind.what() + " submitter failed", e.getCause());
        } finally {
            if (running > 0) {
                spark.jsc().cancelJobGroup(group); // the driver stops recording: unrecorded work is wasted anyway
            }
            threads.shutdownNow();
        }
    }

    /** One input as a job of one task; its task failing every attempt gives a failed outcome. */
    private <I extends Serializable, T, R> R one(String group, Kind<I, T, R> kind, I input) {
        spark.jsc().setJobGroup(group, kind.description(input), false);
        try {
            return kind.done(input, spark.jsc().parallelize(List.of(input), 1).map(kind.task()).collect().get(0));
        } catch (Exception e) { // SparkException is checked, though collect() does not declare it
            if (TaskErrors.isTaskFailure(e) && !spark.isStopped()) {
                return kind.failed(input, TaskErrors.attempts(e, spark.maxFailures()), TaskErrors.summary(e));
            }
            throw new RedTestException("the Spark job of " + kind.what() + " " + kind.name(input) + " did not finish "
                    + kind.whenCutOff() + ": " + TaskErrors.summary(e), e);
        }
    }
}
