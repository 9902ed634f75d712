package org.redtest.training;

import org.redtest.cli.RedTestCli;
import org.redtest.engine.cpu.CpuAcceleration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The child process of {@link SignalChildTest}: {@code bin/redtest ARGS...} with one pause. After the first
 * epoch's row it writes the marker file and waits until the JVM begins to shut down (the test's signal), so
 * the signal lands at a known instant; then training goes on and meets the stop request at its next batch.
 * Arguments: marker file, then the redtest command line. With {@code -Dpause.at.row=N} it pauses after the Nth
 * epoch row instead (a fine-tuning's epoch, after the training's).
 */
public final class SignalChild {
    private SignalChild() {
    }

    public static void main(String[] args) {
        Path marker = Path.of(args[0]);
        int pauseAt = Integer.getInteger("pause.at.row", 1);
        int[] rows = {0};
        CrashPoints.hook = point -> {
            if (point.equals(CrashPoints.EPOCH_RECORDED) && ++rows[0] == pauseAt) {
                try {
                    Files.writeString(marker, String.valueOf(ProcessHandle.current().pid()));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                awaitShutdown();
            }
        };
        CpuAcceleration.configure();
        System.exit(RedTestCli.newCommandLine().execute(Arrays.copyOfRange(args, 1, args.length)));
    }

    /** The JVM refuses new shutdown hooks once it has begun to shut down. */
    private static void awaitShutdown() {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            Thread probe = new Thread(() -> { });
            try {
                Runtime.getRuntime().addShutdownHook(probe);
                Runtime.getRuntime().removeShutdownHook(probe);
                Thread.sleep(20);
            } catch (IllegalStateException shuttingDown) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
