package org.redtest.training;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGINT (Ctrl-C) and SIGTERM during training into a clean stop. The JVM answers those signals by
 * running its shutdown hooks while the other threads go on, and halts when the hooks return. The hook
 * here asks the trainer to stop at its next batch (the current epoch is abandoned: the checkpoint keeps
 * the last completed one), then waits until the command has marked the run 'interrupted' and said how to
 * resume ({@link #close()}). Should training not stop in time (a batch or evaluation that takes longer),
 * the hook marks the run itself with what the command gave {@link #guard} (a connection of its own to the
 * results database, whose update only touches a 'running' row of this process), and lets the JVM halt:
 * the epoch save sequence is crash-consistent, so a halt at any instant loses at most the current epoch.
 */
public final class StopOnSignal implements AutoCloseable {
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);

    private final Thread hook;
    private final Duration wait;
    private final CountDownLatch settled = new CountDownLatch(1);
    private volatile boolean requested;
    /** The run being trained, while there is one: the hook marks it interrupted if training does not stop in time. */
    private volatile Path database;
    private volatile Runnable markInterrupted;

    private StopOnSignal(boolean install, Duration wait) {
        this.wait = wait;
        this.hook = install ? new Thread(this::onSignal, "redtest-stop-on-signal") : null;
        if (hook != null) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    /** For a command that trains: SIGINT and SIGTERM stop the training cleanly. */
    public static StopOnSignal install() {
        return new StopOnSignal(true, DEFAULT_WAIT);
    }

    /** Without a JVM hook, waiting {@code wait} when {@link #onSignal()} is called: for tests of the hook itself. */
    static StopOnSignal unhooked(Duration wait) {
        return new StopOnSignal(false, wait);
    }

    /** No hook: for library callers and tests (which call {@link #request()} themselves). */
    public static StopOnSignal never() {
        return new StopOnSignal(false, Duration.ZERO);
    }

    public boolean requested() {
        return requested;
    }

    /** What the signal does; tests call it directly. */
    public void request() {
        requested = true;
    }

    /**
     * The run now being trained, which the hook marks interrupted with {@code markInterrupted} (run on the
     * hook's thread) if training does not stop in time; {@code database} is where, for the message.
     */
    public void guard(Path database, Runnable markInterrupted) {
        this.markInterrupted = markInterrupted;
        this.database = database;
    }

    /** Training is over (finished or stopped and recorded): a signal from now on needs no waiting. */
    public void release() {
        database = null;
        if (requested) {
            settled.countDown();
        }
    }

    /** The shutdown hook's body. */
    void onSignal() {
        request();
        Path db = database;
        if (db == null) {
            return; // not training: nothing to stop, the JVM exits as it always does
        }
        PrintStream err = System.err;
        err.println("redtest: signal received: stopping training at the next batch (the current epoch is abandoned, "
                + "completed epochs are kept)");
        try {
            if (!settled.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                markInterrupted(markInterrupted);
                err.println("redtest: training did not stop within " + wait.toSeconds() + " s; run marked interrupted in "
                        + db + "; the same command resumes it from its last completed epoch");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void markInterrupted(Runnable marker) {
        try {
            marker.run();
        } catch (RuntimeException e) {
            System.err.println("redtest: could not mark the run interrupted: " + e.getMessage());
        }
    }

    /** Ends the guarded section: lets a waiting hook return (and the JVM halt), or removes the hook. */
    @Override
    public void close() {
        database = null;
        settled.countDown();
        if (hook != null && !requested) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // a signal arrived just now: the hook finds the latch open and returns at once
            }
        }
    }
}
