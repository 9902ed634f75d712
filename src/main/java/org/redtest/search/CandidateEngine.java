package org.redtest.search;

import org.redtest.storage.CandidateOutcome;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Where candidates are evaluated: in this process ({@link LocalEngine}) or as Spark tasks
 * (org.redtest.search.spark, loaded by name so that the core never needs Spark's classes). The
 * engine pulls candidates from a source as it has room for them and hands each outcome to a sink,
 * both on the caller's thread: the caller alone claims candidates and writes the database.
 */
public interface CandidateEngine extends AutoCloseable {
    /** The next claimed candidate to evaluate, or empty when there are no more. */
    @FunctionalInterface
    interface Source {
        OptionalInt next();
    }

    /** Evaluates every candidate the source hands out; returns when all outcomes went to the sink. */
    void run(Source source, Consumer<CandidateOutcome> sink);

    /** One line for the log, e.g. "local (this process)" or "spark local[2,4], 2 task slots". */
    String describe();

    @Override
    void close();
}
