package org.redtest.search.spark;

import org.apache.spark.SparkContext;
import org.redtest.config.ConfigLoader;
import org.redtest.config.ExperimentConfig;
import org.redtest.data.LoadedData;
import org.redtest.search.CandidateEngine;
import org.redtest.storage.CandidateOutcome;
import org.redtest.spark.OneTaskJobs;
import org.redtest.spark.SparkRuntime;
import org.redtest.zoo.NatsCell;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Candidates as Spark tasks: each candidate is a Spark job of one task, run by the engines' shared loop
 * ({@link OneTaskJobs}); a candidate is claimed only when a job can start, and a candidate that fails every attempt
 * comes back as a failed outcome.
 */
public final class SparkCandidateEngine implements CandidateEngine {
    private final SparkRuntime spark;
    private final OneTaskJobs jobs;
    private final Candidates candidates;

    public SparkCandidateEngine(ExperimentConfig cfg, LoadedData data) {
        String yaml = ConfigLoader.toYaml(cfg);
        spark = SparkRuntime.open(cfg.search().spark(), "redtest search " + cfg.name());
        jobs = new OneTaskJobs(spark);
        if (spark.isLocal()) {
            ExecutorEvaluators.seed(yaml, data); // executors share this JVM: reuse the data the driver loaded
        }
        candidates = new Candidates(new CandidateTask(yaml));
    }

    /** Hands the engine a context to use instead of its own (the caller stops it); null takes it back. */
    public static void provideContext(SparkContext context) {
        SparkRuntime.provideContext(context);
    }

    @Override
    public void run(Source source, Consumer<CandidateOutcome> sink) {
        jobs.run(candidates, () -> {
            OptionalInt next = source.next();
            return next.isPresent() ? Optional.of(next.getAsInt()) : Optional.empty();
        }, sink);
    }

    /** A candidate as a job: its cell index goes to the executor, its outcome comes back. */
    private record Candidates(CandidateTask task) implements OneTaskJobs.Kind<Integer, CandidateOutcome, CandidateOutcome> {
        @Override
        public String what() {
            return "candidate";
        }

        @Override
        public String name(Integer index) {
            return String.valueOf(index);
        }

        @Override
        public String description(Integer index) {
            return "candidate " + index + " " + NatsCell.fromIndex(index).arch();
        }

        @Override
        public CandidateOutcome done(Integer index, CandidateOutcome outcome) {
            return outcome;
        }

        @Override
        public CandidateOutcome failed(Integer index, int attempts, String error) {
            return CandidateOutcome.failed(index, NatsCell.fromIndex(index).arch(), attempts, error);
        }

        @Override
        public String whenCutOff() {
            return "(the candidate stays claimed and is evaluated again on resume)";
        }
    }

    @Override
    public String describe() {
        return String.format("spark %s: %d task slot(s), %d candidate(s) in flight, up to %d attempt(s) each", spark.master(), spark.slots(),
                jobs.inFlight(), spark.maxFailures());
    }

    @Override
    public void close() {
        if (spark.isLocal()) {
            ExecutorEvaluators.clear();
        }
        spark.close();
    }
}
