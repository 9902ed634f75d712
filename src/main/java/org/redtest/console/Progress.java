package org.redtest.console;

/** Progress of one piece of long work (done out of a known total), shown by {@link ProgressBars}. */
public interface Progress extends AutoCloseable {
    void stepBy(long n);

    default void step() {
        stepBy(1);
    }

    /** A short note shown after the rate, e.g. {@code loss 0.4123}. */
    void setExtraMessage(String message);

    /** Shows the final state; the work is over (finished, failed or interrupted). */
    @Override
    void close();
}
