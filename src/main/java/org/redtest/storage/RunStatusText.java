package org.redtest.storage;

/**
 * A run's status as people should read it: a 'running' row whose owning process is gone is a run that
 * was killed, not a live one; rows written before owners were recorded cannot be checked and say so.
 */
public final class RunStatusText {
    public static final String RUNNING = "running";
    public static final String FINISHED = "finished";
    public static final String INTERRUPTED = "interrupted";
    public static final String FAILED = "failed";

    private RunStatusText() {
    }

    public static String of(String status, RunOwner owner) {
        if (!RUNNING.equals(status)) {
            return status;
        }
        if (owner == null) {
            return "running (owner not recorded)";
        }
        return switch (owner.liveness()) {
            case ALIVE -> RUNNING;
            case GONE -> "running (process gone)";
            case OTHER_HOST -> "running (on host " + owner.host() + ", pid " + owner.pid() + ")";
        };
    }
}
