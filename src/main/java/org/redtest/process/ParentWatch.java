package org.redtest.process;

import java.time.Duration;
import java.util.Optional;

/**
 * Makes a child JVM ({@link ChildJvm}) end with the process that started it. The parent's shutdown hook stops its
 * children on SIGTERM, SIGINT and SIGHUP; a parent killed with -9 runs no hook, so the child also watches it: when
 * the parent named by {@link #PROPERTY} is gone, the child exits as if it had got SIGTERM (its own shutdown hooks
 * still mark a training run interrupted). The parent's start time tells it from a process that reused its pid.
 */
public final class ParentWatch {
    /** {@code pid:startMillis} of the parent, set on the child's command line by ChildJvm. */
    public static final String PROPERTY = "redtest.parent";
    static final int EXIT_PARENT_GONE = 143;
    private static final Duration POLL = Duration.ofMillis(500);

    private ParentWatch() {
    }

    /** The value of {@link #PROPERTY} that names this process. */
    static String describeCurrent() {
        ProcessHandle self = ProcessHandle.current();
        return self.pid() + ":" + startMillis(self);
    }

    /** In a child started by ChildJvm: a daemon thread that ends this JVM once the parent is gone. No-op otherwise. */
    public static void startIfChild() {
        String value = System.getProperty(PROPERTY);
        if (value == null || !value.matches("\\d+:-?\\d+")) {
            return;
        }
        long pid = Long.parseLong(value.substring(0, value.indexOf(':')));
        long start = Long.parseLong(value.substring(value.indexOf(':') + 1));
        Thread watcher = new Thread(() -> {
            while (alive(pid, start)) {
                try {
                    Thread.sleep(POLL.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.err.println("redtest: the process that started this one (pid " + pid + ") is gone; stopping");
            System.exit(EXIT_PARENT_GONE);
        }, "redtest-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    static boolean alive(long pid, long startMillis) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        return p.isPresent() && (startMillis < 0 || Math.abs(startMillis(p.get()) - startMillis) < 2000);
    }

    private static long startMillis(ProcessHandle p) {
        return p.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(-1L);
    }
}
