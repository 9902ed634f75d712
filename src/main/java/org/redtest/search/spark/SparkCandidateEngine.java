package org.redtest.search.spark;

import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.redtest.RedTestException;
import org.redtest.config.ConfigLoader;
import org.redtest.config.ExperimentConfig;
import org.redtest.data.LoadedData;
import org.redtest.search.CandidateEngine;
import org.redtest.storage.CandidateOutcome;
import org.redtest.spark.SparkRuntime;
import org.redtest.spark.TaskErrors;
import org.redtest.zoo.NatsCell;

import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Candidates as Spark tasks. Each candidate is a Spark job of one task, so a candidate that fails
 * every attempt fails only its own job (one job over many candidates would abort them all), and
 * Spark retries a dying task up to {@code max_failures} times. The driver keeps a few more candidates
 * in flight than there are task slots, each submitted from a thread of its own: a slot that frees
 * up starts a waiting job at once instead of idling while the driver records the last outcome and
 * claims the next candidate. Outcomes come back to the caller's thread, which records them, so only
 * the driver writes the database.
 */
public final class SparkCandidateEngine implements CandidateEngine {
    private final SparkRuntime spark;
    private final JavaSparkContext jsc;
    private final CandidateTask task;
    private final int slots;
    private final int inFlight;
    private final int maxFailures;

    public SparkCandidateEngine(ExperimentConfig cfg, LoadedData data) {
        String yaml = ConfigLoader.toYaml(cfg);
        spark = SparkRuntime.open(cfg.search().spark(), "redtest search " + cfg.name());
        jsc = spark.jsc();
        maxFailures = spark.maxFailures();
        slots = spark.slots();
        inFlight = slots + Math.max(1, slots / 4);
        if (spark.isLocal()) {
            ExecutorEvaluators.seed(yaml, data); // executors share this JVM: reuse the data the driver loaded
        }
        task = new CandidateTask(yaml);
    }

    /** Hands the engine a context to use instead of its own (the caller stops it); null takes it back. */
    public static void provideContext(SparkContext context) {
        SparkRuntime.provideContext(context);
    }

    @Override
    public void run(Source source, Consumer<CandidateOutcome> sink) {
        ExecutorService threads = Executors.newFixedThreadPool(inFlight, r -> {
            Thread t = new Thread(r, "redtest-candidate-submitter");
            t.setDaemon(true);
            return t;
        });
        CompletionService<CandidateOutcome> done = new ExecutorCompletionService<>(threads);
        String group = "redtest-search-" + System.nanoTime();
        int running = 0;
        boolean more = true;
        try {
            while (true) {
                while (more && running < inFlight) {
                    OptionalInt next = source.next();
                    if (next.isEmpty()) {
                        more = false;
                    } else {
                        int index = next.getAsInt();
                        done.submit(() -> evaluate(group, index));
                        running++;
                    }
                }
                if (running == 0) {
                    return;
                }
                CandidateOutcome outcome = done.take().get();
                running--;
                sink.accept(outcome);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while candidates were training", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("candidate submitter failed", e.getCause());
        } finally {
            if (running > 0) {
                jsc.cancelJobGroup(group); // the driver stops recording: unrecorded work is wasted anyway
            }
            threads.shutdownNow();
        }
    }

    /** Runs one candidate as a job of one task; its task failing every attempt gives a failed outcome. */
    private CandidateOutcome evaluate(String group, int index) {
        String arch = NatsCell.fromIndex(index).arch();
        jsc.setJobGroup(group, "candidate " + index + " " + arch, false);
        try {
            return jsc.parallelize(List.of(index), 1).map(task).collect().get(0);
        } catch (Exception e) { // SparkException is checked, though collect() does not declare it
            if (TaskErrors.isTaskFailure(e) && !spark.isStopped()) {
                return CandidateOutcome.failed(index, arch, TaskErrors.attempts(e, maxFailures), TaskErrors.summary(e));
            }
            throw new RedTestException("the Spark job of candidate " + index + " did not finish (the candidate stays "
                    + "claimed and is evaluated again on resume): " + TaskErrors.summary(e), e);
        }
    }

    @Override
    public String describe() {
        return String.format("spark %s: %d task slot(s), %d candidate(s) in flight, up to %d attempt(s) each", spark.master(), slots,
                inFlight, maxFailures);
    }

    @Override
    public void close() {
        if (spark.isLocal()) {
            ExecutorEvaluators.clear();
        }
        spark.close();
    }
}
